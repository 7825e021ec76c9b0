package opendata

import (
	"math"
	"slices"
)

// Thresholds of the disclosure control.
const (
	// MinCount: a published count from 1 to MinCount-1 is suppressed
	// (primary suppression). Zero is shown.
	MinCount = 5
	// MinWidth: after suppression, the tightest interval a reader can
	// derive for a primary-suppressed cell from the published figures (by
	// subtraction and non-negativity) must be at least this wide.
	MinWidth = 5
	// MinMedianN: a median is published only if it is of at least this
	// many cases.
	MinMedianN = 10
)

// Status is what publication does to a cell.
type Status uint8

const (
	Shown     Status = iota
	Primary          // a count from 1 to 4
	Secondary        // suppressed so that a primary cell cannot be derived
)

// Suppressed reports whether the cell is withheld.
func (s Status) Suppressed() bool { return s != Shown }

// Term is one cell of an additive relation, with its sign.
type Term struct {
	Cell int
	Coef int // +1 or -1
}

// Problem is a set of published counts and the additive relations between
// them that a reader knows: each equation says Σ Coef × value = 0 (a
// margin is a cell with coefficient -1 in its row's equation). Totals are
// the margins, which are suppressed only when no inner cell will do.
type Problem struct {
	Values []int
	Total  []bool
	Eqs    [][]Term
}

// Protect decides which cells to suppress.
//
//  1. Primary: every count from 1 to 4, margins included.
//  2. Secondary, to a fixed point: (a) every equation with exactly one
//     suppressed cell gets a second (so no cell is recovered by subtracting
//     along a row, a column or a link between tables); (b) the pattern is
//     then audited as a whole — a primary cell that is determined by any
//     linear combination of the equations (Gaussian elimination over the
//     suppressed cells), or whose interval derived by repeated subtraction
//     with non-negativity is narrower than MinWidth, gets a further
//     complementary cell in one of its equations; then (a) again.
//
// A complementary cell is the smallest non-zero inner cell of the equation,
// then an inner zero, then a margin. Each round suppresses at least one more
// cell, so it terminates; with every cell suppressed nothing is derivable.
func Protect(p Problem) []Status {
	st := make([]Status, len(p.Values))
	for i, v := range p.Values {
		if v >= 1 && v < MinCount {
			st[i] = Primary
		}
	}
	member := make([][]int, len(p.Values)) // cell → equations it is in
	for e, eq := range p.Eqs {
		for _, t := range eq {
			member[t.Cell] = append(member[t.Cell], e)
		}
	}
	for {
		singletons(p, st)
		weak := audit(p, st)
		if weak < 0 {
			return st
		}
		var cands []int
		for _, e := range member[weak] {
			for _, t := range p.Eqs[e] {
				if !st[t.Cell].Suppressed() {
					cands = append(cands, t.Cell)
				}
			}
		}
		if len(cands) == 0 {
			// Every neighbour is already withheld: widen from any equation
			// that holds a suppressed cell, else anywhere.
			for _, eq := range p.Eqs {
				if slices.ContainsFunc(eq, func(t Term) bool { return st[t.Cell].Suppressed() }) {
					for _, t := range eq {
						if !st[t.Cell].Suppressed() {
							cands = append(cands, t.Cell)
						}
					}
				}
			}
		}
		if len(cands) == 0 {
			for i := range st {
				if !st[i].Suppressed() {
					cands = append(cands, i)
				}
			}
		}
		if len(cands) == 0 {
			return st
		}
		st[best(p, cands)] = Secondary
	}
}

// singletons suppresses a second cell in every equation with exactly one.
func singletons(p Problem, st []Status) {
	for changed := true; changed; {
		changed = false
		for _, eq := range p.Eqs {
			n := 0
			var cands []int
			for _, t := range eq {
				if st[t.Cell].Suppressed() {
					n++
				} else {
					cands = append(cands, t.Cell)
				}
			}
			if n == 1 && len(cands) > 0 {
				st[best(p, cands)] = Secondary
				changed = true
			}
		}
	}
}

// best is the complementary cell to suppress: the smallest non-zero inner
// cell, then an inner zero, then the smallest margin; ties to the first.
func best(p Problem, cands []int) int {
	rank := func(i int) (int, int) {
		tier := 0
		if p.Values[i] == 0 {
			tier = 1
		}
		if p.Total[i] {
			tier += 2
		}
		return tier, p.Values[i]
	}
	b := cands[0]
	for _, c := range cands[1:] {
		ct, cv := rank(c)
		bt, bv := rank(b)
		if ct < bt || (ct == bt && (cv < bv || (cv == bv && c < b))) {
			b = c
		}
	}
	return b
}

// audit returns a primary cell that a reader could derive exactly or
// bound too narrowly, or -1.
func audit(p Problem, st []Status) int {
	det := Determined(p, st)
	lo, hi := Bounds(p, st)
	for i, s := range st {
		if s == Primary && (det[i] || hi[i]-lo[i] < MinWidth) {
			return i
		}
	}
	return -1
}

const eps = 1e-9

// Determined reports, for each suppressed cell, whether the published
// values and equations fix it: whether its unit vector lies in the row
// space of the equations restricted to the suppressed cells (reduced row
// echelon form: a row with a single non-zero entry).
func Determined(p Problem, st []Status) []bool {
	col := map[int]int{}
	var cells []int
	for i, s := range st {
		if s.Suppressed() {
			col[i] = len(cells)
			cells = append(cells, i)
		}
	}
	var m [][]float64
	for _, eq := range p.Eqs {
		row := make([]float64, len(cells))
		any := false
		for _, t := range eq {
			if j, ok := col[t.Cell]; ok {
				row[j] += float64(t.Coef)
				any = true
			}
		}
		if any {
			m = append(m, row)
		}
	}
	r := 0
	for c := 0; c < len(cells) && r < len(m); c++ {
		piv := -1
		for i := r; i < len(m); i++ {
			if math.Abs(m[i][c]) > eps && (piv < 0 || math.Abs(m[i][c]) > math.Abs(m[piv][c])) {
				piv = i
			}
		}
		if piv < 0 {
			continue
		}
		m[r], m[piv] = m[piv], m[r]
		f := m[r][c]
		for k := range m[r] {
			m[r][k] /= f
		}
		for i := range m {
			if i != r && math.Abs(m[i][c]) > eps {
				g := m[i][c]
				for k := range m[i] {
					m[i][k] -= g * m[r][k]
				}
			}
		}
		r++
	}
	out := make([]bool, len(p.Values))
	for _, row := range m[:r] {
		nz := -1
		for k, v := range row {
			if math.Abs(v) > eps {
				if nz >= 0 {
					nz = -2
					break
				}
				nz = k
			}
		}
		if nz >= 0 {
			out[cells[nz]] = true
		}
	}
	return out
}

// Bounds is the interval a reader derives for each cell by repeated
// subtraction along the equations, knowing every count is at least zero:
// a shown cell's is its value; a suppressed cell's starts at [0, +Inf).
func Bounds(p Problem, st []Status) (lo, hi []float64) {
	lo, hi = make([]float64, len(p.Values)), make([]float64, len(p.Values))
	for i, v := range p.Values {
		if st[i].Suppressed() {
			hi[i] = math.Inf(1)
		} else {
			lo[i], hi[i] = float64(v), float64(v)
		}
	}
	for pass := 0; pass < 10000; pass++ {
		changed := false
		for _, eq := range p.Eqs {
			for _, tk := range eq {
				if !st[tk.Cell].Suppressed() {
					continue
				}
				// Coef_k x_k = -Σ_{i≠k} Coef_i x_i ∈ [rlo, rhi].
				rlo, rhi := 0.0, 0.0
				for _, t := range eq {
					if t == tk {
						continue
					}
					c := -float64(t.Coef)
					if c > 0 {
						rlo += c * lo[t.Cell]
						rhi += c * hi[t.Cell]
					} else {
						rlo += c * hi[t.Cell]
						rhi += c * lo[t.Cell]
					}
				}
				c := float64(tk.Coef)
				nlo, nhi := rlo/c, rhi/c
				if c < 0 {
					nlo, nhi = nhi, nlo
				}
				if !math.IsNaN(nlo) && math.Ceil(nlo-eps) > lo[tk.Cell] {
					lo[tk.Cell] = math.Ceil(nlo - eps)
					changed = true
				}
				if !math.IsNaN(nhi) && math.Floor(nhi+eps) < hi[tk.Cell] {
					hi[tk.Cell] = math.Floor(nhi + eps)
					changed = true
				}
			}
		}
		if !changed {
			break
		}
	}
	return lo, hi
}
