package dashboard

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"time"

	"throughline"
	"throughline/oversight"
	"throughline/web/page"
)

// The figures of a page: what each table and chart holds, from package
// oversight's reports over the reader's scopes.

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
