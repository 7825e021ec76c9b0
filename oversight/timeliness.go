package oversight

import (
	"fmt"
	"time"

	"throughline/calendar"
)

// Timeliness measures, by their key in the JSON report (Measures).
const (
	ReportToCharge       = "report_to_charge_days"
	ReceiptToDecision    = "cps_receipt_to_decision_days"
	ChargeToFirstHearing = "charge_to_first_hearing_days"
	SendingToTrial       = "sending_to_trial_days"
	ChargeToTrial        = "charge_to_trial_days"
	ChargeToCompletion   = "charge_to_completion_days"
	ReportToTrial        = "report_to_trial_days"
)

// span is one timeliness measure: calendar days from its start to its end,
// counted for the cases whose end falls in the period (docs/measures.md).
type span struct {
	key        string
	start, end func(*Facts) calendar.Day
	stat       func(*Measures) *Stat
}

// timeliness is the one definition of every timeliness measure: Aggregate's
// Stats and Durations both read it.
var timeliness = []span{
	{ReportToCharge, func(f *Facts) calendar.Day { return f.Reported }, func(f *Facts) calendar.Day { return f.Charged }, func(m *Measures) *Stat { return &m.ReportToCharge }},
	{ReceiptToDecision, func(f *Facts) calendar.Day { return f.FileForDecision }, func(f *Facts) calendar.Day { return f.Decision }, func(m *Measures) *Stat { return &m.ReceiptToDecision }},
	{ChargeToFirstHearing, func(f *Facts) calendar.Day { return f.Charged }, func(f *Facts) calendar.Day { return f.FirstHearing }, func(m *Measures) *Stat { return &m.ChargeToFirstHearing }},
	{SendingToTrial, func(f *Facts) calendar.Day { return f.Sent }, func(f *Facts) calendar.Day { return f.TrialStarted }, func(m *Measures) *Stat { return &m.SendingToTrial }},
	{ChargeToTrial, func(f *Facts) calendar.Day { return f.Charged }, func(f *Facts) calendar.Day { return f.TrialStarted }, func(m *Measures) *Stat { return &m.ChargeToTrial }},
	{ChargeToCompletion, func(f *Facts) calendar.Day { return f.Charged }, func(f *Facts) calendar.Day { return f.Completed }, func(m *Measures) *Stat { return &m.ChargeToCompletion }},
	{ReportToTrial, func(f *Facts) calendar.Day { return f.Reported }, func(f *Facts) calendar.Day { return f.TrialStarted }, func(m *Measures) *Stat { return &m.ReportToTrial }},
}

// days is the case's days for the measure, if its end falls in [from, to].
func (t span) days(f *Facts, from, to calendar.Day) (int, bool) {
	start, end := t.start(f), t.end(f)
	if start == None || !in(end, from, to) {
		return 0, false
	}
	return int(end - start), true
}

// Durations returns the days of one timeliness measure (one of the
// constants above) of every case it counts in the period from–to (London
// calendar days as midnight UTC, inclusive): the values whose Stat the
// Report gives, for a distribution. The order is the facts' order.
func Durations(facts []Facts, measure string, from, to time.Time) ([]int, error) {
	for _, t := range timeliness {
		if t.key != measure {
			continue
		}
		lo, hi := calendar.DayOf(from), calendar.DayOf(to)
		var out []int
		for i := range facts {
			if d, ok := t.days(&facts[i], lo, hi); ok {
				out = append(out, d)
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("%q is not a timeliness measure", measure)
}

// Of returns the Stat of a timeliness measure (one of the constants above),
// and false for any other key.
func (m *Measures) Of(measure string) (Stat, bool) {
	for _, t := range timeliness {
		if t.key == measure {
			return *t.stat(m), true
		}
	}
	return Stat{}, false
}
