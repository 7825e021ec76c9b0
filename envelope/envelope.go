// Package envelope encrypts one item at a time under a key kept outside the
// database (envelope encryption): each item gets a fresh 256-bit data key,
// the item is sealed with AES-256-GCM under it, and the data key is stored
// only wrapped (itself sealed) by a key-encryption key that a KeyWrapper
// holds — a key file or an environment variable now, a KMS later. A copy of
// the database holds ciphertext and wrapped keys only: without the
// key-encryption key it reveals nothing.
//
// Rotating the key-encryption key re-wraps each data key (Rewrap); the
// items themselves are not re-encrypted, so their ciphertext, and any hash
// of it recorded elsewhere, stays the same.
package envelope

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
)

// KeyWrapper wraps and unwraps data keys under a key-encryption key it
// holds and never reveals. A KMS client satisfies it by calling its
// encrypt and decrypt operations.
type KeyWrapper interface {
	// KeyID names the key-encryption key, so that an item wrapped under
	// another key is recognised as such rather than failing obscurely.
	KeyID() string
	Wrap(dataKey []byte) ([]byte, error)
	// Unwrap returns the data key wrapped under key keyID; ErrOtherKey if
	// that is not this wrapper's key.
	Unwrap(keyID string, wrapped []byte) ([]byte, error)
}

// Sealed is one item as stored: the id of the key that wrapped its data
// key, the wrapped data key, and the item's nonce and ciphertext (the
// nonce first).
type Sealed struct {
	KeyID      string
	WrappedKey []byte
	Ciphertext []byte
}

// Digest is the hex SHA-256 of the item's ciphertext: what a record of the
// item keeps to show the stored item is still the one recorded. Rotation
// leaves it unchanged.
func (s Sealed) Digest() string {
	sum := sha256.Sum256(s.Ciphertext)
	return hex.EncodeToString(sum[:])
}

// ErrOtherKey: the item's data key was wrapped under a key-encryption key
// this server does not hold (the key was rotated away, deleted or replaced).
var ErrOtherKey = errors.New("sealed under a key this server does not hold")

// ErrTampered: the ciphertext, its wrapped key or the context it is bound
// to was changed.
var ErrTampered = errors.New("failed its integrity check: it was changed or belongs elsewhere")

// Seal encrypts plaintext under a fresh data key, wrapped by w. context is
// authenticated but not stored (the item's case and id): an item moved to
// another row does not open.
func Seal(w KeyWrapper, plaintext, context []byte) (Sealed, error) {
	dk := make([]byte, 32)
	rand.Read(dk)
	ct, err := seal(dk, plaintext, context)
	if err != nil {
		return Sealed{}, err
	}
	wrapped, err := w.Wrap(dk)
	if err != nil {
		return Sealed{}, fmt.Errorf("wrap the data key: %w", err)
	}
	return Sealed{KeyID: w.KeyID(), WrappedKey: wrapped, Ciphertext: ct}, nil
}

// Open decrypts an item sealed by Seal with the same context. Errors:
// ErrOtherKey, ErrTampered.
func Open(w KeyWrapper, s Sealed, context []byte) ([]byte, error) {
	dk, err := w.Unwrap(s.KeyID, s.WrappedKey)
	if err != nil {
		return nil, err
	}
	return open(dk, s.Ciphertext, context)
}

// Rewrap moves an item's data key from one key-encryption key to another,
// leaving its ciphertext as it is. Errors: as Open.
func Rewrap(from, to KeyWrapper, s Sealed) (Sealed, error) {
	if s.KeyID == to.KeyID() {
		return s, nil
	}
	dk, err := from.Unwrap(s.KeyID, s.WrappedKey)
	if err != nil {
		return Sealed{}, err
	}
	wrapped, err := to.Wrap(dk)
	if err != nil {
		return Sealed{}, err
	}
	return Sealed{KeyID: to.KeyID(), WrappedKey: wrapped, Ciphertext: s.Ciphertext}, nil
}

func seal(key, plaintext, context []byte) ([]byte, error) {
	aead, err := gcm(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	return aead.Seal(nonce, nonce, plaintext, context), nil
}

func open(key, ciphertext, context []byte) ([]byte, error) {
	aead, err := gcm(key)
	if err != nil {
		return nil, err
	}
	if len(ciphertext) < aead.NonceSize() {
		return nil, ErrTampered
	}
	n := aead.NonceSize()
	pt, err := aead.Open(nil, ciphertext[:n], ciphertext[n:], context)
	if err != nil {
		return nil, ErrTampered
	}
	return pt, nil
}

// gcm is AES-256-GCM under a 32-byte key.
func gcm(key []byte) (cipher.AEAD, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("an AES-256 key is 32 bytes, not %d", len(key))
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

// LocalKey is a key-encryption key held in this process: read from a key
// file or an environment variable.
type LocalKey struct {
	id  string
	key []byte
}

// NewLocalKey makes a LocalKey of 32 random bytes' worth of key.
func NewLocalKey(key []byte) (*LocalKey, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("a material key is 32 bytes, not %d", len(key))
	}
	// The id is a digest of the key under a label of its own, so that it
	// names the key without revealing it.
	sum := sha256.Sum256(append([]byte("throughline material key id\x00"), key...))
	return &LocalKey{id: hex.EncodeToString(sum[:8]), key: append([]byte(nil), key...)}, nil
}

// ParseKey reads a key as its text form: base64 of 32 bytes.
func ParseKey(text string) (*LocalKey, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(text))
	if err != nil || len(b) != 32 {
		return nil, errors.New("not a material key (base64 of 32 random bytes)")
	}
	return NewLocalKey(b)
}

// ReadKeyFile reads the key in file path.
func ReadKeyFile(path string) (*LocalKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("material key: %w", err)
	}
	k, err := ParseKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// NewKeyText returns a new random key in its text form, for a key file.
func NewKeyText() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.StdEncoding.EncodeToString(b) + "\n"
}

func (k *LocalKey) KeyID() string { return k.id }

// Wrap seals the data key under the key-encryption key, bound to its id.
func (k *LocalKey) Wrap(dataKey []byte) ([]byte, error) {
	return seal(k.key, dataKey, []byte(k.id))
}

func (k *LocalKey) Unwrap(keyID string, wrapped []byte) ([]byte, error) {
	if keyID != k.id {
		return nil, fmt.Errorf("%w (its key is %s; this server's is %s)", ErrOtherKey, keyID, k.id)
	}
	return open(k.key, wrapped, []byte(k.id))
}
