package envelope_test

import (
	"bytes"
	"errors"
	"testing"

	"throughline/envelope"
)

func key(t *testing.T) *envelope.LocalKey {
	t.Helper()
	k, err := envelope.ParseKey(envelope.NewKeyText())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// An item opens under its key and context only; rotation re-wraps its data
// key and leaves its ciphertext; the old key then opens nothing.
func TestSealOpenRewrap(t *testing.T) {
	old, next := key(t), key(t)
	plain := []byte("counselling notes MARKER")
	s, err := envelope.Seal(old, plain, []byte("13RS1/26/M1"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(s.Ciphertext, []byte("MARKER")) || bytes.Contains(s.WrappedKey, plain[:8]) {
		t.Fatal("plaintext in the sealed item")
	}
	if got, err := envelope.Open(old, s, []byte("13RS1/26/M1")); err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := envelope.Open(old, s, []byte("13RS1/26/M2")); !errors.Is(err, envelope.ErrTampered) {
		t.Fatalf("another context: %v", err)
	}
	tampered := s
	tampered.Ciphertext = append([]byte(nil), s.Ciphertext...)
	tampered.Ciphertext[len(tampered.Ciphertext)-1] ^= 1
	if _, err := envelope.Open(old, tampered, []byte("13RS1/26/M1")); !errors.Is(err, envelope.ErrTampered) {
		t.Fatalf("tampered: %v", err)
	}
	if _, err := envelope.Open(next, s, []byte("13RS1/26/M1")); !errors.Is(err, envelope.ErrOtherKey) {
		t.Fatalf("another key: %v", err)
	}
	r, err := envelope.Rewrap(old, next, s)
	if err != nil {
		t.Fatal(err)
	}
	if r.KeyID != next.KeyID() || !bytes.Equal(r.Ciphertext, s.Ciphertext) || bytes.Equal(r.WrappedKey, s.WrappedKey) {
		t.Fatal("rewrap did not move the data key alone")
	}
	if got, err := envelope.Open(next, r, []byte("13RS1/26/M1")); err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("open after rotation: %q %v", got, err)
	}
	if _, err := envelope.Open(old, r, []byte("13RS1/26/M1")); !errors.Is(err, envelope.ErrOtherKey) {
		t.Fatalf("the old key after rotation: %v", err)
	}
	if _, err := envelope.ParseKey("c2hvcnQ="); err == nil {
		t.Fatal("a short key accepted")
	}
}
