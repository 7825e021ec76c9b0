package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"throughline"
	"throughline/progress"
	"throughline/sqlstore"
	"throughline/synth"
)

func init() {
	register("generate", "generate realistic synthetic cases (national figures scaled to --cases)", runGenerate)
}

func runGenerate(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("generate", "generate --cases N --seed S [--from-year Y --to-year Y] [--as-of YYYY-MM-DD] [--db DSN]")
	db := m.dbFlag(fs)
	cases := fs.Int("cases", 1000, "number of cases (reports to the police)")
	seed := fs.Uint64("seed", 1, "random seed: the same seed and --as-of give the same cases, byte for byte")
	from := fs.Int("from-year", 0, "first year of reports (default: four years before --as-of)")
	to := fs.Int("to-year", 0, "last year of reports (default: the year of --as-of)")
	asOf := fs.String("as-of", "", "the present of the generated history: nothing happens on or after this day (default: today)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	now := m.Now().In(throughline.London)
	present := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, throughline.London)
	if *asOf != "" {
		d, err := time.ParseInLocation(time.DateOnly, *asOf, throughline.London)
		if err != nil {
			return usagef("--as-of must be a date, YYYY-MM-DD")
		}
		present = d
	}
	if *from == 0 {
		*from = present.Year() - 4
	}
	if *to == 0 {
		*to = present.Year()
	}
	if *cases < 1 || *cases > 10_000_000 {
		return usagef("--cases must be between 1 and 10,000,000")
	}
	if *to < *from || *from < 2000 {
		return usagef("--from-year must be 2000 or later and not after --to-year")
	}
	s, err := m.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	defer bulkMemory()()
	bar := progress.New(m.Stderr, "generating cases", int64(*cases))
	start := time.Now()
	n, events, err := generateInto(ctx, s, synth.Options{Cases: *cases, Seed: *seed, FromYear: *from, ToYear: *to, Now: present}, bar.Add)
	bar.Finish()
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "generated %d cases (%d events) in %s\n", n, events, time.Since(start).Round(time.Millisecond))
	return nil
}

// generateInto writes synthetic cases through the store's bulk import, in
// batches generated while the previous batch is written.
func generateInto(ctx context.Context, s *sqlstore.Store, opts synth.Options, done func(int64)) (cases, events int, err error) {
	const batchCases = 2000
	batches := make(chan []throughline.Proposed, 2)
	genErr := make(chan error, 1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(batches)
		var batch []throughline.Proposed
		inBatch := 0
		err := synth.Generate(opts, func(evs []throughline.Event) error {
			for _, e := range evs {
				batch = append(batch, throughline.Proposed{Event: e})
			}
			if inBatch++; inBatch == batchCases {
				select {
				case batches <- batch:
				case <-ctx.Done():
					return ctx.Err()
				}
				batch, inBatch = nil, 0
			}
			return nil
		})
		if err == nil && len(batch) > 0 {
			batches <- batch
		}
		genErr <- err
	}()
	for b := range batches {
		res, err := s.Import(ctx, b, false)
		if err != nil {
			cancel()
			for range batches {
			}
			return cases, events, fmt.Errorf("write synthetic cases: %w", err)
		}
		cases += res.Cases
		events += res.Events
		done(int64(res.Cases))
	}
	if err := <-genErr; err != nil && !errors.Is(err, context.Canceled) {
		return cases, events, err
	}
	return cases, events, nil
}
