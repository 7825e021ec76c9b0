package oversight

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
)

// Sampled is one case drawn for a case-file review, with its stratum.
type Sampled struct {
	Case    string `json:"case"`
	Stratum string `json:"stratum"` // "force or area|outcome"
}

// ClosedOutcome is how a closed case ended, for a review's strata: the outcome
// at completion of a charged case (convicted, acquitted, stopped, closed),
// else not_charged.
func (f *Facts) ClosedOutcome() string {
	if f.Outcome != "" {
		return f.Outcome
	}
	return "not_charged"
}

// Sample draws a stratified random sample of the closed cases (those with
// a case_closed) for a case-file review: the strata are the force (by
// ByForce) or CPS area (ByArea) crossed with how the case ended
// (ClosedOutcome), and up to perStratum cases are drawn from each, without
// replacement, by a generator seeded with seed — so that the same seed
// over the same record draws the same sample, and a review can say how it
// was drawn. The result is in stratum order, then case order.
func Sample(facts []Facts, by string, perStratum int, seed uint64) ([]Sampled, error) {
	if by != ByForce && by != ByArea {
		return nil, fmt.Errorf("a review's sample is stratified by %s or %s, not %q", ByForce, ByArea, by)
	}
	if perStratum < 1 {
		return nil, fmt.Errorf("a review draws at least one case from each group, not %d", perStratum)
	}
	strata := map[string][]string{}
	for i := range facts {
		f := &facts[i]
		if f.Closed == None {
			continue
		}
		k := key(by, f) + "|" + f.ClosedOutcome()
		strata[k] = append(strata[k], f.Case)
	}
	names := make([]string, 0, len(strata))
	for k := range strata {
		names = append(names, k)
	}
	sort.Strings(names)
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var out []Sampled
	for _, k := range names {
		cases := strata[k]
		slices.Sort(cases) // the draw depends on the record, not on its order
		r.Shuffle(len(cases), func(i, j int) { cases[i], cases[j] = cases[j], cases[i] })
		drawn := cases[:min(perStratum, len(cases))]
		slices.Sort(drawn)
		for _, c := range drawn {
			out = append(out, Sampled{Case: c, Stratum: k})
		}
	}
	return out, nil
}
