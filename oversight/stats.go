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
	return sorted[nearestRank(p, len(sorted))-1]
}

// nearestRank is the rank (1 to n) of the p-th percentile of n values.
func nearestRank(p float64, n int) int {
	return min(max(int(math.Ceil(p/100*float64(n))), 1), n)
}

// statOf summarises vs.
func statOf(vs []int) Stat {
	h := hist{}
	for _, v := range vs {
		h.add(v, 1)
	}
	return h.stat()
}

// hist counts values (days): a multiset whose Stat is the one of the
// values sorted. A count brought to 0 is removed, so that a value added
// and taken away again leaves no trace.
type hist map[int]int

func (h hist) add(v, n int) {
	if c := h[v] + n; c != 0 {
		h[v] = c
	} else {
		delete(h, v)
	}
}

// merge adds every count of o.
func (h hist) merge(o hist) {
	for v, n := range o {
		h.add(v, n)
	}
}

// stat summarises the values: the mean of their sum, and the median and
// 90th percentile by the nearest rank (NearestRank).
func (h hist) stat() Stat {
	vs := make([]int, 0, len(h))
	var s Stat
	for v, n := range h {
		vs = append(vs, v)
		s.N += n
		s.Sum += int64(v) * int64(n)
	}
	if s.N == 0 {
		return Stat{}
	}
	slices.Sort(vs)
	s.Mean = float64(s.Sum) / float64(s.N)
	rank := func(p float64) int {
		k := nearestRank(p, s.N)
		seen := 0
		for _, v := range vs {
			if seen += h[v]; seen >= k {
				return v
			}
		}
		return vs[len(vs)-1]
	}
	s.Median, s.P90 = rank(50), rank(90)
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
