package dashboard

import (
	"context"
	"testing"
	"time"

	"throughline"
	"throughline/synth"
	"throughline/web/page"
)

// BenchmarkFigures computes a dashboard's figures (a supervisor's: two
// scopes) from the roll-up of 20,000 synthetic cases, the demo's size, held
// in memory (the database's read comes on top): with the roll-up decoded
// for each request, and with the facts kept while the log stands still.
func BenchmarkFigures(b *testing.B) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	st := &records{}
	if err := synth.Generate(synth.Options{Cases: 20000, Seed: 2022, FromYear: 2022, ToYear: 2026, Now: now}, func(evs []throughline.Event) error {
		st.add(evs)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	d := &Dashboard{Base: &page.Base{Now: func() time.Time { return now }}, Store: st}
	u := throughline.User{Role: throughline.RolePoliceSupervisor, Agency: "police:13"}
	f, err := parse(nil, u, now)
	if err != nil {
		b.Fatal(err)
	}
	for _, cold := range []bool{true, false} {
		name := "facts kept"
		if cold {
			name = "roll-up read each time"
		}
		b.Run(name, func(b *testing.B) {
			if !cold { // the cube kept from a first request
				if _, err := d.figures(context.Background(), u, f, now); err != nil {
					b.Fatal(err)
				}
			}
			for b.Loop() {
				if cold {
					d.cube = nil
				}
				if _, err := d.figures(context.Background(), u, f, now); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(st.recs)), "cases")
		})
	}
}
