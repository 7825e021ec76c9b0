package sqlstore

import (
	"errors"
	"testing"
)

// The drivers' words for a full disk, as each really says them, become
// ErrStorageFull; anything else stays as it was.
func TestStorageFull(t *testing.T) {
	full := []string{
		"database or disk is full (13)",
		"ERROR: could not extend file \"base/16384/2619\": No space left on device (SQLSTATE 53100)",
		"write /data/throughline.db-wal: no space left on device",
		"connect to postgres database: failed to connect to `user=throughline database=throughline`: 127.0.0.1:5432 (127.0.0.1): server error: FATAL: could not write init file (SQLSTATE XX000)",
	}
	for _, m := range full {
		if err := storageFull(errors.New(m)); !errors.Is(err, ErrStorageFull) {
			t.Errorf("%q: got %v, want ErrStorageFull", m, err)
		}
	}
	other := errors.New("connect to postgres database: failed to connect: server error: FATAL: password authentication failed for user \"throughline\" (SQLSTATE 28P01)")
	if err := storageFull(other); err != other {
		t.Errorf("a refused password became %v", err)
	}
	if storageFull(nil) != nil {
		t.Error("no error became one")
	}
}
