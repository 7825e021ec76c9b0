package bench

import (
	"context"
	"testing"
	"throughline/wire"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"throughline"
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
