package dashboard

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"throughline"
	"throughline/attribution"
	"throughline/oversight"
	"throughline/web/page"
)

// The figures of a page: what each table and chart holds, from package
// oversight's reports over the reader's scopes.

// scope is a set of cases whose figures are shown: the nation's, or a
// supervisor's own force's or area's.
type scope struct {
	name      string
	by, group string           // its cases are those whose group under by is group ("" for every case)
	byQ       oversight.Report // by quarter
}

// figures are a page's tables and charts.
type figures struct {
	tables []page.Table
	charts []chart
	asOf   time.Time // when the figures were the record's
}

func (d *Dashboard) figures(ctx context.Context, u throughline.User, f filters, today time.Time) (figures, error) {
	head, err := d.Store.LogHead(ctx)
	if err != nil {
		return figures{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	cube, at, err := d.cubeOf(ctx, head, today)
	if err != nil {
		return figures{}, err
	}
	w := newWithhold(throughline.Can(u, throughline.ActionViewMeasures, nil, throughline.Relation{}).SmallNumbers)
	from, to := f.period(today)
	scopes := []*scope{{name: national}}
	ownKey := ""
	if a, ok := throughline.Supervised(u); ok {
		mine := &scope{name: a.Name(), by: ownBreakdown(a), group: a.ID}
		scopes = append([]*scope{mine}, scopes...)
		if f.by == mine.by {
			ownKey = a.ID
		}
	}
	for _, s := range scopes {
		r, err := cube.Report(oversight.Params{From: from, To: to, By: oversight.ByQuarter}, s.by, s.group)
		if err != nil {
			return figures{}, err
		}
		s.byQ = r
	}
	cmp, err := cube.Report(oversight.Params{From: from, To: to, By: f.by}, "", "")
	if err != nil {
		return figures{}, err
	}
	parts, err := spread(f.measure, cube, scopes[0], from, to)
	if err != nil {
		return figures{}, err
	}
	register(w, f.measure, scopes, cmp, parts)
	w.protect()
	period := longDate(from) + " to " + longDate(to)
	fig := figures{asOf: at}
	fig.tables = []page.Table{timelinessTable(scopes, period, w), outcomesTable(scopes, period, w), requestsTable(scopes, period, w), heldTable(scopes, period, w)}
	fig.charts = []chart{
		trend(f.measure, scopes, w),
		comparison(f.measure, f.by, cmp, ownKey, scopes[len(scopes)-1], period, w),
		distribution(f.measure, scopes[0], parts, period, w),
	}
	return fig, nil
}

// key names one count of a scope for the disclosure control.
func (s *scope) key(what string) string { return s.name + "|" + what }

// total is the key of the count a measure's figure is of, for the scope.
func (s *scope) total(m measure) string {
	switch m.Key {
	case "charge_rate":
		return s.key("decided")
	case "attrition":
		return s.key("left")
	case "trials_effective":
		return s.key("held")
	case "victims_code":
		return s.key("duties")
	case "information_requests":
		return s.key("sent")
	case "device_refusals":
		return s.key("answers")
	}
	return s.key("n:" + m.Key)
}

// register gives the disclosure control every count the page shows, and
// how they add up.
func register(w *withhold, m measure, scopes []*scope, cmp oversight.Report, parts []part) {
	for _, s := range scopes {
		ms := &s.byQ.Measures
		a, t := ms.Attrition, ms.TrialOutcomes
		w.cell(s.key("reports"), ms.Reports, false)
		w.cell(s.key("charged"), ms.ChargeRate.Charged, false)
		w.cell(s.key("pre"), a.PreCharge.Total, false)
		w.cell(s.key("post"), a.PostCharge.Total, false)
		w.cell(s.key("withdrew"), a.ComplainantWithdrewAfterCharge, false)
		w.cell(s.key("open"), ms.OpenCaseload.Open, false)
		w.cell(s.key("effective"), t.Effective, false)
		w.cell(s.key("cracked"), t.Cracked, false)
		w.cell(s.key("ineffective"), t.Ineffective, false)
		w.cell(s.key("held"), t.Held, true)
		w.sum(s.key("held"), s.key("effective"), s.key("cracked"), s.key("ineffective"))
		// Totals the page does not show, known to a reader by their parts.
		w.sum(s.key("decided"), s.key("charged"), s.key("pre"))
		w.sum(s.key("left"), s.key("pre"), s.key("post"))
		w.sum(s.key("noteffective"), s.key("cracked"), s.key("ineffective"))
		for stage, ex := range map[string]oversight.Exits{"pre": a.PreCharge, "post": a.PostCharge} {
			var reasons []string
			for r, n := range ex.Reasons {
				w.cell(s.key(stage+":"+r), n, false)
				reasons = append(reasons, s.key(stage+":"+r))
			}
			w.sum(s.key(stage), reasons...)
		}
		for _, k := range timelinessKeys {
			st, _ := ms.Of(k.key)
			w.cell(s.key("n:"+k.key), st.N, true)
		}
		registerRequests(w, s, ms)
		// The quarters add up to the period, but for Victims' Code
		// duties, each counted as it stood at its own quarter's end.
		var quarters []string
		for _, g := range s.byQ.Groups {
			quarters = append(quarters, registerFigure(w, m, s.key("q:"+g.Key), &g.Measures))
		}
		sumFigures(w, m, s, quarters)
	}
	nation := scopes[len(scopes)-1]
	var groups []string
	for _, g := range cmp.Groups {
		groups = append(groups, registerFigure(w, m, "group|"+g.Key, &g.Measures))
	}
	sumFigures(w, m, nation, groups)
	var bands []string
	for _, p := range parts {
		w.cell(p.key, p.n, false)
		if strings.HasPrefix(p.key, scopes[0].key("band:")) {
			bands = append(bands, p.key)
		}
	}
	w.sum(scopes[0].total(m), bands...)
}

// registerRequests registers the counts of the information requests table
// (and of the days held table: the cases open, the custody time limits)
// and how they add up: the requests made, by where her notice stood and by
// kind of material; her answers to device extraction, agreed and refused.
func registerRequests(w *withhold, s *scope, ms *oversight.Measures) {
	ir, dx := ms.InformationRequests, ms.DeviceExtraction
	// In a fixed order: the disclosure control's choices depend on it.
	for _, c := range []struct {
		key string
		n   int
	}{{"recorded", ir.Recorded}, {"counselling", ir.Counselling}, {"approved", ir.Approved}, {"sent", ir.Sent},
		{"received", ir.Received}, {"holder_refused", ir.HolderRefused}, {"withdrawn", ir.Withdrawn}, {"withdrawn_before_sent", ir.WithdrawnBeforeSent},
		{"devices", dx.Requested}, {"refused", dx.Refused}, {"agreed", dx.Agreed}, {"devices_withdrawn", dx.Withdrawn},
		{"open_cases", ms.DaysHeld.Cases}, {"ctl_met", ms.CustodyLimits.Met}, {"ctl_near", ms.CustodyLimits.NearMisses}} {
		w.cell(s.key(c.key), c.n, false)
	}
	var notices, kinds []string
	for _, k := range oversight.NoticeTimings {
		w.cell(s.key("notice:"+k), ir.Notice[k], false)
		notices = append(notices, s.key("notice:"+k))
	}
	for _, k := range throughline.Materials {
		w.cell(s.key("material:"+k), ir.Material[k], false)
		kinds = append(kinds, s.key("material:"+k))
	}
	w.sum(s.key("sent"), notices...)
	w.sum(s.key("sent"), kinds...)
	// Her answers are not shown as a total: known by their parts.
	w.sum(s.key("answers"), s.key("refused"), s.key("agreed"))
}

// noticeWords say where her notice stood when a request was made.
var noticeWords = map[string]string{
	oversight.NoticeBefore:   "Told on or before the day it was made",
	oversight.NoticeAfter:    "Told after it was made",
	oversight.NoticeExcepted: "Not told: no notice under s.44B(5)",
	oversight.NoticeNotGiven: "Not yet told",
}

// requestsTable: victim information requests and device extraction, a
// column per scope (docs/measures.md, "Information requests and device
// extraction").
func requestsTable(scopes []*scope, period string, w *withhold) page.Table {
	t, figureRow := scopeTable("Information requests and device extraction, "+period, scopes)
	row := func(label, key string, n func(m *oversight.Measures) int) {
		figureRow(label, func(s *scope, m *oversight.Measures) string { return w.counted(s.key(key), n(m)) })
	}
	ir := func(m *oversight.Measures) *oversight.InformationRequests { return &m.InformationRequests }
	row("Information requests recorded", "recorded", func(m *oversight.Measures) int { return ir(m).Recorded })
	row("Recorded for counselling information", "counselling", func(m *oversight.Measures) int { return ir(m).Counselling })
	row("Approved by a police supervisor", "approved", func(m *oversight.Measures) int { return ir(m).Approved })
	row("Information requests made", "sent", func(m *oversight.Measures) int { return ir(m).Sent })
	for _, k := range oversight.NoticeTimings {
		row("Made: "+lower(noticeWords[k]), "notice:"+k, func(m *oversight.Measures) int { return ir(m).Notice[k] })
	}
	for _, k := range throughline.Materials {
		row("Made, kind of material: "+lower(words(k)), "material:"+k, func(m *oversight.Measures) int { return ir(m).Material[k] })
	}
	row("Provided by the holder", "received", func(m *oversight.Measures) int { return ir(m).Received })
	row("Refused by the holder", "holder_refused", func(m *oversight.Measures) int { return ir(m).HolderRefused })
	row("Withdrawn by the police", "withdrawn", func(m *oversight.Measures) int { return ir(m).Withdrawn })
	row("Withdrawn before being made", "withdrawn_before_sent", func(m *oversight.Measures) int { return ir(m).WithdrawnBeforeSent })
	dx := func(m *oversight.Measures) *oversight.DeviceExtraction { return &m.DeviceExtraction }
	row("Device extraction requested", "devices", func(m *oversight.Measures) int { return dx(m).Requested })
	row("She agreed to device extraction", "agreed", func(m *oversight.Measures) int { return dx(m).Agreed })
	row("She refused device extraction", "refused", func(m *oversight.Measures) int { return dx(m).Refused })
	figureRow("Device extraction refused (of her answers)", func(s *scope, m *oversight.Measures) string {
		d := dx(m)
		if w.hidesRate(d.Refused, d.Agreed+d.Refused) || w.withheld(s.key("refused"), d.Refused) || w.withheld(s.key("agreed"), d.Agreed) {
			return fewFigure
		}
		return pct(d.RefusalRate)
	})
	row("Agreements she withdrew", "devices_withdrawn", func(m *oversight.Measures) int { return dx(m).Withdrawn })
	return *t
}

// registerFigure registers the count a figure is of under key, and for a
// rate the counts yes and no it gives away (key+":yes", key+":no"). It
// returns key.
func registerFigure(w *withhold, m measure, key string, ms *oversight.Measures) string {
	_, n := m.value(ms)
	w.cell(key, n, false)
	if m.split != nil {
		yes, no := m.split(ms)
		w.cell(key+":yes", yes, false)
		w.cell(key+":no", no, false)
		w.sum(key, key+":yes", key+":no")
	}
	return key
}

// sumFigures registers that the figures' counts under keys (a partition of
// the scope's cases: quarters, or groups) add up to the scope's, yes and no
// alike. Victims' Code duties are each counted as they stood at the end of
// their own quarter, so they do not add up and are left out.
func sumFigures(w *withhold, m measure, s *scope, keys []string) {
	if m.Key == "victims_code" {
		return
	}
	w.sum(s.total(m), keys...)
	if m.split == nil {
		return
	}
	yes := map[string]string{"charge_rate": "charged", "trials_effective": "effective", "device_refusals": "refused"}[m.Key]
	no := map[string]string{"charge_rate": "pre", "trials_effective": "noteffective", "device_refusals": "agreed"}[m.Key]
	var ys, ns []string
	for _, k := range keys {
		ys, ns = append(ys, k+":yes"), append(ns, k+":no")
	}
	w.sum(s.key(yes), ys...)
	w.sum(s.key(no), ns...)
}

// timelinessTable: every timeliness measure's mean, median, 90th
// percentile and count, per scope.
func timelinessTable(scopes []*scope, period string, w *withhold) page.Table {
	t := page.Table{Caption: "Time taken, in calendar days, " + period, CaptionClasses: "govuk-table__caption--m", FirstCellIsHeader: true,
		Head: []page.TableHead{{Text: "Measure"}, {Text: "Mean", Format: "numeric"}, {Text: "Median", Format: "numeric"}, {Text: "90th percentile", Format: "numeric"}, {Text: "Cases", Format: "numeric"}}}
	for _, k := range timelinessKeys {
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
			case w.hides(st.N) || w.withheld(s.key("n:"+k.key), st.N):
				row = append(row, num(fewFigure), num(fewFigure), num(fewFigure), num(w.counted(s.key("n:"+k.key), st.N)))
			default:
				row = append(row, num(strconv.FormatFloat(st.Mean, 'f', 1, 64)), num(strconv.Itoa(st.Median)), num(strconv.Itoa(st.P90)), num(strconv.Itoa(st.N)))
			}
			t.Rows = append(t.Rows, row)
		}
	}
	return t
}

// timelinessKeys are the timeliness measures in the order of the table.
var timelinessKeys = []struct{ key, label string }{
	{oversight.ReportToTrial, "Report to trial"}, {oversight.ReportToCharge, "Report to charge"}, {oversight.ChargeToTrial, "Charge to trial"},
	{oversight.ReceiptToDecision, "CPS receipt to charging decision"}, {oversight.ChargeToFirstHearing, "Charge to first hearing"},
	{oversight.SendingToTrial, "Sending to trial"}, {oversight.ChargeToCompletion, "Charge to completion"},
}

// outcomesTable: rates, attrition, trial outcomes, compliance and the
// open caseload, a column per scope.
func outcomesTable(scopes []*scope, period string, w *withhold) page.Table {
	t, row := scopeTable("Outcomes and compliance, "+period, scopes)
	count := func(what string, n func(m *oversight.Measures) int) func(s *scope, m *oversight.Measures) string {
		return func(s *scope, m *oversight.Measures) string { return w.counted(s.key(what), n(m)) }
	}
	// A rate is withheld with either count it is made of, which it and
	// the other would give away.
	rate := func(r *float64, s *scope, num, base string, k, n int) string {
		if w.hidesRate(k, n) || w.withheld(s.key(num), k) || w.withheld(s.key(base), n) {
			return fewFigure
		}
		return pct(r)
	}
	row("Cases reported", count("reports", func(m *oversight.Measures) int { return m.Reports }))
	row("Cases charged", count("charged", func(m *oversight.Measures) int { return m.ChargeRate.Charged }))
	row("Charge rate (of cases charged or closed before charge)", func(s *scope, m *oversight.Measures) string {
		c := m.ChargeRate
		if w.withheld(s.key("pre"), c.LeftBeforeCharge) {
			return fewFigure
		}
		return rate(c.Rate, s, "charged", "decided", c.Charged, c.Charged+c.LeftBeforeCharge)
	})
	row("Left before charge", count("pre", func(m *oversight.Measures) int { return m.Attrition.PreCharge.Total }))
	row("Left after charge without a conviction", count("post", func(m *oversight.Measures) int { return m.Attrition.PostCharge.Total }))
	row("Complainant withdrew after charge", count("withdrew", func(m *oversight.Measures) int { return m.Attrition.ComplainantWithdrewAfterCharge }))
	row("Conviction rate (of prosecutions completed)", func(s *scope, m *oversight.Measures) string {
		c := m.ConvictionRate
		return rate(c.Rate, s, "", "", c.Convicted, c.Completed)
	})
	row("Trials that sat", count("held", func(m *oversight.Measures) int { return m.TrialOutcomes.Held }))
	trials := func(what string, r func(t *oversight.TrialOutcomes) (*float64, int)) func(s *scope, m *oversight.Measures) string {
		return func(s *scope, m *oversight.Measures) string {
			v, k := r(&m.TrialOutcomes)
			return rate(v, s, what, "held", k, m.TrialOutcomes.Held)
		}
	}
	row("Trials effective", trials("effective", func(t *oversight.TrialOutcomes) (*float64, int) { return t.EffectiveRate, t.Effective }))
	row("Trials cracked", trials("cracked", func(t *oversight.TrialOutcomes) (*float64, int) { return t.CrackedRate, t.Cracked }))
	row("Trials ineffective", trials("ineffective", func(t *oversight.TrialOutcomes) (*float64, int) { return t.IneffectiveRate, t.Ineffective }))
	row("Victims' Code duties met on time", func(s *scope, m *oversight.Measures) string {
		on, decided := victimsCode(m)
		if decided == 0 {
			return "No figure"
		}
		r := float64(on) / float64(decided)
		return rate(&r, s, "", "", on, decided)
	})
	row("Open in the Crown Court at the end of the period", count("open", func(m *oversight.Measures) int { return m.OpenCaseload.Open }))
	return *t
}

// trend: the measure by quarter, a line per scope (the nation's dashed
// when a supervisor's own is drawn beside it).
func trend(m measure, scopes []*scope, w *withhold) chart {
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
			v, _ := figure(m, &g.Measures, w, s.key("q:"+g.Key))
			line.Values = append(line.Values, v)
		}
		ss = append(ss, line)
	}
	for qi, g := range scopes[0].byQ.Groups {
		row := []page.TableCell{{Text: g.Label}}
		for _, s := range scopes {
			q := s.key("q:" + s.byQ.Groups[qi].Key)
			_, text := figure(m, &s.byQ.Groups[qi].Measures, w, q)
			_, n := m.value(&s.byQ.Groups[qi].Measures)
			row = append(row, num(text), num(w.counted(q, n)))
		}
		c.Table.Rows = append(c.Table.Rows, row)
	}
	desc := fmt.Sprintf("%s (%s) in each quarter of the period, for %s. The table below has the same figures.", m.Label, m.Unit, namesOf(scopes))
	c.Image = lineChart("chart-trend", c.Heading, desc, m.Unit, labels, ss)
	return c
}

// comparison: the measure for each group of the breakdown over the whole
// period, the national figure as a line across.
func comparison(m measure, by string, r oversight.Report, ownKey string, nation *scope, period string, w *withhold) chart {
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
		v, text := figure(m, &g.Measures, w, "group|"+g.Key)
		_, n := m.value(&g.Measures)
		label := g.Label
		if g.Key == ownKey {
			label += " (yours)"
		}
		c.Table.Rows = append(c.Table.Rows, []page.TableCell{{Text: label}, num(text), num(w.counted("group|"+g.Key, n))})
		if !math.IsNaN(v) {
			bars = append(bars, bar{Label: g.Label, Value: v, Text: text, Mark: g.Key == ownKey})
		}
	}
	ref, refText := figure(m, &nation.byQ.Measures, w, nation.total(m))
	desc := fmt.Sprintf("%s (%s) for each %s with a figure in the period; the dashed line is the figure for %s, %s. The table below has every group.", m.Label, m.Unit, lower(byLabel), national, refText)
	c.Image = barChart("chart-compare", c.Heading, desc, m.Unit, bars, ref, national+": "+refText)
	return c
}

// dayBands are the distribution's bands of days.
var dayBands = []struct {
	upTo  int
	label string
}{{90, "Up to 90 days"}, {180, "91 to 180 days"}, {365, "181 days to a year"}, {730, "1 to 2 years"}, {1095, "2 to 3 years"}, {math.MaxInt, "More than 3 years"}}

// part is one count of a distribution, with its key for the disclosure
// control.
type part struct {
	key, label string
	n          int
}

// spread: how the cases of the first scope (the supervisor's own, else the
// nation's) spread — over bands of days for a time taken, over outcomes or
// reasons for the others; none for Victims' Code duties, which are rates.
func spread(m measure, cube *oversight.Cube, s *scope, from, to time.Time) ([]part, error) {
	ms := &s.byQ.Measures
	var out []part
	add := func(key, label string, n int) { out = append(out, part{s.key(key), label, n}) }
	switch {
	case m.timely:
		ds, err := cube.Durations(s.by, s.group, m.Key, from, to)
		if err != nil {
			return nil, err
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
			add("band:"+strconv.Itoa(i), b.label, counts[i])
		}
	case m.Key == "charge_rate":
		add("charged", "Charged", ms.ChargeRate.Charged)
		for _, k := range sortedKeys(ms.Attrition.PreCharge.Reasons) {
			add("pre:"+k, "Closed before charge: "+lower(words(k)), ms.Attrition.PreCharge.Reasons[k])
		}
	case m.Key == "attrition":
		for _, k := range sortedKeys(ms.Attrition.PreCharge.Reasons) {
			add("pre:"+k, "Before charge: "+lower(words(k)), ms.Attrition.PreCharge.Reasons[k])
		}
		for _, k := range sortedKeys(ms.Attrition.PostCharge.Reasons) {
			add("post:"+k, "After charge: "+lower(words(k)), ms.Attrition.PostCharge.Reasons[k])
		}
	case m.Key == "trials_effective":
		t := ms.TrialOutcomes
		add("effective", "Effective", t.Effective)
		add("cracked", "Cracked", t.Cracked)
		add("ineffective", "Ineffective", t.Ineffective)
	case m.Key == "information_requests":
		for _, k := range oversight.NoticeTimings {
			add("notice:"+k, noticeWords[k], ms.InformationRequests.Notice[k])
		}
	case m.Key == "device_refusals":
		add("refused", "She refused", ms.DeviceExtraction.Refused)
		add("agreed", "She agreed", ms.DeviceExtraction.Agreed)
	}
	return out, nil
}

// distribution draws the spread of the first scope, or for Victims' Code
// duties the share met on time, duty by duty.
func distribution(m measure, s *scope, parts []part, period string, w *withhold) chart {
	c := chart{Heading: "How the figure is made up: " + s.name}
	unit := "cases"
	var rows []bar
	for _, p := range parts {
		text, shown := w.count(p.key, p.n)
		n := p.n
		if !shown {
			n = 0 // no bar: the table says it is withheld
		}
		rows = append(rows, bar{Label: p.label, Value: float64(n), Text: text})
	}
	switch {
	case m.timely:
		c.Heading = m.Label + ": cases by time taken, " + s.name
	case m.Key == "charge_rate":
		c.Heading = "Cases decided, by outcome, " + s.name
	case m.Key == "attrition":
		c.Heading = "Cases that left without a conviction, by stage and reason, " + s.name
	case m.Key == "trials_effective":
		c.Heading = "Trials that sat, by outcome, " + s.name
	case m.Key == "information_requests":
		c.Heading = "Victim information requests made, by when she was told, " + s.name
		unit = "requests"
	case m.Key == "device_refusals":
		c.Heading = "Her answers to device extraction, " + s.name
	default: // victims_code
		unit = "% met on time"
		for _, rc := range s.byQ.Measures.VictimsCode {
			decided := rc.MetOnTime + rc.MetLate + rc.Missed
			label := ruleTitles[rc.Rule] + " (" + owners[rc.Owner] + ")"
			switch {
			case decided == 0:
				continue
			case w.hidesRate(rc.MetOnTime, decided):
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
	return c
}

// figure is the measure's figure of m and its words, NaN and "Too few
// cases" where the reader's disclosure control withholds it: a figure of
// too few cases, or whose count (registered under key) is withheld, or a
// rate whose counts yes or no are.
func figure(ms measure, m *oversight.Measures, w *withhold, key string) (float64, string) {
	v, n := ms.value(m)
	if w.hides(n) || w.withheld(key, n) {
		return math.NaN(), fewFigure
	}
	if ms.split != nil {
		yes, no := ms.split(m)
		if w.withheld(key+":yes", yes) || w.withheld(key+":no", no) {
			return math.NaN(), fewFigure
		}
	}
	return v, valueText(ms, v)
}

// heldTable: who the cases open in the period were waiting on, over its
// days (package attribution's rule), and custody time limits met with
// little to spare, a column per scope (docs/measures.md, "Days held per
// agency", "Custody time limits: near misses"). Days are not people, but
// the days of a handful of cases describe those cases: they are withheld
// with too few cases, as a median is.
func heldTable(scopes []*scope, period string, w *withhold) page.Table {
	t, row := scopeTable("Who the cases waited on, and custody time limits, "+period, scopes)
	row("Cases open in the period", func(s *scope, m *oversight.Measures) string { return w.counted(s.key("open_cases"), m.DaysHeld.Cases) })
	for _, p := range attribution.Parties {
		row("Share of their days waiting on "+heldWords[p], func(s *scope, m *oversight.Measures) string {
			h := m.DaysHeld
			switch {
			case h.Days.Total() == 0:
				return "No figure"
			case w.hides(h.Cases) || w.withheld(s.key("open_cases"), h.Cases):
				return fewFigure
			}
			v := h.Share.Of(p)
			return pct(&v) + " (" + strconv.Itoa(h.Days.Of(p)) + " days)"
		})
	}
	row("Custody time limits met", func(s *scope, m *oversight.Measures) string { return w.counted(s.key("ctl_met"), m.CustodyLimits.Met) })
	row(fmt.Sprintf("Met with %d days or fewer to spare", oversight.NearMissDays), func(s *scope, m *oversight.Measures) string {
		return w.counted(s.key("ctl_near"), m.CustodyLimits.NearMisses)
	})
	row("Near misses (of the limits met)", func(s *scope, m *oversight.Measures) string {
		c := m.CustodyLimits
		if w.hidesRate(c.NearMisses, c.Met) || w.withheld(s.key("ctl_near"), c.NearMisses) || w.withheld(s.key("ctl_met"), c.Met) {
			return fewFigure
		}
		return pct(c.Rate)
	})
	return *t
}

// heldWords name the parties a case waits on.
var heldWords = map[attribution.Party]string{attribution.Police: "the police", attribution.CPS: "the CPS", attribution.Court: "the court",
	attribution.Defence: "the defence", attribution.Complainant: "the complainant", attribution.Nobody: "nobody (outcome reached, not closed)"}

// scopeTable starts a table of figures with a column per scope, and
// returns it with the function that adds a row: its label, and its figure
// in words for each scope.
func scopeTable(caption string, scopes []*scope) (*page.Table, func(label string, f func(s *scope, m *oversight.Measures) string)) {
	t := &page.Table{Caption: caption, CaptionClasses: "govuk-table__caption--m", FirstCellIsHeader: true, Head: []page.TableHead{{Text: "Measure"}}}
	for _, s := range scopes {
		t.Head = append(t.Head, page.TableHead{Text: s.name, Format: "numeric"})
	}
	return t, func(label string, f func(s *scope, m *oversight.Measures) string) {
		r := []page.TableCell{{Text: label}}
		for _, s := range scopes {
			r = append(r, num(f(s, &s.byQ.Measures)))
		}
		t.Rows = append(t.Rows, r)
	}
}
