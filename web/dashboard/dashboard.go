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
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"throughline"
	"throughline/opendata"
	"throughline/oversight"
	"throughline/web/page"
)

// Store is what the dashboards need from storage: every event, each
// case's in log order.
type Store interface {
	EachEvent(ctx context.Context, fn func(throughline.Event) error) error
}

// Dashboard serves GET /dashboard and its CSV.
type Dashboard struct {
	*page.Base
	Store Store

	// The facts of every case, read from the whole log, kept for
	// factsFor: reading them is seconds on a large record (docs/adr/0251);
	// the roll-up kept in the append transaction is the path that scales.
	mu      sync.Mutex
	facts   []oversight.Facts
	factsAt time.Time
}

// factsFor is how long the facts read from the log serve every request
// before they are read again: the figures are of whole days, and the page
// says when they were read.
const factsFor = 5 * time.Minute

// allFacts returns the facts of every case, read from the log at most once
// every factsFor (one reader at a time; the others wait for its result),
// and when they were read.
func (d *Dashboard) allFacts(ctx context.Context) ([]oversight.Facts, time.Time, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.Now()
	if d.facts != nil && now.Sub(d.factsAt) < factsFor {
		return d.facts, d.factsAt, nil
	}
	var c oversight.Collector
	if err := d.Store.EachEvent(ctx, c.Add); err != nil {
		return nil, time.Time{}, err
	}
	d.facts, d.factsAt = c.Facts(), now
	return d.facts, d.factsAt, nil
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
	var fe []throughline.FieldError
	quarter := func(field, msg string, dst *opendata.Quarter) {
		v := q.Get(field)
		if v == "" {
			return
		}
		qq, err := opendata.ParseQuarter(v)
		if err != nil || qq.First().After(today) || qq.First().Before(add(now, -quarters+1).First()) {
			fe = append(fe, throughline.FieldError{Field: field, Message: msg})
			return
		}
		*dst = qq
	}
	quarter("from", "Select a quarter in the list for the start of the period", &f.from)
	quarter("to", "Select a quarter in the list for the end of the period", &f.to)
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
	if len(fe) == 0 && f.to.First().Before(f.from.First()) {
		fe = append(fe, throughline.FieldError{Field: "to", Message: "The end of the period must be the same as or after its start"})
	}
	if len(fe) > 0 {
		return f, &throughline.Error{Code: throughline.EINVALID, Message: "the filters are not valid", Fields: fe}
	}
	return f, nil
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
	now := quarterOf(today)
	sel := func(name, label string) page.Select {
		return page.Select{Name: name, Label: &page.Label{Text: label, Classes: "govuk-label--s"}, ErrorMessage: em(name), Classes: "govuk-!-width-full"}
	}
	p.From, p.To = sel("from", "From the quarter"), sel("to", "To the quarter")
	for i := range quarters {
		qq := add(now, -i)
		p.From.Items = append(p.From.Items, page.Choice{Value: qq.String(), Text: qq.Label(), Selected: qq == f.from})
		p.To.Items = append(p.To.Items, page.Choice{Value: qq.String(), Text: qq.Label(), Selected: qq == f.to})
	}
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

// scope is a set of cases whose figures are shown: the nation's, or a
// supervisor's own force's or area's.
type scope struct {
	name  string
	facts []oversight.Facts
	byQ   oversight.Report // by quarter
}

// figures are a page's tables and charts.
type figures struct {
	tables []page.Table
	charts []chart
	asOf   time.Time // when the log was read
}

func (d *Dashboard) figures(ctx context.Context, u throughline.User, f filters, today time.Time) (figures, error) {
	all, at, err := d.allFacts(ctx)
	if err != nil {
		return figures{}, err
	}
	w := withhold(throughline.Can(u, throughline.ActionViewMeasures, nil, throughline.Relation{}).SmallNumbers)
	from, to := f.period(today)
	scopes := []*scope{{name: national, facts: all}}
	ownKey := ""
	if a, ok := throughline.Supervised(u); ok {
		mine := &scope{name: a.Name()}
		for _, fc := range all {
			if (a.Kind == "police" && fc.Force == a.ID) || (a.Kind == "cps" && fc.Area == a.ID) {
				mine.facts = append(mine.facts, fc)
			}
		}
		scopes = append([]*scope{mine}, scopes...)
		if (a.Kind == "police" && f.by == oversight.ByForce) || (a.Kind == "cps" && f.by == oversight.ByArea) {
			ownKey = a.ID
		}
	}
	for _, s := range scopes {
		r, err := oversight.Aggregate(s.facts, oversight.Params{From: from, To: to, By: oversight.ByQuarter})
		if err != nil {
			return figures{}, err
		}
		s.byQ = r
	}
	cmp, err := oversight.Aggregate(all, oversight.Params{From: from, To: to, By: f.by})
	if err != nil {
		return figures{}, err
	}
	period := longDate(from) + " to " + longDate(to)
	fig := figures{asOf: at}
	fig.tables = []page.Table{timelinessTable(scopes, period, w), outcomesTable(scopes, period, w)}
	fig.charts = []chart{
		trend(f.measure, scopes, w),
		comparison(f.measure, f.by, cmp, ownKey, scopes[len(scopes)-1].byQ.Measures, period, w),
	}
	dist, err := distribution(f.measure, scopes[0], from, to, period, w)
	if err != nil {
		return figures{}, err
	}
	fig.charts = append(fig.charts, dist)
	return fig, nil
}

// timelinessTable: every timeliness measure's mean, median, 90th
// percentile and count, per scope.
func timelinessTable(scopes []*scope, period string, w withhold) page.Table {
	t := page.Table{Caption: "Time taken, in calendar days, " + period, CaptionClasses: "govuk-table__caption--m", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Measure"}, {Text: "Mean", Format: "numeric"}, {Text: "Median", Format: "numeric"}, {Text: "90th percentile", Format: "numeric"}, {Text: "Cases", Format: "numeric"}}}
	for _, k := range []struct{ key, label string }{
		{oversight.ReportToTrial, "Report to trial"}, {oversight.ReportToCharge, "Report to charge"}, {oversight.ChargeToTrial, "Charge to trial"},
		{oversight.ReceiptToDecision, "CPS receipt to charging decision"}, {oversight.ChargeToFirstHearing, "Charge to first hearing"},
		{oversight.SendingToTrial, "Sending to trial"}, {oversight.ChargeToCompletion, "Charge to completion"},
	} {
		for _, s := range scopes {
			st, _ := s.byQ.Of(k.key)
			label := k.label
			if len(scopes) > 1 {
				label += ", " + s.name
			}
			row := []page.TableCell{{Text: label}}
			switch {
			case st.N == 0:
				row = append(row, num("No figure"), num("No figure"), num("No figure"), num("0"))
			case w.hides(st.N):
				row = append(row, num(fewFigure), num(fewFigure), num(fewFigure), num(w.counted(st.N)))
			default:
				row = append(row, num(strconv.FormatFloat(st.Mean, 'f', 1, 64)), num(strconv.Itoa(st.Median)), num(strconv.Itoa(st.P90)), num(strconv.Itoa(st.N)))
			}
			t.Rows = append(t.Rows, row)
		}
	}
	return t
}

// outcomesTable: rates, attrition, trial outcomes, compliance and the
// open caseload, a column per scope.
func outcomesTable(scopes []*scope, period string, w withhold) page.Table {
	t := page.Table{Caption: "Outcomes and compliance, " + period, CaptionClasses: "govuk-table__caption--m", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Measure"}}}
	for _, s := range scopes {
		t.Head = append(t.Head, page.TableHead{Text: s.name, Format: "numeric"})
	}
	row := func(label string, f func(m *oversight.Measures) string) {
		r := []page.TableCell{{Text: label}}
		for _, s := range scopes {
			r = append(r, num(f(&s.byQ.Measures)))
		}
		t.Rows = append(t.Rows, r)
	}
	count := w.counted
	rate := func(r *float64, n int) string {
		if w.hides(n) {
			return fewFigure
		}
		return pct(r)
	}
	row("Cases reported", func(m *oversight.Measures) string { return count(m.Reports) })
	row("Cases charged", func(m *oversight.Measures) string { return count(m.ChargeRate.Charged) })
	row("Charge rate (of cases charged or closed before charge)", func(m *oversight.Measures) string {
		return rate(m.ChargeRate.Rate, m.ChargeRate.Charged+m.ChargeRate.LeftBeforeCharge)
	})
	row("Left before charge", func(m *oversight.Measures) string { return count(m.Attrition.PreCharge.Total) })
	row("Left after charge without a conviction", func(m *oversight.Measures) string { return count(m.Attrition.PostCharge.Total) })
	row("Complainant withdrew after charge", func(m *oversight.Measures) string { return count(m.Attrition.ComplainantWithdrewAfterCharge) })
	row("Conviction rate (of prosecutions completed)", func(m *oversight.Measures) string { return rate(m.ConvictionRate.Rate, m.ConvictionRate.Completed) })
	row("Trials that sat", func(m *oversight.Measures) string { return count(m.TrialOutcomes.Held) })
	row("Trials effective", func(m *oversight.Measures) string { return rate(m.TrialOutcomes.EffectiveRate, m.TrialOutcomes.Held) })
	row("Trials cracked", func(m *oversight.Measures) string { return rate(m.TrialOutcomes.CrackedRate, m.TrialOutcomes.Held) })
	row("Trials ineffective", func(m *oversight.Measures) string { return rate(m.TrialOutcomes.IneffectiveRate, m.TrialOutcomes.Held) })
	row("Victims' Code duties met on time", func(m *oversight.Measures) string {
		on, decided := victimsCode(m)
		if decided == 0 {
			return "No figure"
		}
		r := float64(on) / float64(decided)
		return rate(&r, decided)
	})
	row("Open in the Crown Court at the end of the period", func(m *oversight.Measures) string { return count(m.OpenCaseload.Open) })
	return t
}

// trend: the measure by quarter, a line per scope (the nation's dashed
// when a supervisor's own is drawn beside it).
func trend(m measure, scopes []*scope, w withhold) chart {
	c := chart{Heading: m.Label + " by quarter"}
	c.Table = page.Table{Caption: m.Label + " by quarter (" + m.Unit + ")", CaptionClasses: "govuk-table__caption--s", FirstCellIsHeader: true, Head: []page.TableHead{{Text: "Quarter"}}}
	var labels []string
	for _, g := range scopes[0].byQ.Groups {
		labels = append(labels, shortQuarter(g.Key))
	}
	var ss []series
	for i, s := range scopes {
		c.Table.Head = append(c.Table.Head, page.TableHead{Text: s.name, Format: "numeric"}, page.TableHead{Text: "Cases, " + s.name, Format: "numeric"})
		line := series{Name: s.name, Dashed: len(scopes) > 1 && i == len(scopes)-1}
		for _, g := range s.byQ.Groups {
			v, _ := figure(m, &g.Measures, w)
			line.Values = append(line.Values, v)
		}
		ss = append(ss, line)
	}
	for qi, g := range scopes[0].byQ.Groups {
		row := []page.TableCell{{Text: g.Label}}
		for _, s := range scopes {
			_, text := figure(m, &s.byQ.Groups[qi].Measures, w)
			_, n := m.value(&s.byQ.Groups[qi].Measures)
			row = append(row, num(text), num(w.counted(n)))
		}
		c.Table.Rows = append(c.Table.Rows, row)
	}
	desc := fmt.Sprintf("%s (%s) in each quarter of the period, for %s. The table below has the same figures.", m.Label, m.Unit, namesOf(scopes))
	c.Image = lineChart("chart-trend", c.Heading, desc, m.Unit, labels, ss)
	return c
}

// comparison: the measure for each group of the breakdown over the whole
// period, the national figure as a line across.
func comparison(m measure, by string, r oversight.Report, ownKey string, whole oversight.Measures, period string, w withhold) chart {
	byLabel := by
	for _, b := range breakdowns {
		if b.key == by {
			byLabel = b.label
		}
	}
	c := chart{Heading: m.Label + " by " + lower(byLabel)}
	c.Table = page.Table{Caption: m.Label + " by " + lower(byLabel) + ", " + period + " (" + m.Unit + ")", CaptionClasses: "govuk-table__caption--s", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: byLabel}, {Text: m.Unit, Format: "numeric"}, {Text: "Cases", Format: "numeric"}}}
	var bars []bar
	for _, g := range r.Groups {
		v, text := figure(m, &g.Measures, w)
		_, n := m.value(&g.Measures)
		label := g.Label
		if g.Key == ownKey {
			label += " (yours)"
		}
		c.Table.Rows = append(c.Table.Rows, []page.TableCell{{Text: label}, num(text), num(w.counted(n))})
		if !math.IsNaN(v) {
			bars = append(bars, bar{Label: g.Label, Value: v, Text: text, Mark: g.Key == ownKey})
		}
	}
	ref, refText := figure(m, &whole, w)
	desc := fmt.Sprintf("%s (%s) for each %s with a figure in the period; the dashed line is the figure for %s, %s. The table below has every group.", m.Label, m.Unit, lower(byLabel), national, refText)
	c.Image = barChart("chart-compare", c.Heading, desc, m.Unit, bars, ref, national+": "+refText)
	return c
}

// dayBands are the distribution's bands of days.
var dayBands = []struct {
	upTo  int
	label string
}{{90, "Up to 90 days"}, {180, "91 to 180 days"}, {365, "181 days to a year"}, {730, "1 to 2 years"}, {1095, "2 to 3 years"}, {math.MaxInt, "More than 3 years"}}

// distribution: how the cases of the first scope (the supervisor's own,
// else the nation's) spread — over bands of days for a time taken, over
// outcomes or reasons for the others.
func distribution(m measure, s *scope, from, to time.Time, period string, w withhold) (chart, error) {
	c := chart{Heading: "How the figure is made up: " + s.name}
	ms := &s.byQ.Measures
	unit := "cases"
	var rows []bar
	counted := func(label string, n int) {
		text, shown := w.count(n)
		if !shown {
			n = 0 // no bar: the table says it is withheld
		}
		rows = append(rows, bar{Label: label, Value: float64(n), Text: text})
	}
	switch {
	case m.timely:
		ds, err := oversight.Durations(s.facts, m.Key, from, to)
		if err != nil {
			return c, err
		}
		counts := make([]int, len(dayBands))
		for _, d := range ds {
			for i, b := range dayBands {
				if d <= b.upTo {
					counts[i]++
					break
				}
			}
		}
		for i, b := range dayBands {
			counted(b.label, counts[i])
		}
		c.Heading = m.Label + ": cases by time taken, " + s.name
	case m.Key == "charge_rate":
		counted("Charged", ms.ChargeRate.Charged)
		for _, k := range sortedKeys(ms.Attrition.PreCharge.Reasons) {
			counted("Closed before charge: "+lower(words(k)), ms.Attrition.PreCharge.Reasons[k])
		}
		c.Heading = "Cases decided, by outcome, " + s.name
	case m.Key == "attrition":
		for _, k := range sortedKeys(ms.Attrition.PreCharge.Reasons) {
			counted("Before charge: "+lower(words(k)), ms.Attrition.PreCharge.Reasons[k])
		}
		for _, k := range sortedKeys(ms.Attrition.PostCharge.Reasons) {
			counted("After charge: "+lower(words(k)), ms.Attrition.PostCharge.Reasons[k])
		}
		c.Heading = "Cases that left without a conviction, by stage and reason, " + s.name
	case m.Key == "trials_effective":
		t := ms.TrialOutcomes
		counted("Effective", t.Effective)
		counted("Cracked", t.Cracked)
		counted("Ineffective", t.Ineffective)
		c.Heading = "Trials that sat, by outcome, " + s.name
	default: // victims_code
		unit = "% met on time"
		for _, rc := range ms.VictimsCode {
			decided := rc.MetOnTime + rc.MetLate + rc.Missed
			label := ruleTitles[rc.Rule] + " (" + owners[rc.Owner] + ")"
			switch {
			case decided == 0:
				continue
			case w.hides(decided):
				rows = append(rows, bar{Label: label, Text: fewFigure})
				continue
			}
			v := 100 * float64(rc.MetOnTime) / float64(decided)
			rows = append(rows, bar{Label: label, Value: v, Text: fmt.Sprintf("%.1f%%", v)})
		}
		c.Heading = "Victims' Code duties met on time, by duty, " + s.name
	}
	c.Table = page.Table{Caption: c.Heading + ", " + period, CaptionClasses: "govuk-table__caption--s", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Group"}, {Text: unit, Format: "numeric"}}}
	for _, r := range rows {
		c.Table.Rows = append(c.Table.Rows, []page.TableCell{{Text: r.Label}, num(r.Text)})
	}
	desc := fmt.Sprintf("%s, in %s, %s. The table below has the same figures.", c.Heading, unit, period)
	c.Image = barChart("chart-spread", c.Heading, desc, unit, rows, math.NaN(), "")
	return c, nil
}

// figure is the measure's figure of m and its words, NaN and "Too few
// cases" where the reader's disclosure control withholds it.
func figure(ms measure, m *oversight.Measures, w withhold) (float64, string) {
	v, n := ms.value(m)
	if w.hides(n) {
		return math.NaN(), fewFigure
	}
	return v, valueText(ms, v)
}
