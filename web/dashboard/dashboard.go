// Package dashboard serves the oversight dashboards: the inspection's
// headline measures (package oversight, defined in docs/measures.md) as
// charts — the trend by quarter, a comparison between forces, areas or
// groups of complainants, a distribution — each with its data table and a
// CSV of the same tables.
//
// Who sees what is the policy's (throughline.ActionViewMeasures): the
// commissioner and inspectors see the national figures; a supervisor sees
// their own force's or CPS area's (throughline.Supervised) beside them.
// Aggregates only: no figure here names or links to a case, so nothing here
// consults a case record and nothing is written to the consultation log.
package dashboard

import (
	"context"
	"encoding/csv"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"throughline"
	"throughline/opendata"
	"throughline/oversight"
	"throughline/web/page"
)

// Store is what the dashboards need from storage: the measures' roll-up,
// each case's record kept in the append transaction (oversight.Record),
// read whole or for the cases named; each case's version, written with its
// record, to learn which records changed; and the log's head, which moves
// whenever a record may have changed.
type Store interface {
	EachCaseFacts(ctx context.Context, fn func(record []byte) error) error
	CaseFactsOf(ctx context.Context, refs []string, fn func(record []byte) error) error
	CaseVersions(ctx context.Context, fn func(ref string, version int64) error) error
	LogHead(ctx context.Context) (int64, error)
}

// Dashboard serves GET /dashboard and its CSV.
type Dashboard struct {
	*page.Base
	Store Store

	// The roll-up as last read, kept as a cube (its sums per quarter and
	// group: docs/adr/0255), the log's head then, and when: a request reads
	// it again only if the log has moved on since, and at most once every
	// rereadAfter (docs/adr/0252). mu is held while a request reads the
	// cube, which is not safe for concurrent use.
	mu       sync.Mutex
	cube     *oversight.Cube
	versions map[string]int64 // each case's version, as its facts in the cube stand
	head     int64
	factsAt  time.Time
}

// rereadAfter is the longest the figures lag behind a log that is being
// written: the figures are of whole days, and the page says when they were
// read. A log standing still is never read again.
const rereadAfter = time.Minute

// cubeOf returns every case's facts from the roll-up as a cube whose
// window ends today, and the time at which they were the record's. The
// caller holds d.mu.
func (d *Dashboard) cubeOf(ctx context.Context, today time.Time) (*oversight.Cube, time.Time, error) {
	now := d.Now()
	head, err := d.Store.LogHead(ctx)
	if err != nil {
		return nil, time.Time{}, err
	}
	switch {
	case d.cube != nil && head == d.head:
		d.factsAt = now // nothing has changed since they were read
	case d.cube != nil && now.Sub(d.factsAt) < rereadAfter:
	default:
		if err := d.read(ctx, today); err != nil {
			return nil, time.Time{}, err
		}
		d.head, d.factsAt = head, now
	}
	if !d.cube.EndsOn(today) {
		// A new day: the window's last quarter ends a day later.
		d.cube = oversight.NewCube(d.cube.Facts(), today, quarters)
	}
	return d.cube, d.factsAt, nil
}

// read brings the cube up to date with the roll-up: the first time, every
// case's record; then only the records of the cases whose version moved
// since, each taken away from the cube's sums and added again. The
// versions are read before the records, so a record is never older than
// the version kept for it (a case that moves in between is read again the
// next time).
func (d *Dashboard) read(ctx context.Context, today time.Time) error {
	versions := make(map[string]int64, len(d.versions))
	var moved []string
	if err := d.Store.CaseVersions(ctx, func(ref string, v int64) error {
		versions[ref] = v
		if old, ok := d.versions[ref]; d.cube != nil && (!ok || old != v) {
			moved = append(moved, ref)
		}
		return nil
	}); err != nil {
		return err
	}
	if d.cube == nil {
		facts, err := oversight.DecodeAll(func(fn func([]byte) error) error { return d.Store.EachCaseFacts(ctx, fn) })
		if err != nil {
			return err
		}
		d.cube, d.versions = oversight.NewCube(facts, today, quarters), versions
		return nil
	}
	changed, err := oversight.DecodeAll(func(fn func([]byte) error) error { return d.Store.CaseFactsOf(ctx, moved, fn) })
	if err != nil {
		return err
	}
	for _, f := range changed {
		d.cube.Put(f)
	}
	d.versions = versions
	return nil
}

// quarters is how far back the period may start.
const quarters = 40

// national is the name of the figures over every case.
const national = "England and Wales"

// filters are the dashboard's choices, from the query.
type filters struct {
	from, to opendata.Quarter
	measure  measure
	by       string
}

// period is the filters' first and last day: the last day is today while
// the quarter runs.
func (f filters) period(today time.Time) (time.Time, time.Time) {
	last := f.to.Last()
	if last.After(today) {
		last = today
	}
	return f.from.First(), last
}

// quarterOf is the quarter of day t.
func quarterOf(t time.Time) opendata.Quarter {
	return opendata.Quarter{Year: t.Year(), Q: (int(t.Month())-1)/3 + 1}
}

// add moves q by n quarters.
func add(q opendata.Quarter, n int) opendata.Quarter {
	i := q.Year*4 + q.Q - 1 + n
	return opendata.Quarter{Year: i / 4, Q: i%4 + 1}
}

// parse reads the filters, defaulting what is absent: the last eight
// quarters, report to trial, by force (by CPS area for a CPS manager). A
// value that is not one of the choices is an EINVALID naming its field.
func parse(q url.Values, u throughline.User, today time.Time) (filters, error) {
	now := quarterOf(today)
	f := filters{from: add(now, -7), to: now, measure: measures[0], by: oversight.ByForce}
	if a, ok := throughline.Supervised(u); ok && a.Kind == "cps" {
		f.by = oversight.ByArea
	}
	fe := parsePeriod(q, today, &f.from, &f.to)
	if v := q.Get("measure"); v != "" {
		m, ok := measureOf(v)
		if !ok {
			fe = append(fe, throughline.FieldError{Field: "measure", Message: "Select a measure in the list"})
		}
		f.measure = m
	}
	if v := q.Get("by"); v != "" {
		if !slices.ContainsFunc(breakdowns, func(b struct{ key, label string }) bool { return b.key == v }) {
			fe = append(fe, throughline.FieldError{Field: "by", Message: "Select a comparison in the list"})
		}
		f.by = v
	}
	return f, invalid(fe, f.from, f.to)
}

// dashPage is the view of the dashboard.
type dashPage struct {
	page.Layout
	Heading, Intro string
	From, To       page.Select
	Measure, By    page.Select
	Submit         page.Button
	CSV            string // the same figures as a CSV file
	AsOf           string // when the record was read
	Tables         []page.Table
	Charts         []chart
}

// chart is one chart, its words and its table.
type chart struct {
	Heading string
	Image   template.HTML
	Table   page.Table
}

func (d *Dashboard) form(p *dashPage, f filters, today time.Time, em func(string) *page.ErrorMessage) {
	sel := selector(em)
	p.From, p.To = periodSelects(sel, f.from, f.to, today)
	p.Measure = sel("measure", "Measure to chart")
	for _, m := range measures {
		p.Measure.Items = append(p.Measure.Items, page.Choice{Value: m.Key, Text: m.Label, Selected: m.Key == f.measure.Key})
	}
	p.By = sel("by", "Compare by")
	for _, b := range breakdowns {
		p.By.Items = append(p.By.Items, page.Choice{Value: b.key, Text: b.label, Selected: b.key == f.by})
	}
	p.Submit = page.Button{Text: "Show the figures"}
	v := url.Values{"from": {f.from.String()}, "to": {f.to.String()}, "measure": {f.measure.Key}, "by": {f.by}}
	p.CSV = "/dashboard.csv?" + v.Encode()
}

// Page: GET /dashboard.
func (d *Dashboard) Page(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	today := throughline.At(d.Now()).Date()
	p := dashPage{Layout: page.NewLayout(rq, "Measures", "measures"), Heading: "Measures: " + national}
	own, lead := throughline.Supervised(rq.User)
	if lead {
		p.Heading = "Measures: " + own.Name() + " and " + national
	}
	p.Intro = "Figures from every case in the record, to the day. Days are calendar days between the dates things happened. A time taken is counted in the period in which it ended. No case is named."
	f, err := parse(r.URL.Query(), rq.User, today)
	var msgs page.FieldMessages
	if err != nil {
		if throughline.ErrorCode(err) != throughline.EINVALID {
			return err
		}
		p.ErrorSummary, msgs = page.ErrorSummaryOf(err, page.SameField)
		d.form(&p, f, today, msgs.Of)
		d.Render(w, r, http.StatusUnprocessableEntity, "dashboard", p)
		return nil
	}
	d.form(&p, f, today, msgs.Of)
	fig, err := d.figures(r.Context(), rq.User, f, today)
	if err != nil {
		return err
	}
	p.Tables, p.Charts = fig.tables, fig.charts
	p.AsOf = "Figures from the record as it stood at " + page.LondonTime(fig.asOf) + "."
	d.Render(w, r, http.StatusOK, "dashboard", p)
	return nil
}

// CSV: GET /dashboard.csv: every table of the page, one figure a row.
func (d *Dashboard) CSV(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	today := throughline.At(d.Now()).Date()
	f, err := parse(r.URL.Query(), rq.User, today)
	if err != nil {
		return err
	}
	fig, err := d.figures(r.Context(), rq.User, f, today)
	if err != nil {
		return err
	}
	tables := fig.tables
	for _, c := range fig.charts {
		tables = append(tables, c.Table)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="throughline-measures-%s-%s.csv"`, f.from, f.to))
	return writeCSV(w, tables)
}

// writeCSV writes tables in long form: table,row,column,value. The row is
// a table row's first cell, the column its heading.
func writeCSV(w http.ResponseWriter, tables []page.Table) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"table", "row", "column", "value"})
	for _, t := range tables {
		for _, row := range t.Rows {
			for i := 1; i < len(row) && i < len(t.Head); i++ {
				cw.Write([]string{t.Caption, row[0].Text, t.Head[i].Text, row[i].Text})
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
