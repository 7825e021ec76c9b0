package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"throughline"
	"throughline/opendata"
)

func init() {
	register("release", "the quarterly open-data release: CSV, JSON, and a printable HTML and PDF report, with disclosure control", runRelease)
}

var releaseFormats = []string{"csv", "json", "html", "pdf"}

func runRelease(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("release", "release --quarter YYYYQn [--out DIR] [--format csv|json|html|pdf|all] [--db DSN]")
	db := m.dbFlag(fs)
	quarter := fs.String("quarter", "", "the quarter to release, e.g. 2026Q3 (it must have ended)")
	out := fs.String("out", ".", "directory to write the files to (created if missing)")
	format := fs.String("format", "all", "csv, json, html, pdf, or all")
	purpose := fs.String("purpose", "aggregate statistics (quarterly open data release)", "why: written to the consultation log for every case, since the measures read each complainant's date of birth")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *quarter == "" {
		return usagef("--quarter is required (e.g. 2026Q3)")
	}
	q, err := opendata.ParseQuarter(*quarter)
	if err != nil {
		return usagef("%v", err)
	}
	formats := releaseFormats
	if *format != "all" {
		if !slices.Contains(releaseFormats, *format) {
			return usagef("--format must be one of %s or all", strings.Join(releaseFormats, ", "))
		}
		formats = []string{*format}
	}
	today := throughline.At(m.Now()).Date()
	if !q.Last().Before(today) {
		return usagef("%s has not ended (its last day is %s): a release is of a whole quarter", q, q.Last().Format("2 January 2006"))
	}
	s, err := m.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	facts, refs, err := readFacts(ctx, s, false)
	if err != nil {
		return err
	}
	// As for metrics: the facts include the age band at report, read from
	// each complainant's date of birth; logged before anything is written.
	if err := m.logConsultation(ctx, s, refs, []string{"date of birth (age band at report)"}, "cli", "release", *purpose); err != nil {
		return err
	}
	rel, err := opendata.Build(facts, q)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	for _, f := range formats {
		var buf bytes.Buffer
		switch f {
		case "csv":
			err = rel.WriteCSV(&buf)
		case "json":
			err = rel.WriteJSON(&buf)
		case "html":
			err = rel.WriteHTML(&buf)
		case "pdf":
			err = rel.WritePDF(&buf)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		path := filepath.Join(*out, "throughline-rasso-"+q.String()+"."+f)
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, path)
	}
	return nil
}
