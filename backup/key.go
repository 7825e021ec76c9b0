package backup

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
)

// Key is a backup key: 32 random bytes kept in a file outside the
// database, from which each backup's sealing key is derived.
type Key struct {
	seal []byte
	id   string
}

// keyLen is the length of a backup key in bytes.
const keyLen = 32

// WriteNewKey writes a new random key to path, which must not exist, as
// base64 on one line, readable by its owner only.
func WriteNewKey(path string) (*Key, error) {
	raw := make([]byte, keyLen)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if _, err := fmt.Fprintln(f, base64.StdEncoding.EncodeToString(raw)); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	return newKey(raw), nil
}

// ReadKey reads the key in the file at path.
func ReadKey(path string) (*Key, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("backup key: %w", err)
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(raw) != keyLen {
		return nil, fmt.Errorf("%s does not hold a backup key (base64 of 32 random bytes, as backup keygen writes)", path)
	}
	return newKey(raw), nil
}

func newKey(raw []byte) *Key {
	derive := func(purpose string) []byte {
		h := hmac.New(sha256.New, raw)
		h.Write([]byte("throughline backup " + purpose))
		return h.Sum(nil)
	}
	// The id is public (it is in every backup's header): it names the key
	// a backup needs without revealing it.
	return &Key{seal: derive("seal"), id: hex.EncodeToString(derive("id")[:8])}
}

// ID names the key: backups made with it carry it in their header.
func (k *Key) ID() string { return k.id }
