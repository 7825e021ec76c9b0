// Package opendata builds the quarterly open-data release of the
// inspection's measures: counts by police force and by CPS area of reports,
// charges, complainant withdrawals after charge, completions by outcome and
// trials by outcome, and the median days from report to charge and to
// trial, with statistical disclosure control (Protect) so that no count
// from 1 to 4 is published or derivable from what is. It writes the release
// as CSV and JSON for machines and as HTML and PDF for people.
//
// It is pure: it reads oversight.Facts (no personal data beyond what they
// hold) and refdata, and writes to the writers it is given. The definitions
// are in docs/measures.md, "Open data release".
package opendata

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"

	"throughline/oversight"
	"throughline/refdata"
)

// Quarter is a calendar quarter, e.g. 2026Q3 (July to September 2026).
type Quarter struct {
	Year int
	Q    int // 1..4
}

var quarterRE = regexp.MustCompile(`^(\d{4})-?Q([1-4])$`)

// ParseQuarter reads "2026Q3" (or "2026-Q3").
func ParseQuarter(s string) (Quarter, error) {
	m := quarterRE.FindStringSubmatch(s)
	if m == nil {
		return Quarter{}, fmt.Errorf("a quarter is written like 2026Q3, not %q", s)
	}
	y, _ := strconv.Atoi(m[1])
	q, _ := strconv.Atoi(m[2])
	return Quarter{y, q}, nil
}

func (q Quarter) String() string { return fmt.Sprintf("%04dQ%d", q.Year, q.Q) }

// First and Last are the quarter's first and last days (midnight UTC
// standing for a London calendar day, as oversight.Params takes them).
func (q Quarter) First() time.Time {
	return time.Date(q.Year, time.Month(3*(q.Q-1)+1), 1, 0, 0, 0, 0, time.UTC)
}

func (q Quarter) Last() time.Time { return q.First().AddDate(0, 3, -1) }

// Label is "July to September 2026".
func (q Quarter) Label() string {
	f := q.First()
	return fmt.Sprintf("%s to %s %d", f.Month(), q.Last().Month(), q.Year)
}

// Release is one quarter's published figures.
type Release struct {
	Quarter  Quarter
	Tables   []*Table // in pairs: force, then CPS area, of the same columns
	Medians  []*MedianTable
	National Medians
}

// MedianTable is the medians by force or by CPS area.
type MedianTable struct {
	ID, Title, Geography, RowHeader string
	Rows                            []Header
	Values                          []Medians
}

// Medians are the median days of one group; nil when fewer than
// MinMedianN cases.
type Medians struct {
	ReportToCharge *int
	ReportToTrial  *int
}

func medians(m oversight.Measures) Medians {
	pick := func(s oversight.Stat) *int {
		if s.N < MinMedianN {
			return nil
		}
		v := s.Median
		return &v
	}
	return Medians{ReportToCharge: pick(m.ReportToCharge), ReportToTrial: pick(m.ReportToTrial)}
}

// Completion outcomes and trial outcomes, as columns.
var (
	countCols   = []Header{{"reports", "Reports"}, {"charges", "Charges"}, {"withdrawals_after_charge", "Complainant withdrawals after charge"}}
	outcomeCols = []Header{{"convicted", "Convicted"}, {"acquitted", "Acquitted"}, {"stopped", "Stopped"}, {"closed", "Closed without verdict"}}
	trialCols   = []Header{{"effective", "Effective"}, {"cracked", "Cracked"}, {"ineffective", "Ineffective"}}
)

// Build computes and protects the release of quarter q from every case's
// facts.
func Build(facts []oversight.Facts, q Quarter) (*Release, error) {
	rel := &Release{Quarter: q}
	forces, areas := forceRows(facts), areaRows(facts)
	byForce, err := breakdown(facts, q, oversight.ByForce)
	if err != nil {
		return nil, err
	}
	byArea, err := breakdown(facts, q, oversight.ByArea)
	if err != nil {
		return nil, err
	}
	all, err := oversight.Aggregate(facts, oversight.Params{From: q.First(), To: q.Last()})
	if err != nil {
		return nil, err
	}
	groups := components(facts, forces, areas)
	type spec struct {
		id, title  string
		cols       []Header
		rowTotals  bool
		totalLabel string
		get        func(oversight.Measures) []int
	}
	specs := []spec{
		{"counts", "Reports, charges and complainant withdrawals after charge", countCols, false, "",
			func(m oversight.Measures) []int {
				return []int{m.Reports, m.ChargeRate.Charged, m.Attrition.ComplainantWithdrewAfterCharge}
			}},
		{"completions", "Prosecutions completed, by outcome", outcomeCols, true, "Completed",
			func(m oversight.Measures) []int {
				o := m.ConvictionRate.Outcomes
				return []int{o["convicted"], o["acquitted"], o["stopped"], o["closed"]}
			}},
		{"trials", "Trial hearings that sat, by outcome", trialCols, true, "Trials that sat",
			func(m oversight.Measures) []int {
				t := m.TrialOutcomes
				return []int{t.Effective, t.Cracked, t.Ineffective}
			}},
	}
	for _, s := range specs {
		mk := func(geo, header, of string, rows []Header, by map[string]oversight.Measures) *Table {
			counts := make([][]int, len(rows))
			for i, r := range rows {
				m, ok := by[r.Code]
				if !ok {
					counts[i] = make([]int, len(s.cols))
					continue
				}
				counts[i] = s.get(m)
			}
			return newTable(s.id+"_by_"+geo, s.title+", by "+of+", "+q.Label(), geo, header, rows, s.cols, s.rowTotals, s.totalLabel, counts)
		}
		ft := mk("force", "Police force", "police force", forces, byForce)
		at := mk("cps_area", "CPS area", "CPS area", areas, byArea)
		ProtectLinked(ft, at, groups)
		rel.Tables = append(rel.Tables, ft, at)
	}
	rel.National = medians(all.Measures)
	for _, g := range []struct {
		geo, header, of string
		rows            []Header
		by              map[string]oversight.Measures
	}{{"force", "Police force", "police force", forces, byForce}, {"cps_area", "CPS area", "CPS area", areas, byArea}} {
		mt := &MedianTable{ID: "medians_by_" + g.geo, Title: "Median days from report to charge and from report to trial, by " + g.of + ", " + q.Label(),
			Geography: g.geo, RowHeader: g.header, Rows: g.rows}
		for _, r := range g.rows {
			mt.Values = append(mt.Values, medians(g.by[r.Code]))
		}
		rel.Medians = append(rel.Medians, mt)
	}
	return rel, nil
}

func breakdown(facts []oversight.Facts, q Quarter, by string) (map[string]oversight.Measures, error) {
	r, err := oversight.Aggregate(facts, oversight.Params{From: q.First(), To: q.Last(), By: by})
	if err != nil {
		return nil, err
	}
	out := map[string]oversight.Measures{}
	for _, g := range r.Groups {
		out[g.Key] = g.Measures
	}
	return out, nil
}

// forceRows are the 43 forces in code order, then any other code in the
// facts (named as such, never by code alone).
func forceRows(facts []oversight.Facts) []Header {
	var rows []Header
	known := map[string]bool{}
	for _, f := range refdata.Forces() {
		rows = append(rows, Header{f.Code, f.Name})
		known[f.Code] = true
	}
	var extra []string
	for _, f := range facts {
		if !known[f.Force] {
			known[f.Force] = true
			extra = append(extra, f.Force)
		}
	}
	slices.Sort(extra)
	for _, c := range extra {
		rows = append(rows, Header{c, unknownName("Police force", c)})
	}
	return rows
}

// areaRows are the 14 CPS areas in order of name, then any other id.
func areaRows(facts []oversight.Facts) []Header {
	var rows []Header
	known := map[string]bool{}
	for _, a := range refdata.CPSAreas() {
		rows = append(rows, Header{a.ID, a.Name})
		known[a.ID] = true
	}
	slices.SortFunc(rows, func(a, b Header) int {
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	var extra []string
	for _, f := range facts {
		if !known[f.Area] {
			known[f.Area] = true
			extra = append(extra, f.Area)
		}
	}
	slices.Sort(extra)
	for _, c := range extra {
		rows = append(rows, Header{c, unknownName("CPS area", c)})
	}
	return rows
}

func unknownName(what, code string) string {
	if code == "" {
		return what + " not recorded"
	}
	return what + " not in the reference list (" + code + ")"
}

// components joins each force to the CPS areas that prosecute its cases —
// by the reference data and by every (force, area) pair in the facts — and
// returns the connected components.
func components(facts []oversight.Facts, forces, areas []Header) []Group {
	fi, ai := map[string]int{}, map[string]int{}
	for i, f := range forces {
		fi[f.Code] = i
	}
	for i, a := range areas {
		ai[a.Code] = i
	}
	n := len(forces) + len(areas)
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	join := func(f, a string) {
		x, ok1 := fi[f]
		y, ok2 := ai[a]
		if ok1 && ok2 {
			parent[find(x)] = find(len(forces) + y)
		}
	}
	for _, f := range refdata.Forces() {
		for _, a := range f.CPSAreas {
			join(f.Code, a)
		}
	}
	for _, f := range facts {
		join(f.Force, f.Area)
	}
	byRoot := map[int]*Group{}
	var order []int
	for i := 0; i < n; i++ {
		r := find(i)
		g := byRoot[r]
		if g == nil {
			g = &Group{}
			byRoot[r] = g
			order = append(order, r)
		}
		if i < len(forces) {
			g.Forces = append(g.Forces, i)
		} else {
			g.Areas = append(g.Areas, i-len(forces))
		}
	}
	out := make([]Group, 0, len(order))
	for _, r := range order {
		out = append(out, *byRoot[r])
	}
	return out
}
