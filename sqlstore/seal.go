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

// seal seals an event's personal data under its case key, bound to the
// event's case and version.
func seal(key []byte, ref string, version int64, personal map[string]string) ([]byte, error) {
	if personal == nil {
		return nil, nil
	}
	return sealWith(key, additional(ref, version), personal)
}

// open unseals personal data; with no key (erased) it returns nil.
func open(key []byte, ref string, version int64, sealed []byte) (map[string]string, error) {
	var m map[string]string
	if err := openWith(key, additional(ref, version), sealed, &m); err != nil {
		return nil, fmt.Errorf("case %s event %d: personal data: %w", ref, version, err)
	}
	return m, nil
}

// sealWith seals v, as JSON, with AES-256-GCM under key, binding it to aad:
// a random nonce, then the ciphertext. Everything the store keeps sealed
// (personal data in the log, message contents, tasks, feedback comments)
// is sealed here.
func sealWith(key, aad []byte, v any) ([]byte, error) {
	plain, err := json.Marshal(v)
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
	return aead.Seal(nonce, nonce, plain, aad), nil
}

// openWith opens what sealWith sealed into v; with no key (erased) or
// nothing sealed, v is left as is.
func openWith(key, aad, sealed []byte, v any) error {
	if key == nil || sealed == nil {
		return nil
	}
	aead, err := gcm(key)
	if err != nil {
		return err
	}
	if len(sealed) < aead.NonceSize() {
		return errors.New("sealed data is truncated")
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], aad)
	if err != nil {
		return errors.New("sealed data does not open under the case key")
	}
	return json.Unmarshal(plain, v)
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
