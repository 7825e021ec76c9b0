package dashboard

import (
	"math"
	"strings"

	"throughline/deadline"
	"throughline/oversight"
)

// measure is one headline measure as the dashboards draw it: one figure
// per group and period. docs/measures.md defines what is counted; this
// only chooses the figure a chart shows.
type measure struct {
	Key, Label string
	Unit       string // what the figure is in, for the axis and the tables
	// value is the figure (a timeliness measure's median; a rate as a
	// percentage) and how many it counts; NaN when nothing was counted.
	value func(m *oversight.Measures) (float64, int)
	// timely: the figure is the median of a timeliness measure (Key is
	// its key), whose distribution is of days.
	timely bool
	// split is a rate's cases counted yes and no (nil for the others):
	// the counts a rate and its base give away.
	split func(m *oversight.Measures) (yes, no int)
}

func timeliness(key, label string) measure {
	return measure{Key: key, Label: label, Unit: "median days", timely: true, value: func(m *oversight.Measures) (float64, int) {
		s, _ := m.Of(key)
		if s.N == 0 {
			return math.NaN(), 0
		}
		return float64(s.Median), s.N
	}}
}

// percent is 100 × *r, NaN for no rate.
func percent(r *float64) float64 {
	if r == nil {
		return math.NaN()
	}
	return 100 * *r
}

// measures are the headline measures the dashboards offer, the first the default.
var measures = []measure{
	timeliness(oversight.ReportToTrial, "Report to trial"),
	timeliness(oversight.ReportToCharge, "Report to charge"),
	timeliness(oversight.ChargeToTrial, "Charge to trial"),
	{Key: "charge_rate", Label: "Charge rate", Unit: "% of cases decided", value: func(m *oversight.Measures) (float64, int) {
		r := m.ChargeRate
		return percent(r.Rate), r.Charged + r.LeftBeforeCharge
	}, split: func(m *oversight.Measures) (int, int) { return m.ChargeRate.Charged, m.ChargeRate.LeftBeforeCharge }},
	{Key: "attrition", Label: "Cases that left without a conviction", Unit: "cases", value: func(m *oversight.Measures) (float64, int) {
		n := m.Attrition.PreCharge.Total + m.Attrition.PostCharge.Total
		return float64(n), n
	}},
	{Key: "trials_effective", Label: "Trials that went ahead as listed", Unit: "% of trials that sat", value: func(m *oversight.Measures) (float64, int) {
		t := m.TrialOutcomes
		return percent(t.EffectiveRate), t.Held
	}, split: func(m *oversight.Measures) (int, int) {
		t := m.TrialOutcomes
		return t.Effective, t.Held - t.Effective
	}},
	{Key: "information_requests", Label: "Victim information requests made", Unit: "requests", value: func(m *oversight.Measures) (float64, int) {
		n := m.InformationRequests.Sent
		return float64(n), n
	}},
	{Key: "device_refusals", Label: "Device extraction refused by the victim", Unit: "% of her answers", value: func(m *oversight.Measures) (float64, int) {
		d := m.DeviceExtraction
		return percent(d.RefusalRate), d.Agreed + d.Refused
	}, split: func(m *oversight.Measures) (int, int) { return m.DeviceExtraction.Refused, m.DeviceExtraction.Agreed }},
	{Key: "victims_code", Label: "Victims' Code duties met on time", Unit: "% of duties decided", value: func(m *oversight.Measures) (float64, int) {
		on, decided := victimsCode(m)
		if decided == 0 {
			return math.NaN(), 0
		}
		return 100 * float64(on) / float64(decided), decided
	}, split: func(m *oversight.Measures) (int, int) {
		on, decided := victimsCode(m)
		return on, decided - on
	}},
}

// victimsCode sums the Victims' Code and VCL duties met on time, and those
// decided (met on time, met late or missed).
func victimsCode(m *oversight.Measures) (onTime, decided int) {
	for _, rc := range m.VictimsCode {
		onTime += rc.MetOnTime
		decided += rc.MetOnTime + rc.MetLate + rc.Missed
	}
	return onTime, decided
}

func measureOf(key string) (measure, bool) {
	for _, m := range measures {
		if m.Key == key {
			return m, true
		}
	}
	return measure{}, false
}

// breakdowns are the comparisons the dashboards offer, in words. Time
// breakdowns are the trend chart's.
var breakdowns = []struct{ key, label string }{
	{oversight.ByForce, "Police force"},
	{oversight.ByArea, "CPS area"},
	{oversight.ByCourt, "Crown Court"},
	{oversight.ByOffence, "Offence"},
	{oversight.BySex, "Complainant's sex"},
	{oversight.ByEthnicity, "Complainant's ethnicity"},
	{oversight.ByAge, "Complainant's age at the report"},
}

// ruleTitles are the deadline rules' titles by id.
var ruleTitles = func() map[string]string {
	out := map[string]string{}
	for _, r := range deadline.Rules() {
		if _, ok := out[r.ID]; !ok {
			out[r.ID] = r.Title
		}
	}
	return out
}()

var owners = map[string]string{"police": "police", "cps": "CPS", "wcu": "Witness Care", "court": "court", "defence": "defence"}

// words turns a stable id of a reason or outcome into words:
// "complainant_withdrew" is "Complainant withdrew".
func words(id string) string {
	if id == "" {
		return "Not recorded"
	}
	s := strings.ReplaceAll(id, "_", " ")
	s = strings.Replace(s, "cps ", "CPS ", 1)
	return strings.ToUpper(s[:1]) + s[1:]
}
