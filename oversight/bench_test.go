package oversight

import (
	"fmt"
	"testing"
	"time"

	"throughline"
	"throughline/deadline"
	"throughline/synth"
)

// benchCases generates n synthetic cases over 2016–2026 as of 25 Nov 2026:
// the national mix (most reports end before charge; a few run to trial).
func benchCases(b *testing.B, n int) [][]throughline.Event {
	b.Helper()
	var out [][]throughline.Event
	if err := synth.Generate(synth.Options{Cases: n, Seed: 11, FromYear: 2016, ToYear: 2026, Now: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)},
		func(evs []throughline.Event) error { out = append(out, evs); return nil }); err != nil {
		b.Fatal(err)
	}
	return out
}

// Extracting one case's Facts from its events, the national mix of cases;
// deadline.Compute alone for comparison (Extract calls it).
func BenchmarkExtract(b *testing.B) {
	cases := benchCases(b, 20000)
	var events int
	for _, c := range cases {
		events += len(c)
	}
	b.Run("facts", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			Extract(cases[i%len(cases)])
		}
		b.ReportMetric(float64(events)/float64(len(cases)), "events/case")
	})
	b.Run("deadline.Compute only", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			deadline.Compute(cases[i%len(cases)])
		}
	})
	// Charged cases only: the long ones, with hearings and deadlines.
	var charged [][]throughline.Event
	for _, c := range cases {
		for _, e := range c {
			if e.Type == throughline.TypeCharged {
				charged = append(charged, c)
				break
			}
		}
	}
	b.Run("facts, charged cases", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			Extract(charged[i%len(charged)])
		}
	})
}

// Aggregating N cases' Facts into the report of one year, and broken down
// by force and by month. 700,000 is the national set of ten years (the
// 100,000 generated cases' Facts repeated seven times; smaller N take
// cases spread over the decade).
func BenchmarkAggregate(b *testing.B) {
	cases := benchCases(b, 100000)
	base := make([]Facts, len(cases))
	for i, c := range cases {
		base[i] = Extract(c)
	}
	year := Params{From: date("2025-01-01"), To: date("2025-12-31")}
	for _, n := range []int{10000, 100000, 700000} {
		facts := make([]Facts, n)
		for i := range facts {
			// Spread over the whole decade, whatever n.
			facts[i] = base[i*len(base)/n%len(base)]
		}
		for _, by := range []string{"", ByForce, ByMonth} {
			p := year
			p.By = by
			name := fmt.Sprintf("cases=%d/by=%s", n, by)
			if by == "" {
				name = fmt.Sprintf("cases=%d/overall", n)
			}
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					if _, err := Aggregate(facts, p); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/case")
			})
		}
	}
}
