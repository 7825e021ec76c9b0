package oversight

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"throughline"
	"throughline/attribution"
	"throughline/synth"
)

// Days held per agency: each day of the period a case was open on goes to
// the party package attribution says it was waiting on; the closing day is
// not counted, and an open case's last party runs on to the period's end.
func TestDaysHeld(t *testing.T) {
	b := Extract(build(t, "13RS0000002/24", caseB)) // police to 31 March 2024; her withdrawal from 1 April; closed 15 April
	open := Extract(build(t, "13RS0000001/24", caseA[:strings.Index(caseA, "case_closed")]))
	for _, tc := range []struct {
		name     string
		facts    []Facts
		from, to string
		cases    int
		days     attribution.Days
	}{
		{"either side of her withdrawal", []Facts{b}, "2024-03-15", "2024-04-10", 1, attribution.Days{Police: 17, Complainant: 10}},
		{"to the closing day, not counted", []Facts{b}, "2024-04-01", "2024-06-30", 1, attribution.Days{Complainant: 14}},
		{"after it closed", []Facts{b}, "2024-05-01", "2024-06-30", 0, attribution.Days{}},
		{"an open case runs on", []Facts{open}, "2025-07-01", "2025-07-31", 1, attribution.Days{Nobody: 31}},
		{"both, under investigation", []Facts{b, open}, "2024-03-01", "2024-03-31", 2, attribution.Days{Police: 62}},
	} {
		r, err := Aggregate(tc.facts, Params{From: date(tc.from), To: date(tc.to)})
		if err != nil {
			t.Fatal(err)
		}
		if h := r.DaysHeld; h.Cases != tc.cases || h.Days != tc.days {
			t.Errorf("%s: %d cases, %+v; want %d, %+v", tc.name, h.Cases, h.Days, tc.cases, tc.days)
		}
	}
	r, _ := Aggregate([]Facts{b}, Params{From: date("2024-03-15"), To: date("2024-04-10")})
	if s := r.DaysHeld.Share; s.Police != 17.0/27 || s.Complainant != 10.0/27 {
		t.Errorf("shares %+v", s)
	}
}

// Over the whole of each closed case's life the days held are exactly
// package attribution's own, for generated cases: the measure reuses its
// rule, it does not restate it.
func TestDaysHeldAreAttributions(t *testing.T) {
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	var facts []Facts
	var want attribution.Days
	closed := 0
	if err := synth.Generate(synth.Options{Cases: 300, Seed: 7, FromYear: 2019, ToYear: 2026, Now: now}, func(evs []throughline.Event) error {
		f := Extract(evs)
		facts = append(facts, f)
		r := attribution.Spans(evs, now)
		for _, p := range attribution.Parties {
			want.Add(p, r.Days.Of(p))
		}
		if r.Closed {
			closed++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// As of now: the day before it, so that an open case counts to there,
	// as attribution's asOf (not counted) does.
	r, err := Aggregate(facts, Params{From: date("2000-01-01"), To: now.AddDate(0, 0, -1)})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, r.DaysHeld.Days); d != "" || closed == 0 || want.Total() == 0 {
		t.Errorf("days held differ from attribution's (-attribution +measure), %d closed:\n%s", closed, d)
	}
}

// Custody time limits: the journey's Crown Court limit expires on 15 May
// 2025; a trial starting on the 12th (3 days to spare) or the 8th (7) is a
// near miss, one on the 7th (8 days) is not.
func TestCustodyNearMisses(t *testing.T) {
	for _, tc := range []struct {
		trial string
		near  int
	}{{"2025-05-12", 1}, {"2025-05-08", 1}, {"2025-05-07", 0}} {
		f := Extract(build(t, "13RS0000001/24", strings.ReplaceAll(caseA, "2025-05-12", tc.trial)))
		r, err := Aggregate([]Facts{f}, Params{From: date("2025-05-01"), To: date("2025-05-31")})
		if err != nil {
			t.Fatal(err)
		}
		if c := r.CustodyLimits; c.Met != 1 || c.NearMisses != tc.near || c.WithinDays != 7 || *c.Rate != float64(tc.near) {
			t.Errorf("trial on %s: %+v, want 1 met, %d near misses", tc.trial, c, tc.near)
		}
		// Counted in the period of the day it was met, not of its expiry.
		r, _ = Aggregate([]Facts{f}, Params{From: date("2025-05-13"), To: date("2025-05-31")})
		if c := r.CustodyLimits; c.Met != 0 || c.Rate != nil {
			t.Errorf("trial on %s, period from 13 May: %+v", tc.trial, c)
		}
	}
}
