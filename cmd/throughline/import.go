package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"throughline"

	"throughline/jsonl"
)

func init() {
	register("import", "import events from a JSON Lines file", runImport)
}

func runImport(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("import", "import --file F.jsonl [--skip-invalid] [--db DSN]")
	db := m.dbFlag(fs)
	file := fs.String("file", "", "JSON Lines file of events (- for standard input)")
	skip := fs.Bool("skip-invalid", false, "import the valid events and list the ones skipped, instead of refusing the file")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *file == "" {
		return usagef("--file is required")
	}
	in := m.Stdin
	if *file != "-" {
		f, err := os.Open(*file)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	lines, bad, err := jsonl.ReadAt(in, m.Now())
	if err != nil {
		return fmt.Errorf("%s: %w", *file, err)
	}
	var skipped []string
	for _, b := range bad {
		skipped = append(skipped, b.Error())
	}
	if len(bad) > 0 && !*skip {
		for _, s := range skipped {
			fmt.Fprintln(m.Stderr, s)
		}
		return fmt.Errorf("%s: %d invalid line(s); nothing imported (use --skip-invalid to import the rest)", *file, len(bad))
	}
	s, err := m.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	defer bulkMemory()()
	res, err := s.Import(ctx, jsonl.Proposals(lines), *skip)
	var ie *throughline.ImportError
	if errors.As(err, &ie) {
		for _, r := range ie.Rejected {
			fmt.Fprintln(m.Stderr, r.Error())
		}
		return fmt.Errorf("%s: %d event(s) refused; nothing imported (use --skip-invalid to import the rest)", *file, len(ie.Rejected))
	}
	if err != nil {
		return err
	}
	for _, r := range res.Skipped {
		skipped = append(skipped, r.Error())
	}
	fmt.Fprintf(m.Stdout, "imported %d events in %d cases\n", res.Events, res.Cases)
	if len(skipped) > 0 {
		fmt.Fprintf(m.Stdout, "skipped %d:\n", len(skipped))
		for _, s := range skipped {
			fmt.Fprintln(m.Stdout, "  "+s)
		}
	}
	return nil
}
