package attribution

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"throughline"
	"throughline/synth"
)

func synthetic(t testing.TB, n int, seed uint64, now time.Time) [][]throughline.Event {
	t.Helper()
	var out [][]throughline.Event
	err := synth.Generate(synth.Options{Cases: n, Seed: seed, FromYear: 2016, ToYear: 2025, Now: now}, func(evs []throughline.Event) error {
		out = append(out, evs)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Every day of every generated case, from its report to its closing day or
// asOf, is attributed exactly once — as of the present and as of a random
// day in its life — and the streaming fold counts the same days.
func TestAttributionEveryDayOnce(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	cases := synthetic(t, 800, 11, now)
	r := rand.New(rand.NewPCG(1, 2))
	seen := map[Party]int{}
	rulesSeen := map[Rule]bool{}
	var multi, trials int
	for _, evs := range cases {
		res := Spans(evs, now)
		checkWhole(t, res)
		// The end is the closing day, or the present.
		var closed throughline.When
		for _, e := range evs {
			if e.Type == throughline.TypeCaseClosed {
				closed = e.OccurredAt
			}
		}
		want := DayOf(now.In(throughline.London))
		if !closed.IsZero() {
			want = DayOf(closed.Date())
		}
		if res.End != want || res.Closed == closed.IsZero() {
			t.Fatalf("%s: end %s closed %v, want %s", res.Case, res.End, res.Closed, want)
		}
		if len(res.Defendants) > 0 {
			multi++
		}
		for _, s := range res.Spans {
			seen[s.Party] += s.Days()
			rulesSeen[s.Because.Rule] = true
		}
		// The streaming fold without spans counts the same days.
		var f Fold
		f.Init(now, false)
		for _, e := range evs {
			f.Add(e)
		}
		if got := f.Result(); got.Days != res.Days || got.End != res.End {
			t.Fatalf("%s: fold %+v, spans %+v", res.Case, got.Days, res.Days)
		}
		// To the trial: the same spans, cut at the day the first trial
		// started, as the streaming fold counts them too.
		if tr := SpansToTrial(evs, now); tr.Trial {
			trials++
			checkWhole(t, tr)
			var cut []Span
			for _, s := range res.Spans {
				if s.From < tr.End {
					s.To = min(s.To, tr.End-1)
					cut = append(cut, s)
				}
			}
			if !slices.Equal(cut, tr.Spans) {
				t.Fatalf("%s: to the trial %s:\n%s\nwant\n%s", res.Case, tr.End, dump(tr.Spans), dump(cut))
			}
			f.Init(now, false)
			f.ToTrial()
			for _, e := range evs {
				f.Add(e)
			}
			if got := f.Result(); got.Days != tr.Days || !got.Trial || got.ByRule != tr.ByRule {
				t.Fatalf("%s: fold to the trial %+v, spans %+v", res.Case, got.Days, tr.Days)
			}
		}
		// As of a random moment in the case's life.
		life := int(now.Sub(evs[0].OccurredAt.Time()).Hours()/24) + 1
		asOf := evs[0].OccurredAt.Time().AddDate(0, 0, r.IntN(life))
		checkWhole(t, Spans(evs, asOf))
	}
	for _, p := range Parties {
		if p != Defence && seen[p] == 0 { // the generator serves no BCM stages
			t.Errorf("no day of %d cases waits on %s", len(cases), p)
		}
	}
	if multi == 0 || trials == 0 {
		t.Errorf("of the generated cases, %d had defendants that differ and %d a trial: the test needs both", multi, trials)
	}
	t.Logf("%d cases, %d with defendants that differ; days %v; rules %d of %d", len(cases), multi, seen, len(rulesSeen), len(Rules()))
}

// Aggregates add up: the totals are the sum of the cases' days, the shares
// add up to one, and the median is the middle case.
func TestAttributionAggregate(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	cases := synthetic(t, 300, 5, now)
	from, to := DayOf(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)), DayOf(time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC))
	asOf := (to + 1).Time()
	var a Aggregate
	var sum Days
	n := 0
	for _, evs := range cases {
		r := Spans(evs, asOf)
		if !InPeriod(r, from, to) {
			continue
		}
		n++
		sum.Add(Police, r.Days.Police)
		sum.Add(CPS, r.Days.CPS)
		sum.Add(Court, r.Days.Court)
		sum.Add(Defence, r.Days.Defence)
		sum.Add(Complainant, r.Days.Complainant)
		sum.Add(Nobody, r.Days.Nobody)
		a.Add("all", r)
		a.Add(r.Force, r)
	}
	ss := a.Summaries()
	var all *Summary
	cases2 := 0
	for i := range ss {
		if ss[i].Group == "all" {
			all = &ss[i]
		} else {
			cases2 += ss[i].Cases
		}
	}
	if all == nil || all.Cases != n || cases2 != n || all.Days != sum || all.AgeDays != sum.Total() {
		t.Fatalf("all: %+v, want %d cases, %+v", all, n, sum)
	}
	var share float64
	for _, p := range Parties {
		share += all.Share.Of(p)
	}
	if share < 0.999999 || share > 1.000001 {
		t.Errorf("shares add up to %f", share)
	}
	// The rules split each party's days: they add up to the party's.
	var byRules Days
	for _, r := range all.Rules {
		if r.Party != r.Rule.Party() || r.Days == 0 {
			t.Errorf("rule %s: %+v", r.Rule, r)
		}
		byRules.Add(r.Party, r.Days)
	}
	if byRules != all.Days || len(all.Rules) < 5 {
		t.Errorf("the rules' days %+v (%d rules), the parties' %+v", byRules, len(all.Rules), all.Days)
	}
	if all.MedianAge <= 0 || all.Median.Police <= 0 {
		t.Errorf("medians %+v, age %f", all.Median, all.MedianAge)
	}
}

// The medians counted (counts) are the middle of the numbers sorted: the
// middle one, or the mean of the middle two, over runs of every length with
// repeats and zeros.
func TestCountsMedianIsTheSortedMiddle(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 40 {
		for range 20 {
			var c counts
			xs := make([]int, n)
			for i := range xs {
				xs[i] = rng.IntN(12)
				c.add(xs[i])
			}
			slices.Sort(xs)
			want := 0.0
			if n > 0 {
				want = (float64(xs[(n-1)/2]) + float64(xs[n/2])) / 2
			}
			if got := c.median(n); got != want {
				t.Fatalf("median of %v counted: %v, want %v", xs, got, want)
			}
		}
	}
}
