package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"throughline/backup"
	"throughline/sqlstore"
	"throughline/wire"
)

func init() {
	register("backup", "backup --out FILE --backup-key FILE | keygen: copy the whole database to one file while it runs", runBackup)
}

const backupSynopsis = `backup --out FILE --backup-key FILE [--db DSN]
       throughline backup keygen --out FILE`

// backupKeyFlag is --backup-key, defaulting to $THROUGHLINE_BACKUP_KEY_FILE.
func (m *Main) backupKeyFlag(fs *flag.FlagSet) *string {
	return fs.String("backup-key", m.env("THROUGHLINE_BACKUP_KEY_FILE", ""), "file holding the backup key (backup keygen writes one; default $THROUGHLINE_BACKUP_KEY_FILE): keep it outside the database and apart from the backups")
}

func runBackup(ctx context.Context, m *Main, args []string) error {
	if len(args) > 0 && args[0] == "keygen" {
		return runBackupKeygen(m, args[1:])
	}
	fs := m.flags("backup", backupSynopsis)
	db := m.dbFlag(fs)
	out := fs.String("out", "", "file to write the backup to (it must not exist)")
	keyFile := m.backupKeyFlag(fs)
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *out == "" || *keyFile == "" {
		return usagef("--out and --backup-key are required: backup --out FILE --backup-key FILE")
	}
	key, err := backup.ReadKey(*keyFile)
	if err != nil {
		return err
	}
	if path, ok := strings.CutPrefix(*db, "sqlite:"); ok {
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("no database to back up: %w", err) // opening would make an empty one
		}
	}
	// Not migrated: a backup only reads, and may run as a database user
	// that can do nothing else; the header records the schema it found.
	s, err := sqlstore.Open(ctx, *db, wire.Rules())
	if err != nil {
		return err
	}
	defer s.Close()
	// Written beside the destination and renamed once durable, so a backup
	// that failed half way never stands under the name of a good one.
	if _, err := os.Stat(*out); err == nil {
		return fmt.Errorf("%s exists: back up to a new file", *out)
	}
	tmp, err := os.CreateTemp(filepath.Dir(*out), filepath.Base(*out)+".partial-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	start := time.Now()
	h, err := backup.Write(ctx, s, tmp, key, m.Now())
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), *out); err != nil { // fails if *out appeared meanwhile
		return err
	}
	info, err := os.Stat(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "backed up %d rows of %d tables (schema %d, %s) to %s: %d bytes in %s; key %s\n",
		h.Rows(), len(h.Tables), h.Schema, h.Source, *out, info.Size(), time.Since(start).Round(time.Millisecond), h.KeyID)
	return nil
}

func runBackupKeygen(m *Main, args []string) error {
	fs := m.flags("backup keygen", "backup keygen --out FILE")
	out := fs.String("out", "", "file to write the new backup key to (it must not exist)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *out == "" {
		return usagef("--out is required: backup keygen --out FILE")
	}
	key, err := backup.WriteNewKey(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "backup key %s written to %s: keep it outside the database and apart from the backups; without it no backup restores\n", key.ID(), *out)
	return nil
}
