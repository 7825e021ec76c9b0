package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"throughline/backup"
	"throughline/sqlstore"
	"throughline/wire"
)

func init() {
	register("restore", "restore --from FILE --backup-key FILE: load a backup into a new, empty database", runRestore)
}

func runRestore(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("restore", "restore --from FILE --backup-key FILE [--db DSN]")
	db := m.dbFlag(fs)
	from := fs.String("from", "", "the backup file to restore")
	keyFile := m.backupKeyFlag(fs)
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *from == "" || *keyFile == "" {
		return usagef("--from and --backup-key are required: restore --from FILE --backup-key FILE")
	}
	key, err := backup.ReadKey(*keyFile)
	if err != nil {
		return err
	}
	f, err := os.Open(*from)
	if err != nil {
		return err
	}
	defer f.Close()
	start := time.Now()
	// The whole file is checked before the database is touched.
	h, err := backup.Check(f, key)
	if err != nil {
		return fmt.Errorf("%s: %w", *from, err)
	}
	s, err := sqlstore.Open(ctx, *db, wire.Rules())
	if err != nil {
		return err
	}
	defer s.Close()
	s.Now = m.Now
	if h.Schema > s.SchemaVersion() {
		return fmt.Errorf("%s was taken at schema %d, and this Throughline knows schemas up to %d: restore it with a newer throughline", *from, h.Schema, s.SchemaVersion())
	}
	if err := s.RefuseData(ctx); err != nil {
		return err
	}
	// Loaded into the schema it was taken from, then migrated the rest of
	// the way like any database.
	if err := s.MigrateTo(ctx, h.Schema); err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if err := backup.Restore(ctx, s, f, key); err != nil {
		return fmt.Errorf("%s: %w", *from, err)
	}
	if err := s.Migrate(ctx); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "restored %d rows of %d tables from %s (taken %s from %s at schema %d) in %s\n",
		h.Rows(), len(h.Tables), *from, h.TakenAt.Format(time.RFC3339), h.Source, h.Schema, time.Since(start).Round(time.Millisecond))
	return nil
}
