package attribution

import "sort"

// InPeriod reports whether a case counts for the period from..to (both
// days inclusive): reported on or before to, and not closed before from —
// the cases closed in the period or open at some time in it. Attribute
// such a case as of the day after to (or the present, if sooner), so that
// a case still open at the end of the period counts its days up to then.
func InPeriod(r Result, from, to Day) bool {
	return r.Reported <= to && (!r.Closed || r.End >= from)
}

// Floats holds one number per party, for medians and shares.
type Floats struct {
	Police      float64 `json:"police"`
	CPS         float64 `json:"cps"`
	Court       float64 `json:"court"`
	Defence     float64 `json:"defence"`
	Complainant float64 `json:"complainant"`
	Nobody      float64 `json:"nobody"`
}

func (f *Floats) ptr(p Party) *float64 {
	switch p {
	case Police:
		return &f.Police
	case CPS:
		return &f.CPS
	case Court:
		return &f.Court
	case Defence:
		return &f.Defence
	case Complainant:
		return &f.Complainant
	default:
		return &f.Nobody
	}
}

// Of returns the number of party p.
func (f Floats) Of(p Party) float64 { return *f.ptr(p) }

// Summary is where a group of cases' days went.
type Summary struct {
	Group string `json:"group"` // a force's PNC code, a CPS area, or "all"
	Cases int    `json:"cases"`
	// Days are the totals over the group's cases; they add up to AgeDays.
	Days    Days `json:"days"`
	AgeDays int  `json:"age_days"`
	// Median is each party's median days per case, over every case in the
	// group (a case with none of a party's days counts as 0).
	Median Floats `json:"median"`
	// MedianAge is the median case age in days (report to closing or asOf).
	MedianAge float64 `json:"median_age"`
	// Share is each party's share of AgeDays, 0 to 1.
	Share Floats `json:"share"`
	// Rules split the days by the rule that decided them — the reason, and
	// so the stage — in precedence order, rules with no days left out.
	Rules []RuleShare `json:"rules"`
}

// RuleShare is the days one rule decided in a group.
type RuleShare struct {
	Rule  Rule    `json:"rule"`
	Party Party   `json:"party"`
	Days  int     `json:"days"`
	Share float64 `json:"share"` // of the group's AgeDays, 0 to 1
}

// Aggregate collects results into groups. The zero value is ready to use.
type Aggregate struct {
	groups map[string]*group
}

type group struct {
	days  Days
	rules RuleDays
	per   [len(Parties)]counts
	ages  counts
	cases int
}

// Add counts a case's result in group g.
func (a *Aggregate) Add(g string, r Result) {
	if a.groups == nil {
		a.groups = map[string]*group{}
	}
	x := a.groups[g]
	if x == nil {
		x = &group{}
		a.groups[g] = x
	}
	x.cases++
	for _, p := range Parties {
		n := r.Days.Of(p)
		x.days.Add(p, n)
		x.per[p].add(n)
	}
	x.ages.add(r.Days.Total())
	for i, n := range r.ByRule {
		x.rules[i] += n
	}
}

// Summaries returns one summary per group in group order.
func (a *Aggregate) Summaries() []Summary {
	names := make([]string, 0, len(a.groups))
	for n := range a.groups {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]Summary, 0, len(names))
	for _, n := range names {
		x := a.groups[n]
		s := Summary{Group: n, Cases: x.cases, Days: x.days, AgeDays: x.days.Total(), MedianAge: x.ages.median(x.cases)}
		for _, p := range Parties {
			*s.Median.ptr(p) = x.per[p].median(x.cases)
			if s.AgeDays > 0 {
				*s.Share.ptr(p) = float64(x.days.Of(p)) / float64(s.AgeDays)
			}
		}
		for _, r := range Rules() {
			if n := x.rules[r]; n > 0 {
				s.Rules = append(s.Rules, RuleShare{Rule: r, Party: r.Party(), Days: n, Share: float64(n) / float64(s.AgeDays)})
			}
		}
		out = append(out, s)
	}
	return out
}

// counts is how many of a group's cases had each number of days (the
// index): the medians come from it exactly as from the sorted numbers, with
// no number kept per case — the national set's 700,000 cases make a few
// thousand counts, not seven slices of 700,000 to grow and sort.
type counts []int32

func (c *counts) add(n int) {
	if n >= len(*c) {
		*c = append(*c, make(counts, n+1-len(*c))...)
	}
	(*c)[n]++
}

// median is the median of the n numbers counted (the mean of the middle
// two for an even n; 0 for none).
func (c counts) median(n int) float64 {
	if n == 0 {
		return 0
	}
	// The numbers at 0-based ranks (n-1)/2 and n/2 in order: the same one
	// when n is odd.
	lo, hi := -1, -1
	seen := 0
	for v, k := range c {
		seen += int(k)
		if lo < 0 && seen > (n-1)/2 {
			lo = v
		}
		if seen > n/2 {
			hi = v
			break
		}
	}
	return (float64(lo) + float64(hi)) / 2
}
