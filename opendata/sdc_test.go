package opendata

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// The attacker sees only what is published: a value, or nothing ([c]), for
// each figure, and the lines a reader can add up: rows, columns, the
// margins, and the links between the force and area tables. It knows
// nothing of Protect.
type published struct {
	val   []int
	known []bool
	lines [][]sterm // Σ sign × value = 0
}

type sterm struct{ at, sign int }

// subtract solves every line with one unknown, repeatedly, and returns what
// it recovered.
func (p published) subtract() map[int]int {
	known := append([]bool(nil), p.known...)
	val := append([]int(nil), p.val...)
	got := map[int]int{}
	for changed := true; changed; {
		changed = false
		for _, l := range p.lines {
			unknown, sum := -1, 0
			n := 0
			for _, t := range l {
				if known[t.at] {
					sum += t.sign * val[t.at]
				} else {
					unknown = t.at
					n++
				}
			}
			if n != 1 {
				continue
			}
			var sign int
			for _, t := range l {
				if t.at == unknown {
					sign = t.sign
				}
			}
			val[unknown] = -sum * sign
			known[unknown] = true
			got[unknown] = val[unknown]
			changed = true
		}
	}
	return got
}

// bounds narrows each unknown to an interval, counts being at least 0, by
// the same subtraction with intervals, repeatedly.
func (p published) bounds() (lo, hi []float64) {
	lo, hi = make([]float64, len(p.val)), make([]float64, len(p.val))
	for i := range p.val {
		if p.known[i] {
			lo[i], hi[i] = float64(p.val[i]), float64(p.val[i])
		} else {
			hi[i] = math.Inf(1)
		}
	}
	for round := 0; round < 5000; round++ {
		changed := false
		for _, l := range p.lines {
			for _, u := range l {
				if p.known[u.at] {
					continue
				}
				// sign_u x_u = -Σ others
				a, b := 0.0, 0.0
				for _, t := range l {
					if t == u {
						continue
					}
					if t.sign > 0 {
						a -= hi[t.at]
						b -= lo[t.at]
					} else {
						a += lo[t.at]
						b += hi[t.at]
					}
				}
				if u.sign < 0 {
					a, b = -b, -a
				}
				if a > lo[u.at] {
					lo[u.at], changed = a, true
				}
				if b < hi[u.at] {
					hi[u.at], changed = b, true
				}
			}
		}
		if !changed {
			break
		}
	}
	return lo, hi
}

// publish turns a problem and its statuses into what a reader sees.
func publish(p Problem, st []Status) published {
	pub := published{val: make([]int, len(p.Values)), known: make([]bool, len(p.Values))}
	for i, v := range p.Values {
		if !st[i].Suppressed() {
			pub.val[i], pub.known[i] = v, true
		}
	}
	for _, eq := range p.Eqs {
		var l []sterm
		for _, t := range eq {
			l = append(l, sterm{t.Cell, t.Coef})
		}
		pub.lines = append(pub.lines, l)
	}
	return pub
}

// check asserts the disclosure properties of a protected problem.
func check(t *testing.T, name string, p Problem, st []Status) {
	t.Helper()
	for i, v := range p.Values {
		if !st[i].Suppressed() && v >= 1 && v <= 4 {
			t.Fatalf("%s: cell %d = %d shown", name, i, v)
		}
		if v >= 1 && v <= 4 && st[i] != Primary {
			t.Fatalf("%s: cell %d = %d not primary", name, i, v)
		}
	}
	for e, eq := range p.Eqs {
		n := 0
		for _, tm := range eq {
			if st[tm.Cell].Suppressed() {
				n++
			}
		}
		if n == 1 {
			t.Fatalf("%s: equation %d has exactly one suppressed cell", name, e)
		}
	}
	pub := publish(p, st)
	for at, v := range pub.subtract() {
		if st[at] == Primary {
			t.Fatalf("%s: the attacker recovered primary cell %d = %d by subtraction", name, at, v)
		}
	}
	lo, hi := pub.bounds()
	for i, s := range st {
		if s == Primary && hi[i]-lo[i] < MinWidth {
			t.Fatalf("%s: primary cell %d = %d bounded to [%v, %v]", name, i, p.Values[i], lo[i], hi[i])
		}
		if s.Suppressed() && (float64(p.Values[i]) < lo[i] || float64(p.Values[i]) > hi[i]) {
			t.Fatalf("%s: the attacker's bounds [%v, %v] exclude the true %d (attacker bug)", name, lo[i], hi[i], p.Values[i])
		}
	}
	det := Determined(p, st)
	for i, s := range st {
		if s == Primary && det[i] {
			t.Fatalf("%s: primary cell %d is determined by a combination of equations", name, i)
		}
	}
}

// randomTable is a table of mostly small counts, as a force's quarter is.
func randomTable(r *rand.Rand, id string) *Table {
	nr, nc := 1+r.IntN(12), 1+r.IntN(6)
	rows, cols := make([]Header, nr), make([]Header, nc)
	for i := range rows {
		rows[i] = Header{fmt.Sprint(i), fmt.Sprint("row ", i)}
	}
	for i := range cols {
		cols[i] = Header{fmt.Sprint(i), fmt.Sprint("col ", i)}
	}
	counts := make([][]int, nr)
	small := r.Float64()
	for i := range counts {
		counts[i] = make([]int, nc)
		for j := range counts[i] {
			if r.Float64() < small {
				counts[i][j] = r.IntN(5)
			} else {
				counts[i][j] = r.IntN(60)
			}
		}
	}
	return newTable(id, id, "test", "row", rows, cols, nc > 1 && r.IntN(4) > 0, "Total", counts)
}

func tableProblem(t *Table) (Problem, layout) {
	var p Problem
	l := t.layout(0)
	l.add(&p)
	return p, l
}

// Property: on random tables, the subtracting attacker recovers no
// primary-suppressed cell, its interval for each is at least MinWidth wide,
// and no combination of the equations fixes one.
func TestOpenDataSuppressionRandomTables(t *testing.T) {
	for seed := uint64(0); seed < 600; seed++ {
		r := rand.New(rand.NewPCG(seed, 15))
		tb := randomTable(r, "t")
		p, _ := tableProblem(tb)
		check(t, fmt.Sprint("seed ", seed), p, Protect(p))
	}
}

// Property: linked force and area tables (random groups of rows in the
// first summing to rows of the second).
func TestOpenDataSuppressionRandomLinkedTables(t *testing.T) {
	for seed := uint64(0); seed < 300; seed++ {
		r := rand.New(rand.NewPCG(seed, 16))
		nf, na := 2+r.IntN(15), 1+r.IntN(5)
		na = min(na, nf)
		nc := 1 + r.IntN(5)
		owner := make([]int, nf) // force → area
		for f := range owner {
			owner[f] = r.IntN(na)
			if f < na {
				owner[f] = f
			}
		}
		small := r.Float64()
		fc := make([][]int, nf)
		ac := make([][]int, na)
		for a := range ac {
			ac[a] = make([]int, nc)
		}
		for f := range fc {
			fc[f] = make([]int, nc)
			for c := range fc[f] {
				if r.Float64() < small {
					fc[f][c] = r.IntN(5)
				} else {
					fc[f][c] = r.IntN(40)
				}
				ac[owner[f]][c] += fc[f][c]
			}
		}
		hdr := func(n int) []Header {
			h := make([]Header, n)
			for i := range h {
				h[i] = Header{fmt.Sprint(i), fmt.Sprint(i)}
			}
			return h
		}
		rowTotals := nc > 1 && r.IntN(2) == 0
		ft := newTable("f", "f", "force", "Force", hdr(nf), hdr(nc), rowTotals, "Total", fc)
		at := newTable("a", "a", "cps_area", "Area", hdr(na), hdr(nc), rowTotals, "Total", ac)
		groups := make([]Group, na)
		for a := range groups {
			groups[a].Areas = []int{a}
		}
		for f, a := range owner {
			groups[a].Forces = append(groups[a].Forces, f)
		}
		p, st := linkedProblem(ft, at, groups)
		check(t, fmt.Sprint("linked seed ", seed), p, st)
	}
}

// linkedProblem runs ProtectLinked and rebuilds the Problem it solved, so
// that check sees the statuses in the same numbering.
func linkedProblem(ft, at *Table, groups []Group) (Problem, []Status) {
	ProtectLinked(ft, at, groups)
	var p Problem
	lf := ft.layout(0)
	lf.add(&p)
	la := at.layout(lf.size)
	la.add(&p)
	st := make([]Status, len(p.Values))
	for _, x := range []layout{lf, la} {
		t := x.t
		for r := range t.Rows {
			for c := range t.Cols {
				st[x.inner(r, c)] = t.St[r][c]
			}
			if x.hasRowT {
				st[x.rowT(r)] = t.RowTotalSt[r]
			}
		}
		for c := range t.Cols {
			st[x.colT(c)] = t.ColTotalSt[c]
		}
		if x.hasGrandT {
			st[x.grand] = t.GrandSt
		}
	}
	// The links, as a reader forms them.
	for _, g := range groups {
		for c := range ft.Cols {
			var eq []Term
			for _, r := range g.Forces {
				eq = append(eq, Term{lf.inner(r, c), 1})
			}
			for _, r := range g.Areas {
				eq = append(eq, Term{la.inner(r, c), -1})
			}
			p.Eqs = append(p.Eqs, eq)
		}
		if ft.RowTotals {
			var eq []Term
			for _, r := range g.Forces {
				eq = append(eq, Term{lf.rowT(r), 1})
			}
			for _, r := range g.Areas {
				eq = append(eq, Term{la.rowT(r), -1})
			}
			p.Eqs = append(p.Eqs, eq)
		}
	}
	for c := range ft.Cols {
		p.Eqs = append(p.Eqs, []Term{{lf.colT(c), 1}, {la.colT(c), -1}})
	}
	return p, st
}

// Hand examples.
func TestOpenDataSuppressionHandExamples(t *testing.T) {
	cases := []struct {
		name      string
		counts    [][]int
		rowTotals bool
		want      [][]bool // suppressed inner cells, if checked
	}{
		{
			// One small cell in a column: its smallest partner goes too.
			name:   "one column",
			counts: [][]int{{30}, {3}, {12}, {40}},
			want:   [][]bool{{false}, {true}, {true}, {false}},
		},
		{
			// Two small cells in one column add up to 5 or less: a third
			// cell widens the interval.
			name:   "two small in a column",
			counts: [][]int{{30}, {1}, {2}, {12}, {40}},
			want:   [][]bool{{false}, {true}, {true}, {true}, {false}},
		},
		{
			// The classic 2×2 rectangle of complements.
			name:      "rectangle",
			counts:    [][]int{{20, 2, 30}, {25, 10, 40}, {50, 60, 70}},
			rowTotals: true,
			want:      [][]bool{{true, true, false}, {true, true, false}, {false, false, false}},
		},
		{
			// A row of one small count and zeros: the row total (3) is
			// small too; the column partners must still be found.
			name:      "small row",
			counts:    [][]int{{3, 0, 0}, {20, 11, 9}, {15, 13, 30}},
			rowTotals: true,
		},
		{
			// Every cell small.
			name:      "all small",
			counts:    [][]int{{1, 2}, {3, 4}},
			rowTotals: true,
		},
		{
			name:      "zeros and one",
			counts:    [][]int{{0, 0, 1}, {0, 0, 0}, {0, 7, 0}},
			rowTotals: true,
		},
	}
	for _, c := range cases {
		rows := make([]Header, len(c.counts))
		cols := make([]Header, len(c.counts[0]))
		tb := newTable(c.name, c.name, "test", "row", rows, cols, c.rowTotals, "Total", c.counts)
		p, l := tableProblem(tb)
		st := Protect(p)
		check(t, c.name, p, st)
		l.take(st)
		if c.want != nil {
			for r := range c.want {
				for k := range c.want[r] {
					if tb.St[r][k].Suppressed() != c.want[r][k] {
						t.Errorf("%s: cell (%d,%d) = %d suppressed %v, want %v", c.name, r, k, c.counts[r][k], tb.St[r][k].Suppressed(), c.want[r][k])
					}
				}
			}
		}
	}
}

// Two rectangles of suppressed cells joined by one more cell: every row and
// column has two or more suppressed cells, yet the joining cell is the sum
// of two columns' totals less two rows' — a linear combination a
// row-by-row subtraction misses. Determined finds it.
func TestOpenDataDeterminedFindsBridge(t *testing.T) {
	counts := [][]int{
		{10, 11, 3, 0},
		{12, 13, 0, 0},
		{0, 0, 14, 15},
		{0, 0, 16, 17},
	}
	rows, cols := make([]Header, 4), make([]Header, 4)
	tb := newTable("b", "b", "test", "row", rows, cols, true, "Total", counts)
	p, l := tableProblem(tb)
	st := make([]Status, len(p.Values))
	for _, rc := range [][2]int{{0, 0}, {0, 1}, {1, 0}, {1, 1}, {2, 2}, {2, 3}, {3, 2}, {3, 3}, {0, 2}} {
		st[l.inner(rc[0], rc[1])] = Secondary
	}
	st[l.inner(0, 2)] = Primary
	if got := publish(p, st).subtract(); len(got) != 0 {
		t.Fatalf("subtraction alone recovered %v", got)
	}
	if !Determined(p, st)[l.inner(0, 2)] {
		t.Fatal("the bridge cell is determined, and Determined missed it")
	}
	if Determined(p, st)[l.inner(0, 0)] {
		t.Fatal("a cell of a rectangle is not determined")
	}
	// Protect, from the counts alone, does not leave it so.
	check(t, "bridge", p, Protect(p))
}

// The attacker is not toothless: against primary suppression alone it
// recovers the small counts.
func TestOpenDataAttackerBreaksPrimaryOnly(t *testing.T) {
	tb := newTable("p", "p", "test", "row", make([]Header, 3), make([]Header, 2), true, "Total", [][]int{{30, 3}, {12, 20}, {8, 9}})
	p, l := tableProblem(tb)
	st := make([]Status, len(p.Values))
	st[l.inner(0, 1)] = Primary
	if got := publish(p, st).subtract(); got[l.inner(0, 1)] != 3 {
		t.Fatalf("recovered %v, want the 3", got)
	}
	st[l.inner(1, 1)], st[l.inner(0, 0)], st[l.inner(1, 0)] = Secondary, Secondary, Secondary
	if got := publish(p, st).subtract(); len(got) != 0 {
		t.Fatalf("a rectangle: recovered %v", got)
	}
	// x+y = 23 in the column, x+z = 33 in the row: wide enough.
	lo, hi := publish(p, st).bounds()
	if hi[l.inner(0, 1)]-lo[l.inner(0, 1)] < MinWidth {
		t.Fatalf("bounds [%v, %v]", lo[l.inner(0, 1)], hi[l.inner(0, 1)])
	}
}
