package dashboard

import (
	"strconv"

	"throughline/opendata"
)

// withhold is the reader's disclosure control (the policy's
// Decision.SmallNumbers: the commissioner's), at the open data's
// thresholds: a count from 1 to 4 is withheld (primary suppression), and
// so is any median, mean or rate of fewer than 10 cases, and any rate
// whose cases, or whose cases not counted, number 1 to 4 (a rate and its
// base give both). Then secondary suppression: the page's counts are one
// opendata.Problem — each total with the counts that add up to it (the
// quarters of a period, the groups of a comparison, the bands and reasons
// of a distribution, the stages of attrition) — and opendata.Protect
// withholds further counts until no withheld count can be recovered, or
// bounded too tightly, by subtracting what is shown.
//
// Counts are registered by key before the page is written (register, in
// figures.go), then looked up by the same key as it is written.
type withhold struct {
	on    bool
	index map[string]int
	p     opendata.Problem
	st    []opendata.Status
	// parts are the counts that add up to each total the page does not
	// show (cases decided, cases that left): the first sum given for it.
	parts map[string][]string
}

const (
	fewCount  = "Fewer than 5"
	fewFigure = "Too few cases"
	// withheldCount is a count withheld so that another cannot be
	// worked out from it.
	withheldCount = "Withheld"
)

func newWithhold(on bool) *withhold {
	return &withhold{on: on, index: map[string]int{}, parts: map[string][]string{}}
}

// cell registers the count n under key (once: a key already registered
// keeps its first value, the same figure reached another way).
func (w *withhold) cell(key string, n int, total bool) {
	if _, ok := w.index[key]; ok {
		return
	}
	w.index[key] = len(w.p.Values)
	w.p.Values = append(w.p.Values, n)
	w.p.Total = append(w.p.Total, total)
}

// sum registers that the counts of parts add up to the count of total. A
// total that is not a count shown (not registered) is known to a reader
// only through its parts: its first sum defines it, and each further sum
// says that those parts add up to the same.
func (w *withhold) sum(total string, parts ...string) {
	var eq []opendata.Term
	if t, ok := w.index[total]; ok {
		eq = append(eq, opendata.Term{Cell: t, Coef: -1})
	} else if first, ok := w.parts[total]; !ok {
		w.parts[total] = parts
		return
	} else {
		eq = w.terms(eq, first, -1)
	}
	w.p.Eqs = append(w.p.Eqs, w.terms(eq, parts, 1))
}

// terms adds the registered counts of keys to eq, with coefficient coef.
func (w *withhold) terms(eq []opendata.Term, keys []string, coef int) []opendata.Term {
	for _, k := range keys {
		if i, ok := w.index[k]; ok {
			eq = append(eq, opendata.Term{Cell: i, Coef: coef})
		}
	}
	return eq
}

// protect decides what is withheld, once every count is registered.
func (w *withhold) protect() {
	if w.on {
		w.st = opendata.Protect(w.p)
	}
}

// status is what the control does to the count registered under key; a
// total not shown is withheld with any of its parts; any other count by the
// primary rule alone.
func (w *withhold) status(key string, n int) opendata.Status {
	if !w.on {
		return opendata.Shown
	}
	if i, ok := w.index[key]; ok && w.st != nil {
		return w.st[i]
	}
	for _, p := range w.parts[key] {
		if i, ok := w.index[p]; ok && w.st != nil && w.st[i].Suppressed() {
			return opendata.Secondary
		}
	}
	if n >= 1 && n < opendata.MinCount {
		return opendata.Primary
	}
	return opendata.Shown
}

// count is the count registered under key in words, and whether it is
// shown.
func (w *withhold) count(key string, n int) (string, bool) {
	switch w.status(key, n) {
	case opendata.Primary:
		return fewCount, false
	case opendata.Secondary:
		return withheldCount, false
	}
	return strconv.Itoa(n), true
}

// counted is count's words alone.
func (w *withhold) counted(key string, n int) string { s, _ := w.count(key, n); return s }

// withheld reports whether the count under key is withheld.
func (w *withhold) withheld(key string, n int) bool { return w.status(key, n).Suppressed() }

// hides reports whether a figure made from n cases is withheld.
func (w *withhold) hides(n int) bool { return w.on && n > 0 && n < opendata.MinMedianN }

// hidesRate reports whether a rate of k in n is withheld: too few cases,
// or k or n−k from 1 to 4.
func (w *withhold) hidesRate(k, n int) bool {
	small := func(c int) bool { return c >= 1 && c < opendata.MinCount }
	return w.hides(n) || (w.on && (small(k) || small(n-k)))
}
