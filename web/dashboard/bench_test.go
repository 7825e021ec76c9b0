package dashboard

import (
	"context"
	"testing"
	"time"

	"throughline"
	"throughline/synth"
	"throughline/web/page"
)

// events is a store of events in memory: the dashboards' computation
// without the database's read.
type events []throughline.Event

func (es events) EachEvent(_ context.Context, fn func(throughline.Event) error) error {
	for _, e := range es {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkFigures computes a dashboard's figures (a supervisor's: two
// scopes) from the events of 20,000 synthetic cases, the demo's size, read
// from memory (the database's read comes on top): with the log read and
// every case's facts extracted for each request, and with the facts kept.
func BenchmarkFigures(b *testing.B) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	var es events
	if err := synth.Generate(synth.Options{Cases: 20000, Seed: 2022, FromYear: 2022, ToYear: 2026, Now: now}, func(evs []throughline.Event) error {
		es = append(es, evs...)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	d := &Dashboard{Base: &page.Base{Now: func() time.Time { return now }}, Store: es}
	u := throughline.User{Role: throughline.RolePoliceSupervisor, Agency: "police:13"}
	f, err := parse(nil, u, now)
	if err != nil {
		b.Fatal(err)
	}
	for _, cold := range []bool{true, false} {
		name := "facts kept"
		if cold {
			name = "log read each time"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if cold {
					d.facts = nil
				}
				if _, err := d.figures(context.Background(), u, f, now); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(es)), "events")
		})
	}
}
