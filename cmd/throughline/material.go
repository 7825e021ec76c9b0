package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"throughline/envelope"
	"throughline/sqlstore"
)

// Restricted material (ADR 0402) is sealed under data keys wrapped by a
// key kept outside the database, as the pseudonym key is (ADR 0113): serve
// takes it from a file (--material-key FILE, $THROUGHLINE_MATERIAL_KEY_FILE)
// or from $THROUGHLINE_MATERIAL_KEY itself (for secret stores that inject
// environment variables); never as a flag's value, which every process
// listing shows.

func init() {
	register("material-key", "material-key rotate --material-key OLD --new-material-key NEW: re-wrap every item of restricted material under a new key", runMaterialKey)
}

// materialKeySource is where serve's material key comes from.
type materialKeySource struct {
	path string // a key file
	env  string // the key itself, from the environment
}

// materialKeyPath is where the material key lives: the environment's key,
// the flag's (or $THROUGHLINE_MATERIAL_KEY_FILE's) file, or for SQLite a
// file beside the database. PostgreSQL without either: no key, and serve
// refuses restricted material (EUNAVAILABLE) and says so at start.
func materialKeyPath(flagPath, envKey, dsn string) materialKeySource {
	switch {
	case envKey != "":
		return materialKeySource{env: envKey}
	case flagPath != "":
		return materialKeySource{path: flagPath}
	}
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		path, _, _ = strings.Cut(path, "?")
		return materialKeySource{path: path + ".material-key"}
	}
	return materialKeySource{}
}

// loadMaterialKey reads the key. A key file that does not exist is made
// (mode 0600) while the database holds no material; once it holds some, a
// missing file is not replaced by a new key, which would leave every item
// unreadable for good: serve then runs without one and says why, until the
// file is put back. key is nil when there is no key; note says what serve
// should tell its operator.
func loadMaterialKey(ctx context.Context, s *sqlstore.Store, src materialKeySource) (key *envelope.LocalKey, note string, err error) {
	switch {
	case src.env != "":
		key, err = envelope.ParseKey(src.env)
		if err != nil {
			return nil, "", fmt.Errorf("$THROUGHLINE_MATERIAL_KEY: %w", err)
		}
		return key, "", nil
	case src.path == "":
		return nil, "no --material-key (or $THROUGHLINE_MATERIAL_KEY_FILE): restricted material can be neither stored nor opened (docs/operations.md)", nil
	}
	key, err = envelope.ReadKeyFile(src.path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, "", err
	}
	n, err := s.MaterialCount(ctx)
	if err != nil {
		return nil, "", err
	}
	if n > 0 {
		return nil, fmt.Sprintf("the material key %s is missing and the database holds %d items of restricted material sealed under it: they cannot be opened until it is put back (a new key would not open them)", src.path, n), nil
	}
	f, err := os.OpenFile(src.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, "", fmt.Errorf("material key: %w", err)
	}
	if _, err := f.WriteString(envelope.NewKeyText()); err != nil {
		f.Close()
		return nil, "", err
	}
	if err := f.Close(); err != nil {
		return nil, "", err
	}
	key, err = envelope.ReadKeyFile(src.path)
	return key, "Made the material key " + src.path + ": keep it outside the database and its backups, and give the same file to every serve process", err
}

// runMaterialKey: material-key rotate. Every item's data key is re-wrapped
// under the new key in one transaction; the items' ciphertext, and the
// digests the log keeps of it, do not change. Afterwards the old key is no
// longer needed: serve with the new one.
func runMaterialKey(ctx context.Context, m *Main, args []string) error {
	const synopsis = "material-key rotate --material-key OLD --new-material-key NEW [--db DSN]"
	rest, err := m.sub(args, "rotate", synopsis)
	if err != nil {
		return err
	}
	fset := m.flags("material-key rotate", synopsis)
	db := m.dbFlag(fset)
	oldFile := fset.String("material-key", m.env("THROUGHLINE_MATERIAL_KEY_FILE", ""), "file holding the key the material is sealed under now")
	newFile := fset.String("new-material-key", "", "file holding the new key; made if missing")
	if err := parse(fset, rest, 0); err != nil {
		return err
	}
	if *oldFile == "" || *newFile == "" {
		return usagef("--material-key and --new-material-key are required")
	}
	old, err := envelope.ReadKeyFile(*oldFile)
	if err != nil {
		return err
	}
	if _, err := os.Stat(*newFile); errors.Is(err, fs.ErrNotExist) {
		if err := os.WriteFile(*newFile, []byte(envelope.NewKeyText()), 0o600); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "Made the new material key %s\n", *newFile)
	}
	next, err := envelope.ReadKeyFile(*newFile)
	if err != nil {
		return err
	}
	s, err := m.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.RewrapMaterial(ctx, next.KeyID(), func(it envelope.Sealed) (envelope.Sealed, error) { return envelope.Rewrap(old, next, it) })
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "re-wrapped %d items of restricted material under the key in %s: serve with it from now on; the old key is no longer needed\n", n, *newFile)
	return nil
}
