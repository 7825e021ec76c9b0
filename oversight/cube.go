package oversight

import (
	"reflect"
	"time"

	"throughline/calendar"
)

// Cube holds every case's facts and, for the calendar quarters of a window
// ending today, the sums of their figures per quarter and per group of each
// breakdown asked for: so that the figures of a period of whole quarters
// are a merge of its quarters' sums, not a pass over every case
// (docs/adr/0255). A case's facts that change are taken away from the sums
// and added again (Put). The figures are Aggregate's to the digit
// (TestCubeAgreesWithAggregate); a period the sums cannot give (not whole
// quarters of the window, or by month or year) is Aggregate's over the
// facts. A Cube is not safe for concurrent use.
type Cube struct {
	facts []Facts
	index map[string]int // case → its place in facts
	today calendar.Day
	qs    []bucket // the window's quarters, the last cut at today
	mark  []bool   // touches' scratch
	split map[string]bool
	by    map[string]*cells // breakdown ("" for none) → its sums, built when first asked for
}

// cells are the sums of one breakdown: per group, per quarter of the
// window (nil where no case of the group counts anything).
type cells struct {
	cases map[string]int // cases per group, whatever their dates
	accs  map[string][]*acc
}

// NewCube keeps facts (the Cube's own from now on) and sums them over the
// quarters calendar.DayOf(today) falls in and the quarters-1 before it.
func NewCube(facts []Facts, today time.Time, quarters int) *Cube {
	t := calendar.DayOf(today)
	y, m, _ := t.Civil()
	first := calendar.Date(y, time.Month((int(m)-1)/3*3+1), 1)
	for range quarters - 1 {
		fy, fm, _ := (first - 1).Civil()
		first = calendar.Date(fy, time.Month((int(fm)-1)/3*3+1), 1)
	}
	c := &Cube{facts: facts, index: make(map[string]int, len(facts)), today: t, qs: buckets(ByQuarter, first, t),
		split: ruleSplit(), by: map[string]*cells{}}
	c.mark = make([]bool, len(c.qs))
	for i := range facts {
		c.index[facts[i].Case] = i
	}
	return c
}

// EndsOn says whether the window ends on day's calendar day.
func (c *Cube) EndsOn(day time.Time) bool { return calendar.DayOf(day) == c.today }

// Facts are every case's facts, which the caller must not change.
func (c *Cube) Facts() []Facts { return c.facts }

// Put keeps a case's facts, new or changed: the sums of every breakdown
// built lose its old facts and gain the new.
func (c *Cube) Put(f Facts) {
	i, ok := c.index[f.Case]
	if !ok {
		i = len(c.facts)
		c.index[f.Case] = i
		c.facts = append(c.facts, Facts{})
	}
	for by, cs := range c.by {
		if ok {
			c.add(cs, by, &c.facts[i], -1)
		}
		c.add(cs, by, &f, 1)
	}
	c.facts[i] = f
}

// add counts f n times in the cells of its group of the breakdown.
func (c *Cube) add(cs *cells, by string, f *Facts, n int) {
	g := key(by, f)
	if k := cs.cases[g] + n; k != 0 {
		cs.cases[g] = k
	} else {
		delete(cs.cases, g)
	}
	accs := cs.accs[g]
	if accs == nil {
		accs = make([]*acc, len(c.qs))
		cs.accs[g] = accs
	}
	var dry *DaysHeld // open on a day of a quarter, counting nothing
	for j := range touches(f, c.qs, c.mark) {
		a := accs[j]
		if a == nil {
			a = newAcc()
			accs[j] = a
		}
		b := c.qs[j]
		a.add(f, b.from, b.to, n)
		if j > 0 && dry.addHeld(f, b.from, b.to, 0) && dry.addHeld(f, c.qs[j-1].from, c.qs[j-1].to, 0) {
			a.continuing += n
		}
	}
}

// cellsOf returns the sums of the breakdown, summing every case first if
// they have not been asked for before.
func (c *Cube) cellsOf(by string) *cells {
	cs := c.by[by]
	if cs == nil {
		cs = &cells{cases: map[string]int{}, accs: map[string][]*acc{}}
		for i := range c.facts {
			c.add(cs, by, &c.facts[i], 1)
		}
		c.by[by] = cs
	}
	return cs
}

// span is the quarters [j0, j1] of the window that the period from–to
// is made of, or false.
func (c *Cube) span(from, to time.Time) (int, int, bool) {
	if from.IsZero() || to.IsZero() {
		return 0, 0, false
	}
	f, t := calendar.DayOf(from), calendar.DayOf(to)
	j0, j1 := -1, -1
	for j, b := range c.qs {
		if b.from == f {
			j0 = j
		}
		if b.to == t {
			j1 = j
		}
	}
	return j0, j1, j0 >= 0 && j1 >= j0
}

// Report is Aggregate's Report of the cases whose group under scopeBy is
// scope (every case for scopeBy ""), broken down by p.By: from the sums
// when p's period is whole quarters of the window (the last may end today)
// and p.By is none, quarter or, for every case, a group; else from the
// facts.
func (c *Cube) Report(p Params, scopeBy, scope string) (Report, error) {
	j0, j1, ok := c.span(p.From, p.To)
	grouped := p.By != "" && p.By != ByQuarter && p.By != ByMonth && p.By != ByYear
	if !ok || p.By == ByMonth || p.By == ByYear || (grouped && scopeBy != "") {
		return Aggregate(c.scope(scopeBy, scope), p)
	}
	own := c.cellsOf(scopeBy)
	from, to := calendar.DayOf(p.From), calendar.DayOf(p.To)
	r := Report{From: from.String(), To: to.String(), By: p.By, Cases: own.cases[scope]}
	r.Measures = merge(own.accs[scope], j0, j1).measures(to, c.split)
	switch {
	case p.By == ByQuarter:
		for j := j0; j <= j1; j++ {
			b := c.qs[j]
			r.Groups = append(r.Groups, Group{Key: b.key, Label: b.label, From: b.from.String(), To: b.to.String(),
				Measures: merge(own.accs[scope], j, j).measures(b.to, c.split)})
		}
	case grouped:
		cs := c.cellsOf(p.By)
		groups := map[string]*acc{}
		for g := range cs.cases {
			groups[g] = merge(cs.accs[g], j0, j1)
		}
		for _, k := range orderKeys(p.By, groups) {
			r.Groups = append(r.Groups, Group{Key: k, Label: Label(p.By, k), Measures: groups[k].measures(to, c.split)})
		}
	}
	return r, nil
}

// Durations is the package's Durations over the scope's cases (in no
// particular order when from the sums).
func (c *Cube) Durations(scopeBy, scope, measure string, from, to time.Time) ([]int, error) {
	j0, j1, ok := c.span(from, to)
	i := -1
	for k, t := range timeliness {
		if t.key == measure {
			i = k
		}
	}
	if !ok || i < 0 {
		return Durations(c.scope(scopeBy, scope), measure, from, to)
	}
	var out []int
	for v, n := range merge(c.cellsOf(scopeBy).accs[scope], j0, j1).spans[i] {
		for range n {
			out = append(out, v)
		}
	}
	return out, nil
}

// scope is the facts of the cases whose group under by is group.
func (c *Cube) scope(by, group string) []Facts {
	if by == "" {
		return c.facts
	}
	var out []Facts
	for i := range c.facts {
		if key(by, &c.facts[i]) == group {
			out = append(out, c.facts[i])
		}
	}
	return out
}

// merge sums the quarters [j0, j1] of accs into one acc with the figures of
// the period they make: counts add up; a deadline pending at the end of a
// quarter before the last (due on its last day) is missed by the end of
// the period; the open caseload is the last quarter's, as of its end; a
// case held open in consecutive quarters is counted once.
func merge(accs []*acc, j0, j1 int) *acc {
	out := newAcc()
	if accs == nil {
		return out
	}
	for j := j0; j <= j1; j++ {
		a := accs[j]
		if a == nil {
			continue
		}
		sumCounts(reflect.ValueOf(&out.m).Elem(), reflect.ValueOf(&a.m).Elem())
		if j > j0 {
			out.m.DaysHeld.Cases -= a.continuing
		}
		for i := range a.spans {
			out.spans[i].merge(a.spans[i])
		}
		out.adjournments.merge(a.adjournments)
		if j == j1 {
			out.openAge.merge(a.openAge)
		}
		for k, rc := range a.rules {
			sum := out.rules[k]
			if sum == nil {
				r := *rc
				r.Due, r.MetOnTime, r.MetLate, r.Missed, r.Pending = 0, 0, 0, 0, 0
				sum = &r
				out.rules[k] = sum
			}
			sum.Due += rc.Due
			sum.MetOnTime += rc.MetOnTime
			sum.MetLate += rc.MetLate
			if j < j1 {
				sum.Missed += rc.Missed + rc.Pending
			} else {
				sum.Missed += rc.Missed
				sum.Pending += rc.Pending
			}
		}
	}
	return out
}

// sumCounts adds every count of src to dst, field by field: the ints, and
// the maps of counts (a count brought to 0 is removed), of Measures and the
// structs in it. The figures made from counts (rates, Stats, shares) are
// measures' to make.
func sumCounts(dst, src reflect.Value) {
	switch dst.Kind() {
	case reflect.Int:
		dst.SetInt(dst.Int() + src.Int())
	case reflect.Map:
		if dst.Type().Elem().Kind() != reflect.Int {
			return
		}
		it := src.MapRange()
		for it.Next() {
			n := it.Value().Int()
			if cur := dst.MapIndex(it.Key()); cur.IsValid() {
				n += cur.Int()
			}
			if n == 0 {
				dst.SetMapIndex(it.Key(), reflect.Value{})
			} else {
				dst.SetMapIndex(it.Key(), reflect.ValueOf(int(n)))
			}
		}
	case reflect.Struct:
		for i := range dst.NumField() {
			sumCounts(dst.Field(i), src.Field(i))
		}
	}
}

// copyCounts gives m maps of its own, without the counts brought to 0 (but
// with every notice timing, which InformationRequests always lists).
func copyCounts(m *Measures) {
	copyMaps(reflect.ValueOf(m).Elem())
	for _, k := range NoticeTimings {
		if _, ok := m.InformationRequests.Notice[k]; !ok {
			m.InformationRequests.Notice[k] = 0
		}
	}
}

func copyMaps(v reflect.Value) {
	switch v.Kind() {
	case reflect.Map:
		if v.Type().Elem().Kind() != reflect.Int || v.IsNil() {
			return
		}
		own := reflect.MakeMapWithSize(v.Type(), v.Len())
		it := v.MapRange()
		for it.Next() {
			if it.Value().Int() != 0 {
				own.SetMapIndex(it.Key(), it.Value())
			}
		}
		v.Set(own)
	case reflect.Struct:
		for i := range v.NumField() {
			copyMaps(v.Field(i))
		}
	}
}
