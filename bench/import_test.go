package bench

import (
	"context"
	"testing"
	"time"

	"throughline"
	"throughline/sqlstore"
	"throughline/synth"
)

var now = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

// cases generates n synthetic cases as import batches.
func proposals(n int, seed uint64) []sqlstore.Proposed {
	var out []sqlstore.Proposed
	synth.Generate(synth.Options{Cases: n, Seed: seed, FromYear: 2019, ToYear: 2026, Now: now}, func(evs []throughline.Event) error {
		for _, e := range evs {
			out = append(out, sqlstore.Proposed{Event: e})
		}
		return nil
	})
	return out
}

func open(b *testing.B, dsn string) *sqlstore.Store {
	s, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func BenchmarkImportSQLite(b *testing.B) {
	batch := proposals(2000, 1)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := open(b, "sqlite:"+b.TempDir()+"/b.db")
		b.StartTimer()
		if _, err := s.Import(context.Background(), batch, false); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(batch)*b.N)/b.Elapsed().Seconds(), "events/s")
}
