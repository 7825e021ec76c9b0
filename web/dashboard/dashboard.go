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
	// Context is the server's: the reads of the roll-up run under it, not
	// under the request that starts them, which does not wait for them
	// (docs/adr/0256); it is cancelled at shutdown. Nil:
	// context.Background().
	Context context.Context

	// The roll-up as last read, kept as a cube (its sums per quarter and
	// group: docs/adr/0255), each case's version as the cube has it, the
	// log's head before they were read, and when they were read. mu guards
	// them; it is held while a request reads the cube, which is not safe
	// for concurrent use, and while a read puts its changes in it — never
	// while the store is read.
	mu       sync.Mutex
	cube     *oversight.Cube
	versions map[string]int64
	head     int64
	factsAt  time.Time
	refresh  refresher
}

// rereadAfter is how often the roll-up is read again while the log is
// being written: the figures are of whole days, and the page says when
// they were read. A log standing still is never read again.
const rereadAfter = time.Minute

// Warm starts the first read of the roll-up, so that the first request
// finds the figures read: serve warms the dashboard at start.
func (d *Dashboard) Warm() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.reread()
}

// cubeOf returns the cube, its window ending today, and the time at which
// its figures were the record's, head being the log's head as the request
// found it. The caller holds d.mu. A request is answered from the cube as
// it stands: when the log has moved since the cube was read and it was read
// rereadAfter ago or more, the request starts reading it again in the
// background and does not wait (docs/adr/0256). Only a request that finds
// no cube waits for one, letting go of d.mu meanwhile.
func (d *Dashboard) cubeOf(ctx context.Context, head int64, today time.Time) (*oversight.Cube, time.Time, error) {
	now := d.Now()
	switch {
	case d.cube == nil:
		if err := d.refresh.wait(ctx, &d.mu, d.reread()); err != nil {
			return nil, time.Time{}, err
		}
		if d.cube == nil {
			return nil, time.Time{}, d.refresh.err
		}
	case head == d.head:
		d.factsAt = now // nothing has changed since they were read
	case now.Sub(d.factsAt) >= rereadAfter:
		d.reread()
	}
	if !d.cube.EndsOn(today) {
		// A new day: the window's last quarter ends a day later.
		d.cube = oversight.NewCube(d.cube.Facts(), today, quarters)
	}
	return d.cube, d.factsAt, nil
}

// reread starts reading the roll-up again in the background, unless a read
// is under way, and returns a channel closed when the read ends. The
// caller holds d.mu.
func (d *Dashboard) reread() <-chan struct{} {
	kept, first := d.versions, d.cube == nil
	return d.refresh.start(background(d.Context), &d.mu, d.Logger, "measures", func(ctx context.Context) (func(), error) {
		return d.read(ctx, kept, first)
	})
}

// read reads the roll-up, without d.mu, and returns what brings the cube up
// to date with it: the first time, every case's record; then only the
// records of the cases whose version moved since kept, each taken away from
// the cube's sums and added again. The log's head is read first, so that a
// head standing still afterwards means nothing has moved since; the
// versions before the records, so that a record is never older than the
// version kept for it (a case that moves in between is read again the next
// time).
func (d *Dashboard) read(ctx context.Context, kept map[string]int64, first bool) (func(), error) {
	at := d.Now()
	head, err := d.Store.LogHead(ctx)
	if err != nil {
		return nil, err
	}
	versions := make(map[string]int64, len(kept))
	var moved []string
	if err := d.Store.CaseVersions(ctx, func(ref string, v int64) error {
		versions[ref] = v
		if old, ok := kept[ref]; !first && (!ok || old != v) {
			moved = append(moved, ref)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	each := func(fn func([]byte) error) error { return d.Store.CaseFactsOf(ctx, moved, fn) }
	if first {
		each = func(fn func([]byte) error) error { return d.Store.EachCaseFacts(ctx, fn) }
	}
	facts, err := oversight.DecodeAll(each)
	if err != nil {
		return nil, err
	}
	var cube *oversight.Cube
	if first {
		cube = oversight.NewCube(facts, throughline.At(at).Date(), quarters)
	}
	return func() {
		if first {
			d.cube = cube
		} else {
			for _, f := range facts {
				d.cube.Put(f)
			}
		}
		d.versions, d.head, d.factsAt = versions, head, at
	}, nil
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

// ownBreakdown is the breakdown an agency's own figures are one group of:
// a force's by force, a CPS area's by area.
func ownBreakdown(a throughline.Agency) string {
	if a.Kind == "cps" {
		return oversight.ByArea
	}
	return oversight.ByForce
}

// parse reads the filters, defaulting what is absent: the last eight
// quarters, report to trial, by force (by CPS area for a CPS manager). A
// value that is not one of the choices is an EINVALID naming its field.
func parse(q url.Values, u throughline.User, today time.Time) (filters, error) {
	now := quarterOf(today)
	f := filters{from: add(now, -7), to: now, measure: measures[0], by: oversight.ByForce}
	if a, ok := throughline.Supervised(u); ok {
		f.by = ownBreakdown(a)
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
