package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"throughline"
	"throughline/sqlstore"
)

// The key of inspectors' pseudonyms lives in a file given to serve, outside
// the database and its backups (ADR 0113): with the database alone, a
// pseudonym cannot be turned back into the person it stands for by
// trying every case's parties.

// pseudonymSecret is the name the key had in the database's secrets table
// before it moved out.
const pseudonymSecret = "pseudonym"

// pseudonymKeyPath is where serve's pseudonym key lives: the flag (or
// $THROUGHLINE_PSEUDONYM_KEY_FILE); else, for a SQLite database, a file
// beside it, so that the demo needs nothing. PostgreSQL, served by any
// number of processes, must be told: each needs the same key.
func pseudonymKeyPath(flagPath, dsn string) (string, error) {
	if flagPath != "" {
		return flagPath, nil
	}
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		path, _, _ = strings.Cut(path, "?")
		return path + ".pseudonym-key", nil
	}
	return "", usagef("--pseudonym-key FILE (or $THROUGHLINE_PSEUDONYM_KEY_FILE) is required with PostgreSQL: give every serve process the same key file (docs/adr/0113-pseudonym-key-outside-the-database.md)")
}

// loadPseudonymKey reads the key at path. When the file does not exist it
// is made, from the key the database held before (so that pseudonyms stay
// the same) or else a new random one; the database's copy is then deleted.
// A database copy that differs from an existing file is refused: one of
// them would change every pseudonym.
func loadPseudonymKey(ctx context.Context, s *sqlstore.Store, path string) (key []byte, made bool, err error) {
	old, err := s.StoredSecret(ctx, pseudonymSecret)
	if err != nil && throughline.ErrorCode(err) != throughline.ENOTFOUND {
		return nil, false, err
	}
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		key, err = base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(key) < 32 {
			return nil, false, fmt.Errorf("%s does not hold a pseudonym key (base64 of at least 32 random bytes)", path)
		}
		if old != nil && !bytes.Equal(old, key) {
			return nil, false, fmt.Errorf("the database still holds a pseudonym key, and it is not the one in %s: serve with a new file to move the database's key out, or delete the database's after deciding which to keep", path)
		}
	case errors.Is(err, fs.ErrNotExist):
		key = old
		if key == nil {
			key = make([]byte, 32)
			rand.Read(key)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, false, fmt.Errorf("pseudonym key: %w", err)
		}
		if _, err := fmt.Fprintln(f, base64.StdEncoding.EncodeToString(key)); err != nil {
			f.Close()
			return nil, false, err
		}
		if err := f.Close(); err != nil {
			return nil, false, err
		}
		made = true
	default:
		return nil, false, fmt.Errorf("pseudonym key: %w", err)
	}
	if old != nil {
		if err := s.DeleteSecret(ctx, pseudonymSecret); err != nil {
			return nil, false, err
		}
	}
	return key, made, nil
}
