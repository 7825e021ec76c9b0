package opendata

// Table is one published table of counts: rows (forces or CPS areas) by
// columns, with the column totals (England and Wales) and, when the columns
// partition a whole, the row totals and the grand total.
type Table struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Geography string   `json:"geography"` // "force" or "cps_area"
	RowHeader string   `json:"-"`
	Rows      []Header `json:"-"`
	Cols      []Header `json:"-"`
	// RowTotals: the columns add up to a published row total (the last
	// column, TotalLabel).
	RowTotals  bool   `json:"-"`
	TotalLabel string `json:"-"`

	Counts   [][]int `json:"-"` // rows × cols
	RowTotal []int   `json:"-"`
	ColTotal []int   `json:"-"`
	Grand    int     `json:"-"`

	// Status of each figure after Protect.
	St         [][]Status `json:"-"`
	RowTotalSt []Status   `json:"-"`
	ColTotalSt []Status   `json:"-"`
	GrandSt    Status     `json:"-"`
}

// Header names a row or column: a stable code and the words.
type Header struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// newTable sizes a table and computes its totals from counts.
func newTable(id, title, geography, rowHeader string, rows, cols []Header, rowTotals bool, totalLabel string, counts [][]int) *Table {
	t := &Table{ID: id, Title: title, Geography: geography, RowHeader: rowHeader, Rows: rows, Cols: cols,
		RowTotals: rowTotals, TotalLabel: totalLabel, Counts: counts}
	t.RowTotal = make([]int, len(rows))
	t.ColTotal = make([]int, len(cols))
	for r := range rows {
		for c := range cols {
			t.RowTotal[r] += counts[r][c]
			t.ColTotal[c] += counts[r][c]
			t.Grand += counts[r][c]
		}
	}
	return t
}

// layout numbers a table's figures within a Problem.
type layout struct {
	t                  *Table
	base               int
	inner              func(int, int) int
	rowT, colT         func(int) int
	grand              int
	size               int
	hasRowT, hasGrandT bool
}

func (t *Table) layout(base int) layout {
	nr, nc := len(t.Rows), len(t.Cols)
	l := layout{t: t, base: base, hasRowT: t.RowTotals, hasGrandT: t.RowTotals}
	l.inner = func(r, c int) int { return base + r*nc + c }
	n := nr * nc
	rowBase := base + n
	if t.RowTotals {
		n += nr
	}
	colBase := base + n
	n += nc
	l.rowT = func(r int) int { return rowBase + r }
	l.colT = func(c int) int { return colBase + c }
	l.grand = base + n
	if t.RowTotals {
		n++
	}
	l.size = n
	return l
}

// add puts the table's figures and its row and column equations into p.
func (l layout) add(p *Problem) {
	t := l.t
	nr, nc := len(t.Rows), len(t.Cols)
	for r := 0; r < nr; r++ {
		for c := 0; c < nc; c++ {
			p.Values = append(p.Values, t.Counts[r][c])
			p.Total = append(p.Total, false)
		}
	}
	if l.hasRowT {
		for r := 0; r < nr; r++ {
			p.Values = append(p.Values, t.RowTotal[r])
			p.Total = append(p.Total, true)
		}
	}
	for c := 0; c < nc; c++ {
		p.Values = append(p.Values, t.ColTotal[c])
		p.Total = append(p.Total, true)
	}
	if l.hasGrandT {
		p.Values = append(p.Values, t.Grand)
		p.Total = append(p.Total, true)
	}
	for c := 0; c < nc; c++ {
		eq := []Term{{l.colT(c), -1}}
		for r := 0; r < nr; r++ {
			eq = append(eq, Term{l.inner(r, c), 1})
		}
		p.Eqs = append(p.Eqs, eq)
	}
	if l.hasRowT {
		for r := 0; r < nr; r++ {
			eq := []Term{{l.rowT(r), -1}}
			for c := 0; c < nc; c++ {
				eq = append(eq, Term{l.inner(r, c), 1})
			}
			p.Eqs = append(p.Eqs, eq)
		}
		eq := []Term{{l.grand, -1}}
		for r := 0; r < nr; r++ {
			eq = append(eq, Term{l.rowT(r), 1})
		}
		p.Eqs = append(p.Eqs, eq)
		eq = []Term{{l.grand, -1}}
		for c := 0; c < nc; c++ {
			eq = append(eq, Term{l.colT(c), 1})
		}
		p.Eqs = append(p.Eqs, eq)
	}
}

// take copies the statuses of the table's figures out of st.
func (l layout) take(st []Status) {
	t := l.t
	nr, nc := len(t.Rows), len(t.Cols)
	t.St = make([][]Status, nr)
	for r := range t.St {
		t.St[r] = make([]Status, nc)
		for c := range t.St[r] {
			t.St[r][c] = st[l.inner(r, c)]
		}
	}
	t.RowTotalSt = make([]Status, nr)
	if l.hasRowT {
		for r := range nr {
			t.RowTotalSt[r] = st[l.rowT(r)]
		}
	}
	t.ColTotalSt = make([]Status, nc)
	for c := range nc {
		t.ColTotalSt[c] = st[l.colT(c)]
	}
	if l.hasGrandT {
		t.GrandSt = st[l.grand]
	}
}

// ProtectLinked suppresses the figures of a force table and the CPS-area
// table of the same columns together. groups are the connected components
// of the force–area graph (a force's cases are prosecuted by its areas): in
// each component, for each column, the forces' counts add up to the areas'
// counts, an equation a reader can form from the two tables.
func ProtectLinked(force, area *Table, groups []Group) {
	var p Problem
	lf := force.layout(0)
	lf.add(&p)
	la := area.layout(lf.size)
	la.add(&p)
	nc := len(force.Cols)
	for _, g := range groups {
		for c := 0; c < nc; c++ {
			var eq []Term
			for _, r := range g.Forces {
				eq = append(eq, Term{lf.inner(r, c), 1})
			}
			for _, r := range g.Areas {
				eq = append(eq, Term{la.inner(r, c), -1})
			}
			p.Eqs = append(p.Eqs, eq)
		}
		if force.RowTotals {
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
	// The England and Wales totals appear in both tables.
	for c := 0; c < nc; c++ {
		p.Eqs = append(p.Eqs, []Term{{lf.colT(c), 1}, {la.colT(c), -1}})
	}
	if force.RowTotals {
		p.Eqs = append(p.Eqs, []Term{{lf.grand, 1}, {la.grand, -1}})
	}
	st := Protect(p)
	lf.take(st)
	la.take(st)
}

// ProtectTable suppresses one table's figures on its own.
func ProtectTable(t *Table) {
	var p Problem
	l := t.layout(0)
	l.add(&p)
	l.take(Protect(p))
}

// Group is a connected component of the force–area graph: row indexes into
// the force table and the area table.
type Group struct {
	Forces, Areas []int
}
