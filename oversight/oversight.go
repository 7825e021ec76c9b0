// Package oversight computes the inspection's measures of the RASSO case
// process from the record: timeliness (report→charge … report→trial),
// attrition by stage and reason, charge and conviction rates, trial
// effectiveness, adjournments, the Crown Court's open caseload, and
// Victims' Code compliance, overall and broken down by force, CPS area,
// Crown Court, offence, the complainant's sex, ethnicity and age band at
// the report, or by month, quarter or year.
//
// docs/measures.md defines every measure so that anyone can recompute it
// from an export. This package is the reference implementation: pure, no
// I/O, computing from raw events in two steps — Extract reads one case's
// events into its Facts, Aggregate counts Facts into a Report — so that an
// incremental roll-up that keeps each case's Facts as events are appended
// gives identical figures.
//
// Days are calendar days (not working days) between the London dates of
// the events' occurred_at: the day something happened in the world, not the
// day the system learned of it.
package oversight

import (
	"fmt"
	"iter"
	"slices"
	"sort"
	"time"

	"throughline"
	"throughline/calendar"
	"throughline/deadline"
	"throughline/refdata"
)

// Breakdowns (Params.By).
const (
	ByForce     = "force"
	ByArea      = "area"
	ByCourt     = "court"
	ByOffence   = "offence"
	ByEthnicity = "ethnicity"
	ByAge       = "age"
	BySex       = "sex"
	ByMonth     = "month"
	ByQuarter   = "quarter"
	ByYear      = "year"
)

// Breakdowns lists the values of Params.By.
var Breakdowns = []string{ByForce, ByArea, ByCourt, ByOffence, ByEthnicity, ByAge, BySex, ByMonth, ByQuarter, ByYear}

// Params says what to measure.
type Params struct {
	// From and To are the first and last days of the period, inclusive, as
	// midnight UTC standing for a London calendar day (as package calendar
	// counts them). A zero From is the first day a case in the data was
	// reported; a zero To the last day of any event in the data.
	From, To time.Time
	// By breaks the figures down (one of Breakdowns), or "" for none.
	By string
}

// Report is the measures of a period, overall and per group.
type Report struct {
	From  string `json:"from"`
	To    string `json:"to"`
	By    string `json:"by,omitempty"`
	Cases int    `json:"cases"` // cases in the data, whatever their dates
	Measures
	Groups []Group `json:"groups,omitempty"`
}

// Group is the measures of one value of the breakdown. A group of a time
// breakdown (month, quarter, year) has its own From and To.
type Group struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	From  string `json:"from,omitempty"`
	To    string `json:"to,omitempty"`
	Measures
}

// Measures are the figures of one period and group. docs/measures.md
// defines each.
type Measures struct {
	Reports int `json:"reports"` // cases reported in the period

	ReportToCharge       Stat `json:"report_to_charge_days"`
	ReceiptToDecision    Stat `json:"cps_receipt_to_decision_days"`
	ChargeToFirstHearing Stat `json:"charge_to_first_hearing_days"`
	SendingToTrial       Stat `json:"sending_to_trial_days"`
	ChargeToTrial        Stat `json:"charge_to_trial_days"`
	ChargeToCompletion   Stat `json:"charge_to_completion_days"`
	ReportToTrial        Stat `json:"report_to_trial_days"`

	ChargingDecisions map[string]int `json:"charging_decisions"`
	ChargeRate        ChargeRate     `json:"charge_rate"`
	Attrition         Attrition      `json:"attrition"`
	ConvictionRate    ConvictionRate `json:"conviction_rate"`
	Verdicts          Verdicts       `json:"verdicts"`
	TrialOutcomes     TrialOutcomes  `json:"trial_outcomes"`
	Adjournments      Stat           `json:"adjournments_per_case"`
	OpenCaseload      Caseload       `json:"open_crown_court_caseload"`

	// VictimsCode is Victims' Code and VCL compliance: the rules that
	// protect the complainant. OtherTimescales is the rest (early advice,
	// Better Case Management, custody time limits).
	VictimsCode     []deadline.RuleCompliance `json:"victims_code_compliance"`
	OtherTimescales []deadline.RuleCompliance `json:"other_timescales_compliance"`

	// Victim information requests and device extraction (requests.go).
	InformationRequests InformationRequests `json:"information_requests"`
	DeviceExtraction    DeviceExtraction    `json:"device_extraction"`

	// Who the cases were waiting on over the period's days, and custody
	// time limits met with little to spare (held.go).
	DaysHeld      DaysHeld      `json:"days_held"`
	CustodyLimits CustodyLimits `json:"custody_time_limits"`
}

// ChargeRate is the share of the cases decided in the period that were
// charged, and the Home Office-style ratio of charges to reports.
type ChargeRate struct {
	Charged          int      `json:"charged"`
	LeftBeforeCharge int      `json:"left_before_charge"`
	Rate             *float64 `json:"rate"`               // charged / (charged + left_before_charge)
	ChargedPerReport *float64 `json:"charged_per_report"` // charged / reports (different cohorts)
}

// Attrition counts the cases that left the process without a conviction.
type Attrition struct {
	PreCharge  Exits `json:"pre_charge"`
	PostCharge Exits `json:"post_charge"`
	// ComplainantWithdrewAfterCharge counts cases whose first withdrawal
	// after charge fell in the period, whatever came of them.
	ComplainantWithdrewAfterCharge int `json:"complainant_withdrew_after_charge"`
	// ProsecutionStopped counts prosecution_stopped events by how.
	ProsecutionStopped map[string]int `json:"prosecution_stopped"`
}

// Exits are the cases that left at one stage, by reason.
type Exits struct {
	Total   int            `json:"total"`
	Reasons map[string]int `json:"reasons"`
	// AfterComplainantWithdrew: post-charge exits that followed a withdrawal.
	AfterComplainantWithdrew int `json:"after_complainant_withdrew,omitempty"`
}

// ConvictionRate is the share of charged cases completed in the period with
// a conviction (the CPS's measure: of all prosecutions completed).
type ConvictionRate struct {
	Completed int            `json:"completed"`
	Convicted int            `json:"convicted"`
	Rate      *float64       `json:"rate"`
	Outcomes  map[string]int `json:"outcomes"` // convicted, stopped, acquitted, closed
}

// Verdicts counts verdict events by result, and the jury conviction rate.
type Verdicts struct {
	Results            map[string]int `json:"results"`
	JuryConvictionRate *float64       `json:"jury_conviction_rate"` // guilty / (guilty + not_guilty)
}

// TrialOutcomes counts the trial hearings that sat, by outcome and reason.
type TrialOutcomes struct {
	Held               int            `json:"held"`
	Effective          int            `json:"effective"`
	Cracked            int            `json:"cracked"`
	Ineffective        int            `json:"ineffective"`
	EffectiveRate      *float64       `json:"effective_rate"`
	CrackedRate        *float64       `json:"cracked_rate"`
	IneffectiveRate    *float64       `json:"ineffective_rate"`
	CrackedReasons     map[string]int `json:"cracked_reasons"`
	IneffectiveReasons map[string]int `json:"ineffective_reasons"`
}

// Caseload is the Crown Court's open caseload at the end of the period.
type Caseload struct {
	AsOf    string `json:"as_of"`
	Open    int    `json:"open"`
	AgeDays Stat   `json:"age_days"` // days since sending, as of AsOf
}

// Measure extracts each case's Facts and aggregates them. cases yields each
// case's events in log order.
func Measure(cases iter.Seq[[]throughline.Event], p Params) (Report, error) {
	var facts []Facts
	for evs := range cases {
		facts = append(facts, Extract(evs))
	}
	return Aggregate(facts, p)
}

// Aggregate computes the Report of the facts. It returns an error only for
// bad Params.
func Aggregate(facts []Facts, p Params) (Report, error) {
	first, last := None, None
	for i := range facts {
		first, last = widen(first, last, facts[i].Reported, facts[i].Last)
	}
	return aggregate(len(facts), func(yield func(*Facts) bool) {
		for i := range facts {
			if !yield(&facts[i]) {
				return
			}
		}
	}, first, last, p)
}

// widen returns the first report and the last day of any event, first and
// last, widened to a case reported on reported whose last day is caseLast.
func widen(first, last, reported, caseLast calendar.Day) (calendar.Day, calendar.Day) {
	if reported != None {
		first = earliest(first, reported)
	}
	if caseLast != None && (last == None || caseLast > last) {
		last = caseLast
	}
	return first, last
}

// aggregate is Aggregate of the n cases whose facts facts yields, each once
// and kept by nothing past its turn, first and last their first report and
// their last day of any event (the period's bounds when Params leave them
// out).
func aggregate(n int, facts iter.Seq[*Facts], first, last calendar.Day, p Params) (Report, error) {
	if p.By != "" && !slices.Contains(Breakdowns, p.By) {
		return Report{}, fmt.Errorf("cannot break down by %q: use one of %v", p.By, Breakdowns)
	}
	from, to := first, last
	if !p.From.IsZero() {
		from = calendar.DayOf(p.From)
	}
	if !p.To.IsZero() {
		to = calendar.DayOf(p.To)
	}
	if from == None || to == None {
		return Report{By: p.By, Cases: n, Measures: emptyMeasures()}, nil
	}
	if to < from {
		return Report{}, fmt.Errorf("the period ends (%s) before it starts (%s)", to, from)
	}
	r := Report{From: from.String(), To: to.String(), By: p.By, Cases: n}
	split := ruleSplit()
	switch p.By {
	case "":
		a := newAcc()
		for f := range facts {
			a.add(f, from, to, 1)
		}
		r.Measures = a.measures(to, split)
	case ByMonth, ByQuarter, ByYear:
		all := newAcc()
		bs := buckets(p.By, from, to)
		accs := make([]*acc, len(bs))
		for i := range accs {
			accs[i] = newAcc()
		}
		touched := make([]bool, len(bs))
		for f := range facts {
			all.add(f, from, to, 1)
			// Each case is added to the buckets it counts in, the same
			// as adding it to every bucket, in one pass.
			for j := range touches(f, bs, touched) {
				accs[j].add(f, bs[j].from, bs[j].to, 1)
			}
		}
		r.Measures = all.measures(to, split)
		for j, b := range bs {
			r.Groups = append(r.Groups, Group{Key: b.key, Label: b.label, From: b.from.String(), To: b.to.String(), Measures: accs[j].measures(b.to, split)})
		}
	default:
		all := newAcc()
		groups := map[string]*acc{}
		for f := range facts {
			all.add(f, from, to, 1)
			k := key(p.By, f)
			g := groups[k]
			if g == nil {
				g = newAcc()
				groups[k] = g
			}
			g.add(f, from, to, 1)
		}
		r.Measures = all.measures(to, split)
		for _, k := range orderKeys(p.By, groups) {
			r.Groups = append(r.Groups, Group{Key: k, Label: Label(p.By, k), Measures: groups[k].measures(to, split)})
		}
	}
	return r, nil
}

// key is the case's group under breakdown by.
func key(by string, f *Facts) string {
	switch by {
	case ByForce:
		return f.Force
	case ByArea:
		return f.Area
	case ByCourt:
		return f.Court
	case ByOffence:
		return f.Offence
	case ByEthnicity:
		return f.Ethnicity
	case ByAge:
		return f.AgeBand
	case BySex:
		return f.Sex
	}
	return ""
}

func orderKeys(by string, groups map[string]*acc) []string {
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	if by == ByAge {
		pos := func(k string) int {
			if i := slices.Index(AgeBands, k); i >= 0 {
				return i
			}
			return len(AgeBands)
		}
		sort.Slice(keys, func(i, j int) bool { return pos(keys[i]) < pos(keys[j]) })
		return keys
	}
	sort.Strings(keys)
	return keys
}

// Label is the words for a group key.
func Label(by, key string) string {
	switch by {
	case ByForce:
		if f, ok := refdata.LookupForce(key); ok {
			return f.Name
		}
	case ByArea:
		if a, ok := refdata.LookupCPSArea(key); ok {
			return a.Name
		}
	case ByCourt:
		if key == notSent {
			return "Not sent to the Crown Court"
		}
		if c, ok := refdata.LookupCrownCourt(key); ok {
			return c.Name
		}
	case ByOffence:
		if o, ok := refdata.LookupHO(key); ok {
			return key + " " + o.Title
		}
	case ByAge:
		switch key {
		case AgeUnder13:
			return "Under 13"
		case Age55Plus:
			return "55 and over"
		case AgeUnknown:
			return "Not known"
		}
		if len(key) == 5 {
			return key[:2] + " to " + key[3:]
		}
	case BySex, ByEthnicity:
		switch key {
		case notRecorded:
			return "Not recorded"
		case "not_stated":
			return "Not stated"
		}
		if key != "" {
			return string(key[0]-'a'+'A') + key[1:]
		}
	}
	return key
}

type bucket struct {
	key, label string
	from, to   calendar.Day
}

// buckets splits [from, to] into calendar months, quarters or years; the
// first and last are cut to the period.
func buckets(by string, from, to calendar.Day) []bucket {
	var out []bucket
	y, m, _ := from.Civil()
	step := 1
	switch by {
	case ByQuarter:
		m = time.Month((int(m)-1)/3*3 + 1)
		step = 3
	case ByYear:
		m, step = 1, 12
	}
	for {
		start := calendar.Date(y, m, 1)
		if start > to {
			return out
		}
		ny, nm := y, m+time.Month(step)
		if nm > 12 {
			ny, nm = y+1, nm-12
		}
		end := calendar.Date(ny, nm, 1) - 1
		b := bucket{from: max(start, from), to: min(end, to)}
		switch by {
		case ByMonth:
			b.key = fmt.Sprintf("%04d-%02d", y, int(m))
			b.label = fmt.Sprintf("%s %d", m, y)
		case ByQuarter:
			b.key = fmt.Sprintf("%04d-Q%d", y, (int(m)-1)/3+1)
			b.label = fmt.Sprintf("%s to %s %d", m, m+2, y)
		case ByYear:
			b.key = fmt.Sprintf("%04d", y)
			b.label = b.key
		}
		out = append(out, b)
		y, m = ny, nm
	}
}

// touches yields, in order, the buckets (contiguous, ascending) in which
// acc.add could count anything of f: those holding any day add tests with
// in, and those whose end f is open in the Crown Court at. Adding f to any
// other bucket adds nothing. mark is scratch space of len(bs), left clear.
func touches(f *Facts, bs []bucket, mark []bool) iter.Seq[int] {
	at := func(d calendar.Day) {
		if d == None || d < bs[0].from || d > bs[len(bs)-1].to {
			return
		}
		j := sort.Search(len(bs), func(j int) bool { return bs[j].to >= d })
		mark[j] = true
	}
	for _, d := range []calendar.Day{f.Reported, f.FileForDecision, f.Decision, f.Charged, f.FirstHearing, f.Sent, f.TrialStarted,
		f.Completed, f.Closed, f.Exit, f.WithdrewAfterCharge} {
		at(d)
	}
	for _, d := range f.Decisions {
		at(d.On)
	}
	for _, d := range f.Stops {
		at(d.On)
	}
	for _, d := range f.Verdicts {
		at(d.On)
	}
	for _, t := range f.Trials {
		at(t.On)
	}
	for _, d := range f.Deadlines {
		at(d.Due)
	}
	for _, d := range f.requestDays() {
		at(d)
	}
	for _, d := range f.Deadlines {
		at(d.Met)
	}
	if len(f.Held) > 0 {
		// Every bucket the case was open on a day of.
		for j, b := range bs {
			if f.Held[0].From <= b.to && (f.HeldEnd == None || f.HeldEnd > b.from) {
				mark[j] = true
			}
		}
	}
	if f.Sent != None {
		for j, b := range bs {
			if f.Sent <= b.to && (f.Completed == None || f.Completed > b.to) && (f.Closed == None || f.Closed > b.to) {
				mark[j] = true
			}
		}
	}
	return func(yield func(int) bool) {
		for j := range mark {
			if mark[j] {
				mark[j] = false
				if !yield(j) {
					// Clear the rest for the next case.
					for k := j + 1; k < len(mark); k++ {
						mark[k] = false
					}
					return
				}
			}
		}
	}
}

// ruleSplit says which deadline rules protect the complainant.
func ruleSplit() map[string]bool {
	victim := map[string]bool{}
	for _, r := range deadline.Rules() {
		if r.Protects == "complainant" {
			victim[r.ID] = true
		}
	}
	return victim
}

func emptyMeasures() Measures { return newAcc().measures(None, nil) }

// acc accumulates one group's figures over a period. Every figure in it is
// a count, a count per key or a count per value (hist), so that accs add up
// and a case taken away (add with n = -1) leaves no trace: a Cube keeps
// one per quarter and group, and merges them (cube.go).
type acc struct {
	spans                 []hist // per timeliness measure, in its order
	adjournments, openAge hist
	m                     Measures
	rules                 map[[2]string]*deadline.RuleCompliance
	// continuing counts the cases held open on a day of this bucket and
	// of the calendar quarter before it (a Cube's buckets only).
	continuing int
}

func newAcc() *acc {
	a := &acc{
		spans:        make([]hist, len(timeliness)),
		adjournments: hist{},
		openAge:      hist{},
		m: Measures{
			ChargingDecisions: map[string]int{},
			Attrition: Attrition{PreCharge: Exits{Reasons: map[string]int{}}, PostCharge: Exits{Reasons: map[string]int{}},
				ProsecutionStopped: map[string]int{}},
			ConvictionRate: ConvictionRate{Outcomes: map[string]int{}},
			Verdicts:       Verdicts{Results: map[string]int{}},
			TrialOutcomes:  TrialOutcomes{CrackedReasons: map[string]int{}, IneffectiveReasons: map[string]int{}},

			InformationRequests: newInformationRequests(),
		},
		rules: map[[2]string]*deadline.RuleCompliance{},
	}
	for i := range a.spans {
		a.spans[i] = hist{}
	}
	return a
}

func in(d, from, to calendar.Day) bool { return d != None && d >= from && d <= to }

// add counts one case's facts in the period [from, to] n times: 1 to add
// the case, -1 to take it away again.
func (a *acc) add(f *Facts, from, to calendar.Day, n int) {
	m := &a.m
	if in(f.Reported, from, to) {
		m.Reports += n
	}
	for i, t := range timeliness {
		if d, ok := t.days(f, from, to); ok {
			a.spans[i].add(d, n)
		}
	}

	for _, d := range f.Decisions {
		if in(d.On, from, to) {
			m.ChargingDecisions[d.What] += n
		}
	}
	if in(f.Charged, from, to) {
		m.ChargeRate.Charged += n
	}
	if f.ExitStage == "pre_charge" && in(f.Exit, from, to) {
		m.ChargeRate.LeftBeforeCharge += n
		m.Attrition.PreCharge.Total += n
		m.Attrition.PreCharge.Reasons[f.ExitReason] += n
	}
	if f.ExitStage == "post_charge" && in(f.Exit, from, to) {
		m.Attrition.PostCharge.Total += n
		m.Attrition.PostCharge.Reasons[f.ExitReason] += n
		if f.ExitAfterWithdrawal {
			m.Attrition.PostCharge.AfterComplainantWithdrew += n
		}
	}
	if in(f.WithdrewAfterCharge, from, to) {
		m.Attrition.ComplainantWithdrewAfterCharge += n
	}
	for _, s := range f.Stops {
		if in(s.On, from, to) {
			m.Attrition.ProsecutionStopped[s.What] += n
		}
	}
	if f.Charged != None && in(f.Completed, from, to) {
		m.ConvictionRate.Completed += n
		m.ConvictionRate.Outcomes[f.Outcome] += n
		if f.Outcome == "convicted" {
			m.ConvictionRate.Convicted += n
		}
		a.adjournments.add(f.Adjournments, n)
	}
	for _, v := range f.Verdicts {
		if in(v.On, from, to) {
			m.Verdicts.Results[v.What] += n
		}
	}
	t := &m.TrialOutcomes
	for _, h := range f.Trials {
		if !in(h.On, from, to) {
			continue
		}
		t.Held += n
		switch h.Outcome {
		case "effective":
			t.Effective += n
		case "cracked":
			t.Cracked += n
			t.CrackedReasons[h.Reason] += n
		case "ineffective":
			t.Ineffective += n
			t.IneffectiveReasons[h.Reason] += n
		}
	}
	// Open in the Crown Court at the end of the period: sent on or before
	// it, and neither completed nor closed by then.
	if f.Sent != None && f.Sent <= to && (f.Completed == None || f.Completed > to) && (f.Closed == None || f.Closed > to) {
		a.openAge.add(int(to-f.Sent), n)
	}
	// The case's deadlines due in the period, each as it stands at the
	// period's end (deadline.ComplianceAsOf's classification).
	for _, d := range f.Deadlines {
		if d.Due < from || d.Due > to {
			continue
		}
		k := [2]string{d.Rule, d.Owner}
		rc := a.rules[k]
		if rc == nil {
			rc = &deadline.RuleCompliance{Rule: d.Rule, Owner: d.Owner}
			a.rules[k] = rc
		}
		met := deadline.None
		if d.Met != None {
			met = d.Met
		}
		rc.Count(d.Due, met, to, n)
	}
	m.addRequests(f, from, to, n)
	if m.DaysHeld.addHeld(f, from, to, n) {
		m.DaysHeld.Cases += n
	}
	m.CustodyLimits.addLimits(f, from, to, n)
}

// measures finishes the figures, the open caseload as of asOf. The maps of
// the Measures are the Measures' own.
func (a *acc) measures(asOf calendar.Day, victim map[string]bool) Measures {
	m := a.m
	copyCounts(&m)
	for i, t := range timeliness {
		*t.stat(&m) = a.spans[i].stat()
	}
	m.Adjournments = a.adjournments.stat()
	m.ChargeRate.Rate = rate(m.ChargeRate.Charged, m.ChargeRate.Charged+m.ChargeRate.LeftBeforeCharge)
	m.ChargeRate.ChargedPerReport = rate(m.ChargeRate.Charged, m.Reports)
	m.ConvictionRate.Rate = rate(m.ConvictionRate.Convicted, m.ConvictionRate.Completed)
	v := m.Verdicts.Results
	m.Verdicts.JuryConvictionRate = rate(v["guilty"], v["guilty"]+v["not_guilty"])
	t := &m.TrialOutcomes
	t.EffectiveRate, t.CrackedRate, t.IneffectiveRate = rate(t.Effective, t.Held), rate(t.Cracked, t.Held), rate(t.Ineffective, t.Held)
	dx := &m.DeviceExtraction
	dx.RefusalRate = rate(dx.Refused, dx.Agreed+dx.Refused)
	m.DaysHeld.finish()
	m.CustodyLimits.WithinDays = NearMissDays
	m.CustodyLimits.Rate = rate(m.CustodyLimits.NearMisses, m.CustodyLimits.Met)
	if asOf != None {
		age := a.openAge.stat()
		m.OpenCaseload = Caseload{AsOf: asOf.String(), Open: age.N, AgeDays: age}
	}
	order := map[string]int{}
	for i, id := range deadline.RuleIDs() {
		order[id] = i
	}
	rows := make([]deadline.RuleCompliance, 0, len(a.rules))
	for _, rc := range a.rules {
		if rc.Due == 0 {
			continue // every deadline counted was taken away again
		}
		r := *rc
		if n := r.MetOnTime + r.MetLate + r.Missed; n > 0 {
			r.OnTimeShare = float64(r.MetOnTime) / float64(n)
		}
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool {
		if oi, oj := order[rows[i].Rule], order[rows[j].Rule]; oi != oj {
			return oi < oj
		}
		return rows[i].Owner < rows[j].Owner
	})
	m.VictimsCode, m.OtherTimescales = []deadline.RuleCompliance{}, []deadline.RuleCompliance{}
	for _, rc := range rows {
		if victim[rc.Rule] {
			m.VictimsCode = append(m.VictimsCode, rc)
		} else {
			m.OtherTimescales = append(m.OtherTimescales, rc)
		}
	}
	return m
}
