package opendata

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
)

// Suppressed is the mark of a withheld figure (ONS convention: [c],
// confidential).
const Suppressed = "[c]"

// Notes explain the release; the CSV ends with them, the JSON, HTML and PDF
// carry them.
var Notes = []string{
	"[c] = confidential: a count from 1 to 4 is suppressed, and further figures are suppressed so that no suppressed count can be worked out from the totals. Which figures were suppressed for which reason is not published.",
	"0 is shown: a zero describes no one. Totals are for England and Wales.",
	"A median is shown only where it is of 10 or more cases; otherwise [c]. Medians are of calendar days, by the nearest-rank method (for an even number of cases, the lower middle value).",
	"Each measure counts the cases whose end event fell in the quarter (a report, a first charge, a completion, a trial hearing that sat, a complainant's first withdrawal after charge); see docs/measures.md.",
	"Forces and CPS areas are those at the report. Synthetic or live data as recorded in Throughline; figures are not National Statistics.",
}

// Fig is one published figure.
type Fig struct {
	Value      int
	Suppressed bool
}

// Text is the figure for CSV: the integer, or [c].
func (f Fig) Text() string {
	if f.Suppressed {
		return Suppressed
	}
	return strconv.Itoa(f.Value)
}

// Grid is a table laid out for writing: the column headers (the total
// column last if any), and the rows, the England and Wales row last.
type Grid struct {
	ID, Title, Geography, RowHeader string
	Cols                            []Header
	Rows                            []GridRow
}

// GridRow is one row of a Grid.
type GridRow struct {
	Header
	Total bool // the England and Wales row
	Figs  []Fig
}

// Grid lays the protected table out.
func (t *Table) Grid() Grid {
	g := Grid{ID: t.ID, Title: t.Title, Geography: t.Geography, RowHeader: t.RowHeader, Cols: append([]Header(nil), t.Cols...)}
	if t.RowTotals {
		g.Cols = append(g.Cols, Header{"total", t.TotalLabel})
	}
	for r, h := range t.Rows {
		row := GridRow{Header: h}
		for c := range t.Cols {
			row.Figs = append(row.Figs, Fig{t.Counts[r][c], t.St[r][c].Suppressed()})
		}
		if t.RowTotals {
			row.Figs = append(row.Figs, Fig{t.RowTotal[r], t.RowTotalSt[r].Suppressed()})
		}
		g.Rows = append(g.Rows, row)
	}
	tot := GridRow{Header: Header{"K04000001", "England and Wales"}, Total: true}
	for c := range t.Cols {
		tot.Figs = append(tot.Figs, Fig{t.ColTotal[c], t.ColTotalSt[c].Suppressed()})
	}
	if t.RowTotals {
		tot.Figs = append(tot.Figs, Fig{t.Grand, t.GrandSt.Suppressed()})
	}
	g.Rows = append(g.Rows, tot)
	return g
}

// Grid lays the medians out; a median of fewer than MinMedianN cases is
// suppressed.
func (m *MedianTable) Grid(national Medians) Grid {
	g := Grid{ID: m.ID, Title: m.Title, Geography: m.Geography, RowHeader: m.RowHeader,
		Cols: []Header{{"median_report_to_charge_days", "Median days, report to charge"}, {"median_report_to_trial_days", "Median days, report to trial"}}}
	fig := func(v *int) Fig {
		if v == nil {
			return Fig{Suppressed: true}
		}
		return Fig{Value: *v}
	}
	row := func(h Header, total bool, v Medians) GridRow {
		return GridRow{Header: h, Total: total, Figs: []Fig{fig(v.ReportToCharge), fig(v.ReportToTrial)}}
	}
	for i, h := range m.Rows {
		g.Rows = append(g.Rows, row(h, false, m.Values[i]))
	}
	g.Rows = append(g.Rows, row(Header{"K04000001", "England and Wales"}, true, national))
	return g
}

// Grids are every table of the release in order: counts, completions,
// trials (each by force, then by CPS area), then medians.
func (r *Release) Grids() []Grid {
	var out []Grid
	for _, t := range r.Tables {
		out = append(out, t.Grid())
	}
	for _, m := range r.Medians {
		out = append(out, m.Grid(r.National))
	}
	return out
}

// CSVHeader is the CSV's header row.
var CSVHeader = []string{"table", "quarter", "geography", "code", "name", "measure", "value", "note"}

// WriteCSV writes the release in long form, one figure a row, and then one
// row per note (table "notes", the text in the note column).
func (r *Release) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(CSVHeader)
	q := r.Quarter.String()
	for _, g := range r.Grids() {
		for _, row := range g.Rows {
			geo := g.Geography
			if row.Total {
				geo = "country"
			}
			for c, f := range row.Figs {
				note := ""
				if f.Suppressed {
					note = "[c] confidential"
				}
				cw.Write([]string{g.ID, q, geo, row.Code, row.Name, g.Cols[c].Code, f.Text(), note})
			}
		}
	}
	for _, n := range Notes {
		cw.Write([]string{"notes", q, "", "", "", "", "", n})
	}
	cw.Flush()
	return cw.Error()
}

// JSON shapes of the release.
type (
	jsonRelease struct {
		Quarter string      `json:"quarter"`
		From    string      `json:"from"`
		To      string      `json:"to"`
		Title   string      `json:"title"`
		Tables  []jsonTable `json:"tables"`
		Notes   []string    `json:"notes"`
	}
	jsonTable struct {
		ID        string    `json:"id"`
		Title     string    `json:"title"`
		Geography string    `json:"geography"`
		Columns   []Header  `json:"columns"`
		Rows      []jsonRow `json:"rows"`
	}
	jsonRow struct {
		Code   string     `json:"code"`
		Name   string     `json:"name"`
		Total  bool       `json:"total,omitempty"`
		Values []jsonCell `json:"values"`
	}
	jsonCell struct {
		Value      *int `json:"value"`
		Suppressed bool `json:"suppressed"`
	}
)

// WriteJSON writes the release: each figure {"value": n, "suppressed":
// false} or {"value": null, "suppressed": true}.
func (r *Release) WriteJSON(w io.Writer) error {
	out := jsonRelease{Quarter: r.Quarter.String(), From: r.Quarter.First().Format("2006-01-02"), To: r.Quarter.Last().Format("2006-01-02"),
		Title: r.Title(), Notes: Notes}
	for _, g := range r.Grids() {
		jt := jsonTable{ID: g.ID, Title: g.Title, Geography: g.Geography, Columns: g.Cols}
		for _, row := range g.Rows {
			jr := jsonRow{Code: row.Code, Name: row.Name, Total: row.Total}
			for _, f := range row.Figs {
				c := jsonCell{Suppressed: f.Suppressed}
				if !f.Suppressed {
					v := f.Value
					c.Value = &v
				}
				jr.Values = append(jr.Values, c)
			}
			jt.Rows = append(jt.Rows, jr)
		}
		out.Tables = append(out.Tables, jt)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// Title is the release's title.
func (r *Release) Title() string {
	return "Rape and serious sexual offences: quarterly open data, " + r.Quarter.Label()
}
