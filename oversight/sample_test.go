package oversight

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"throughline/synth"
)

// A review's sample: closed cases only, every stratum (force × how the
// case ended) represented, at most perStratum from each, the same draw for
// the same seed and another for another seed.
func TestSampleIsStratifiedAndReproducible(t *testing.T) {
	var facts []Facts
	add := func(force, outcome string, closed bool, n int) {
		for range n {
			f := Facts{Case: fmt.Sprintf("C%03d", len(facts)), Force: force, Closed: None, Outcome: outcome}
			if closed {
				f.Closed = day("2025-06-01")
			}
			facts = append(facts, f)
		}
	}
	add("13", "convicted", true, 10)
	add("13", "", true, 30) // closed before charge
	add("13", "", false, 50)
	add("01", "acquitted", true, 2)
	s, err := Sample(facts, ByForce, 3, 42)
	if err != nil {
		t.Fatal(err)
	}
	per := map[string]int{}
	for _, x := range s {
		per[x.Stratum]++
	}
	want := map[string]int{"01|acquitted": 2, "13|convicted": 3, "13|not_charged": 3}
	if fmt.Sprint(per) != fmt.Sprint(want) {
		t.Errorf("drawn per stratum %v, want %v", per, want)
	}
	again, _ := Sample(facts, ByForce, 3, 42)
	other, _ := Sample(facts, ByForce, 3, 43)
	if fmt.Sprint(again) != fmt.Sprint(s) {
		t.Error("the same seed drew another sample")
	}
	if fmt.Sprint(other) == fmt.Sprint(s) {
		t.Error("another seed drew the same sample")
	}
	for _, bad := range []struct {
		by string
		n  int
	}{{ByCourt, 3}, {ByForce, 0}} {
		if _, err := Sample(facts, bad.by, bad.n, 1); err == nil {
			t.Errorf("Sample(%q, %d) accepted", bad.by, bad.n)
		}
	}
}

// A time breakdown visits each case only in the buckets it counts in: every
// month's, quarter's and year's figures are exactly the figures of
// Aggregate over that bucket's own period, on generated data.
func TestTimeBreakdownEqualsEachPeriodAlone(t *testing.T) {
	facts := synthFacts(t, synth.Options{Cases: 1500, Seed: 5, FromYear: 2021, ToYear: 2026, Now: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)})
	for _, by := range []string{ByMonth, ByQuarter, ByYear} {
		r, err := Aggregate(facts, Params{From: date("2022-02-14"), To: date("2026-11-25"), By: by})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range r.Groups {
			alone, err := Aggregate(facts, Params{From: date(g.From), To: date(g.To)})
			if err != nil {
				t.Fatal(err)
			}
			a, _ := json.Marshal(alone.Measures)
			b, _ := json.Marshal(g.Measures)
			if string(a) != string(b) {
				t.Fatalf("by %s, %s: the breakdown's figures differ from the period's own:\n%s\n%s", by, g.Key, b, a)
			}
		}
		if r.Groups[len(r.Groups)-1].Measures.OpenCaseload.Open == 0 {
			t.Errorf("by %s: no open caseload in the last bucket: the data test nothing", by)
		}
	}
}
