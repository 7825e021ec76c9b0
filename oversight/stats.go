package oversight

import (
	"encoding/json"
	"math"
	"slices"
)

// Stat summarises a distribution of whole days (or counts).
//
// Mean is the sum divided by N. Median and P90 are nearest-rank
// percentiles: with the N values sorted ascending as x[1..N], the p-th
// percentile is x[k] with k = ceil(p/100 × N); the median is the 50th (for
// an even N, the lower of the two middle values). Both are therefore
// always one of the observed values. With N = 0 the mean, median and p90
// are null.
type Stat struct {
	N      int
	Sum    int64
	Mean   float64
	Median int
	P90    int
}

// MarshalJSON writes {"mean","median","p90","n"}, nulls when N is 0.
func (s Stat) MarshalJSON() ([]byte, error) {
	type out struct {
		Mean   *float64 `json:"mean"`
		Median *int     `json:"median"`
		P90    *int     `json:"p90"`
		N      int      `json:"n"`
	}
	o := out{N: s.N}
	if s.N > 0 {
		o.Mean, o.Median, o.P90 = &s.Mean, &s.Median, &s.P90
	}
	return json.Marshal(o)
}

// NearestRank returns the p-th percentile (0 < p ≤ 100) of sorted by the
// nearest-rank method. sorted must be non-empty and ascending.
func NearestRank(sorted []int, p float64) int {
	k := int(math.Ceil(p / 100 * float64(len(sorted))))
	k = max(k, 1)
	k = min(k, len(sorted))
	return sorted[k-1]
}

// statOf summarises vs, sorting it in place.
func statOf(vs []int) Stat {
	s := Stat{N: len(vs)}
	if s.N == 0 {
		return s
	}
	slices.Sort(vs)
	for _, v := range vs {
		s.Sum += int64(v)
	}
	s.Mean = float64(s.Sum) / float64(s.N)
	s.Median = NearestRank(vs, 50)
	s.P90 = NearestRank(vs, 90)
	return s
}

// rate returns n/of, or nil when of is 0.
func rate(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	r := float64(n) / float64(of)
	return &r
}
