// Package chain is the one definition of what Throughline's hash chains and
// signed checkpoints commit to: the hash of an event given its predecessor,
// the root a checkpoint signs, and the Merkle tree (RFC 6962) over the heads
// a checkpoint seals. The store writes and verifies with it; a proof
// printed by `audit prove` is checked offline with it and nothing else, so
// that someone who trusts only the public key can check a case's history
// without the database or its code.
package chain

import (
	"crypto/sha256"
	"encoding/binary"
)

// Genesis is the previous hash of a chain's first entry.
var Genesis = make([]byte, sha256.Size)

// Hasher computes event hashes into reused buffers, so that verifying
// millions of events does not allocate per event.
type Hasher struct {
	buf []byte
	sum [sha256.Size]byte
}

// NewHasher returns a Hasher.
func NewHasher() *Hasher { return &Hasher{buf: make([]byte, 0, 1024)} }

// Event returns the chain hash of an event given as its stored bytes —
// SHA-256 over the previous hash and every field, each length-prefixed so
// that no two different events encode alike — valid until the next call.
// This is the one definition of what the chain covers, and in what order.
// The sealed personal bytes are covered as stored, so erasure (destroying
// the case's key) leaves the chain verifiable.
func (h *Hasher) Event(prev, ref []byte, version int64, typ, occurred, recorded, appended, actor, agency, data, personal []byte) []byte {
	h.buf = h.buf[:0]
	for _, f := range [...][]byte{prev, ref} {
		h.buf = AppendField(h.buf, f)
	}
	h.buf = binary.BigEndian.AppendUint64(h.buf, uint64(version))
	for _, f := range [...][]byte{typ, occurred, recorded, appended, actor, agency, data, personal} {
		h.buf = AppendField(h.buf, f)
	}
	h.sum = sha256.Sum256(h.buf)
	return h.sum[:]
}

// AppendField appends b length-prefixed, so that no two different runs of
// fields encode alike: the encoding of everything the chains hash.
func AppendField(buf, b []byte) []byte {
	buf = binary.BigEndian.AppendUint64(buf, uint64(len(b)))
	return append(buf, b...)
}
