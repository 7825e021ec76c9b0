package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"throughline"
	"throughline/sqlstore/storetest"
)

// The pseudonym key moves out of the database into serve's key file, the
// same key, so that inspectors' pseudonyms do not change; after that the
// database holds none, and a database key that disagrees with the file is
// refused rather than silently changing every pseudonym.
func TestPseudonymKeyLivesOutsideTheDatabase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openStore(t, dsn)
		defer s.Close()
		before, err := s.Secret(ctx, pseudonymSecret, 32) // as serve made it before
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "pseudonym-key")
		key, made, err := loadPseudonymKey(ctx, s, path)
		if err != nil || !made || !bytes.Equal(key, before) {
			t.Fatalf("moving the key out: made %v, same %v, %v", made, bytes.Equal(key, before), err)
		}
		if _, err := s.StoredSecret(ctx, pseudonymSecret); throughline.ErrorCode(err) != throughline.ENOTFOUND {
			t.Fatalf("the database still holds the key: %v", err)
		}
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("key file: %v %v", fi, err)
		}
		again, made, err := loadPseudonymKey(ctx, s, path)
		if err != nil || made || !bytes.Equal(again, before) {
			t.Fatalf("the file's key on the next start: made %v, %v", made, err)
		}

		// A database key that is not the file's: refused, nothing deleted.
		other, _ := s.Secret(ctx, pseudonymSecret, 32)
		if _, _, err := loadPseudonymKey(ctx, s, path); err == nil || !strings.Contains(err.Error(), "still holds a pseudonym key") {
			t.Fatalf("a disagreeing database key: %v", err)
		}
		if kept, _ := s.StoredSecret(ctx, pseudonymSecret); !bytes.Equal(kept, other) {
			t.Fatal("the refused database key was deleted")
		}

		// A new installation: a new random key, nothing in the database.
		s.DeleteSecret(ctx, pseudonymSecret)
		fresh := filepath.Join(t.TempDir(), "pseudonym-key")
		key, made, err = loadPseudonymKey(ctx, s, fresh)
		if err != nil || !made || len(key) != 32 || bytes.Equal(key, before) {
			t.Fatalf("a new key: made %v, %v", made, err)
		}
		if _, err := s.StoredSecret(ctx, pseudonymSecret); throughline.ErrorCode(err) != throughline.ENOTFOUND {
			t.Fatal("a new key was put in the database")
		}
		os.WriteFile(fresh, []byte(base64.StdEncoding.EncodeToString([]byte("short"))), 0o600)
		if _, _, err := loadPseudonymKey(ctx, s, fresh); err == nil || !strings.Contains(err.Error(), "does not hold a pseudonym key") {
			t.Fatalf("a short key: %v", err)
		}
	})
}

// Where the key lives: the flag; else beside a SQLite database; PostgreSQL
// must be told, since every process serving it needs the same key.
func TestPseudonymKeyPath(t *testing.T) {
	for _, tc := range []struct{ flag, dsn, want, err string }{
		{"/etc/throughline/pseudonym-key", "postgres://db/throughline", "/etc/throughline/pseudonym-key", ""},
		{"", "sqlite:/var/lib/throughline.db?_pragma=busy_timeout(5000)", "/var/lib/throughline.db.pseudonym-key", ""},
		{"", "postgres://db/throughline", "", "--pseudonym-key FILE (or $THROUGHLINE_PSEUDONYM_KEY_FILE) is required with PostgreSQL"},
	} {
		got, err := pseudonymKeyPath(tc.flag, tc.dsn)
		if got != tc.want || (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("pseudonymKeyPath(%q, %q) = %q, %v", tc.flag, tc.dsn, got, err)
		}
	}
}
