package sqlstore

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// Personal data in the log is sealed with AES-256-GCM under a key of its
// case. The event's case and version are the additional data, so a sealed
// blob moved to another event fails to open. Erasing a case is deleting its
// key: the log keeps every byte, and its hashes still verify.

func newCaseKey() ([]byte, error) {
	k := make([]byte, 32)
	_, err := rand.Read(k)
	return k, err
}

// caseKey returns the case's data key, or nil if it has been destroyed.
func (s *Store) caseKey(ctx context.Context, q querier, ref string) ([]byte, error) {
	var k []byte
	err := q.QueryRowContext(ctx, s.d.rebind(`SELECT key FROM case_keys WHERE case_ref = ?`), ref).Scan(&k)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return k, err
}

func seal(key []byte, ref string, version int64, personal map[string]string) ([]byte, error) {
	if personal == nil {
		return nil, nil
	}
	plain, err := json.Marshal(personal)
	if err != nil {
		return nil, err
	}
	aead, err := gcm(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, plain, additional(ref, version)), nil
}

// open unseals personal data; with no key (erased) it returns nil.
func open(key []byte, ref string, version int64, sealed []byte) (map[string]string, error) {
	if sealed == nil || key == nil {
		return nil, nil
	}
	aead, err := gcm(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < aead.NonceSize() {
		return nil, fmt.Errorf("case %s event %d: sealed personal data is truncated", ref, version)
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], additional(ref, version))
	if err != nil {
		return nil, fmt.Errorf("case %s event %d: personal data does not open under the case key", ref, version)
	}
	var m map[string]string
	return m, json.Unmarshal(plain, &m)
}

func gcm(key []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

func additional(ref string, version int64) []byte {
	return fmt.Appendf(nil, "%s#%d", ref, version)
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}
