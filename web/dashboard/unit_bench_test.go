package dashboard

import (
	"context"
	"slices"
	"testing"
	"time"

	"throughline"
	"throughline/synth"
)

// BenchmarkUnitFigures computes West Yorkshire Police's unit dashboard over
// the events of 20,000 synthetic cases (the demo's size) read from memory:
// with the log read for each request, and with what was read kept (as the
// page keeps it for five minutes), reporting the 95th percentile of the
// requests' times, the target being 300 ms.
func BenchmarkUnitFigures(b *testing.B) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	var es events
	if err := synth.Generate(synth.Options{Cases: 20000, Seed: 2022, FromYear: 2022, ToYear: 2026, Now: now}, func(evs []throughline.Event) error {
		es = append(es, evs...)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	store := indexLog(es) // each case's facts and log, as the database keeps them
	unit := throughline.Agency{Kind: "police", ID: "13"}
	today := throughline.At(now).Date()
	f, err := parseUnit(nil, today)
	if err != nil {
		b.Fatal(err)
	}
	for _, cold := range []bool{true, false} {
		name := "kept"
		if cold {
			name = "read each time"
		}
		b.Run(name, func(b *testing.B) {
			x, err := readUnit(context.Background(), store, unit, now)
			if err != nil {
				b.Fatal(err)
			}
			var took []time.Duration
			for b.Loop() {
				start := time.Now()
				if cold {
					if x, err = readUnit(context.Background(), store, unit, now); err != nil {
						b.Fatal(err)
					}
				}
				unitFigures(x, unit, f, today)
				took = append(took, time.Since(start))
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(len(x.cases)), "unit-cases")
		})
	}
}
