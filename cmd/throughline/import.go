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

// importBatch is how many events the import command parses and writes at
// a time (whole cases: a batch ends where the case changes).
const importBatch = 20000

// errBadLines ends an import whose file has lines that do not parse.
var errBadLines = errors.New("invalid lines")

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
	s, err := m.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	defer bulkMemory()()
	// The file is parsed batch by batch while the store writes the batch
	// before, so memory holds about two batches, not the file.
	type parsed struct {
		lines []jsonl.Line
		bad   []jsonl.LineError
	}
	batches := make(chan parsed)
	stopped := make(chan struct{})
	var readErr error
	go func() {
		defer close(batches)
		readErr = jsonl.Stream(in, m.Now(), importBatch, func(lines []jsonl.Line, bad []jsonl.LineError) error {
			select {
			case batches <- parsed{lines, bad}:
				return nil
			case <-stopped:
				return context.Canceled
			}
		})
	}()
	var bad []jsonl.LineError
	res, err := s.ImportStream(ctx, func() ([]throughline.Proposed, error) {
		for p := range batches {
			bad = append(bad, p.bad...)
			if len(p.lines) > 0 {
				return jsonl.Proposals(p.lines), nil
			}
		}
		if readErr != nil {
			return nil, fmt.Errorf("%s: %w", *file, readErr)
		}
		if len(bad) > 0 && !*skip {
			return nil, errBadLines
		}
		return nil, nil
	}, *skip)
	close(stopped)
	for range batches { // let the reader finish
	}
	var skipped []string
	for _, b := range bad {
		skipped = append(skipped, b.Error())
	}
	if errors.Is(err, errBadLines) {
		for _, s := range skipped {
			fmt.Fprintln(m.Stderr, s)
		}
		return fmt.Errorf("%s: %d invalid line(s); nothing imported (use --skip-invalid to import the rest)", *file, len(bad))
	}
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
