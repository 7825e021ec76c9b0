package bench

import (
	"bytes"
	"context"
	"testing"
	"throughline/wire"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"throughline"
	"throughline/jsonl"
	"throughline/sqlstore"
	"throughline/synth"
)

var now = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

// proposals generates n synthetic cases as one import batch.
func proposals(n int, seed uint64) []throughline.Proposed {
	var out []throughline.Proposed
	synth.Generate(synth.Options{Cases: n, Seed: seed, FromYear: 2019, ToYear: 2026, Now: now}, func(evs []throughline.Event) error {
		for _, e := range evs {
			out = append(out, throughline.Proposed{Event: e})
		}
		return nil
	})
	return out
}

func open(b *testing.B, dsn string) *sqlstore.Store {
	s, err := sqlstore.Open(context.Background(), dsn, wire.Rules())
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// jsonLines is the batch as an export writes it.
func jsonLines(b *testing.B, batch []throughline.Proposed) []byte {
	var buf bytes.Buffer
	w := jsonl.NewWriter(&buf)
	for _, p := range batch {
		if err := w.Write(p.Event); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// readFile parses a JSON Lines file as the import command does.
func readFile(b *testing.B, file []byte) []jsonl.Line {
	lines, bad, err := jsonl.ReadAt(bytes.NewReader(file), now)
	if err != nil || len(bad) > 0 {
		b.Fatal(err, bad)
	}
	return lines
}
