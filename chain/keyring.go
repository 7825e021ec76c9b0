package chain

import (
	"cmp"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// A Keyring holds the checkpoint signing keys' public halves over time, so
// that the signing key can be rotated in place: each key signs the
// checkpoints from the one it was introduced at until the next key's. A
// checkpoint is checked against the key of its own range only, never
// against any key that happens to verify it: a retired key, if it leaked,
// cannot sign a checkpoint after its range. The checkpoints stay one chain
// across a rotation, since each commits to the one before it.
type Keyring []RingKey

// RingKey is a public key and the first checkpoint it signs.
type RingKey struct {
	From int64
	Key  ed25519.PublicKey
}

// ParseKeyring reads keys given as "KEY" (signing from checkpoint 1) or
// "FROM:KEY" (signing from checkpoint FROM), KEY the base64 public key
// audit keygen printed. Two keys may not start at the same checkpoint.
func ParseKeyring(specs []string) (Keyring, error) {
	var ring Keyring
	for _, s := range specs {
		from, key := int64(1), strings.TrimSpace(s)
		if f, k, ok := strings.Cut(key, ":"); ok {
			n, err := strconv.ParseInt(f, 10, 64)
			if err != nil || n < 1 {
				return nil, fmt.Errorf("%q: the checkpoint a key signs from is a whole number, 1 or more, before the colon (FROM:KEY)", s)
			}
			from, key = n, k
		}
		b, err := base64.StdEncoding.DecodeString(key)
		if err != nil || len(b) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%q is not a base64 public key as audit keygen printed it", s)
		}
		if slices.ContainsFunc(ring, func(r RingKey) bool { return r.From == from }) {
			return nil, fmt.Errorf("two keys sign from checkpoint %d: give each key the checkpoint it signs from (FROM:KEY)", from)
		}
		ring = append(ring, RingKey{From: from, Key: b})
	}
	slices.SortFunc(ring, func(a, b RingKey) int { return cmp.Compare(a.From, b.From) })
	return ring, nil
}

// For is the key that signs checkpoint id: the one whose range holds it;
// nil if the ring starts after it.
func (r Keyring) For(id int64) ed25519.PublicKey {
	var key ed25519.PublicKey
	for _, k := range r {
		if k.From <= id {
			key = k.Key
		}
	}
	return key
}

// Verify reports whether signature is checkpoint id's signature over root
// under the key of its range.
func (r Keyring) Verify(id int64, root, signature []byte) bool {
	key := r.For(id)
	return key != nil && ed25519.Verify(key, root, signature)
}
