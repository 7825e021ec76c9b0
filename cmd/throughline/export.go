package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"throughline"

	"throughline/jsonl"
)

func init() {
	register("export", "export every event as JSON Lines", runExport)
}

func runExport(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("export", "export --format jsonl [--out F] [--db DSN]")
	db := m.dbFlag(fs)
	format := fs.String("format", "jsonl", "output format (jsonl)")
	out := fs.String("out", "", "output file (default: standard output)")
	purpose := fs.String("purpose", "bulk export by an operator", "why the log is being exported: written to the consultation log for every case")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *format != "jsonl" {
		return usagef("--format must be jsonl")
	}
	s, err := m.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	// Every case's personal data leaves in the export: log each case first.
	refs, err := s.Refs(ctx)
	if err != nil {
		return err
	}
	if err := m.logConsultation(ctx, s, refs, []string{"events", "personal data"}, throughline.ChannelExport, "export", *purpose); err != nil {
		return err
	}
	write := func(w io.Writer) error {
		jw := jsonl.NewWriter(w)
		if err := s.EachEvent(ctx, jw.Write); err != nil {
			return err
		}
		return jw.Flush()
	}
	if *out == "" {
		return write(m.Stdout)
	}
	// Write beside the target and rename, so a failed export leaves no
	// half-written file under the name asked for.
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".export-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}
