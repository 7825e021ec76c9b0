package oversight

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"throughline"
	"throughline/calendar"
	"throughline/synth"
)

// The cube's figures are Aggregate's to the digit, for every period of
// whole quarters (the last one ending today), every breakdown, the nation
// and one force, and the distributions' days; and again after cases are
// changed and added (Put), which takes each changed case's old facts away.
func TestCubeAgreesWithAggregate(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	var facts []Facts
	var later [][]throughline.Event // the same cases as they stood earlier
	err := synth.Generate(synth.Options{Cases: 600, Seed: 5, FromYear: 2020, ToYear: 2026, Now: now}, func(evs []throughline.Event) error {
		facts = append(facts, Extract(evs))
		if len(facts)%10 == 0 && len(evs) > 2 {
			later = append(later, evs)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, evs := range RequestCases(t) {
		facts = append(facts, Extract(evs))
	}
	// The cube starts from the cases as they stood before their last
	// events, then learns their last events (a case changed) and the
	// cases it did not have (a case new).
	start := slices.Clone(facts)
	for _, evs := range later {
		for i := range start {
			if start[i].Case == evs[0].Case {
				start[i] = Extract(evs[:len(evs)/2])
			}
		}
	}
	start = start[:len(start)-5]
	today := calendar.DayOf(now).Time()
	c := NewCube(start, now, 12)
	compare := func(t *testing.T, facts []Facts) {
		t.Helper()
		q := func(j int) time.Time { return c.qs[j].from.Time() }
		end := func(j int) time.Time { return c.qs[j].to.Time() }
		last := len(c.qs) - 1
		periods := [][2]time.Time{{q(0), today}, {q(last - 7), today}, {q(last), today}, {q(2), end(5)}, {q(4), end(4)}}
		force := facts[0].Force
		var own []Facts
		for _, f := range facts {
			if f.Force == force {
				own = append(own, f)
			}
		}
		for _, p := range periods {
			for _, by := range []string{"", ByQuarter, ByForce, ByArea, ByCourt, ByOffence, ByEthnicity, ByAge, BySex} {
				want, err := Aggregate(facts, Params{From: p[0], To: p[1], By: by})
				if err != nil {
					t.Fatal(err)
				}
				got, err := c.Report(Params{From: p[0], To: p[1], By: by}, "", "")
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("%s to %s by %q (-Aggregate +cube):\n%s", p[0].Format(time.DateOnly), p[1].Format(time.DateOnly), by, d)
				}
			}
			want, _ := Aggregate(own, Params{From: p[0], To: p[1], By: ByQuarter})
			got, _ := c.Report(Params{From: p[0], To: p[1], By: ByQuarter}, ByForce, force)
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("force %s, %s to %s by quarter (-Aggregate +cube):\n%s", force, p[0].Format(time.DateOnly), p[1].Format(time.DateOnly), d)
			}
			for _, t1 := range timeliness {
				want, _ := Durations(own, t1.key, p[0], p[1])
				got, err := c.Durations(ByForce, force, t1.key, p[0], p[1])
				if err != nil {
					t.Fatal(err)
				}
				if statOf(want) != statOf(got) {
					t.Errorf("force %s, %s: durations %v, want %v", force, t1.key, statOf(got), statOf(want))
				}
			}
		}
	}
	compare(t, start)
	for _, f := range facts {
		c.Put(f)
	}
	compare(t, facts)
}
