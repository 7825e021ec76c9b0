package oversight

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"throughline"
	"throughline/calendar"
)

func TestExtract(t *testing.T) {
	cs := allCases(t)
	a, b, c, d, e := Extract(cs[0]), Extract(cs[1]), Extract(cs[2]), Extract(cs[3]), Extract(cs[4])
	checkDay := func(name string, got calendar.Day, want string) {
		t.Helper()
		if want == "" {
			if got != None {
				t.Errorf("%s = %s, want none", name, got)
			}
			return
		}
		if got != day(want) {
			t.Errorf("%s = %s, want %s", name, got, want)
		}
	}
	checkDay("A reported", a.Reported, "2024-01-15")
	checkDay("A file for decision", a.FileForDecision, "2024-09-02")
	checkDay("A decision", a.Decision, "2024-11-12")
	checkDay("A charged (an instant, its London day)", a.Charged, "2024-11-13")
	checkDay("A first hearing", a.FirstHearing, "2024-11-14")
	checkDay("A sent", a.Sent, "2024-11-14")
	checkDay("A trial", a.TrialStarted, "2025-05-12")
	checkDay("A completed (the verdict, not the sentence)", a.Completed, "2025-05-16")
	if a.Outcome != "convicted" || a.ExitStage != "" || a.Court != "leeds" || a.AgeBand != Age25to34 || a.Adjournments != 0 {
		t.Errorf("A: %+v", a)
	}
	// The further_investigation decision is not a decision; the clock
	// runs from the first file for the suspect.
	checkDay("C file for decision", c.FileForDecision, "2024-03-01")
	checkDay("C decision", c.Decision, "2024-06-03")
	checkDay("C first hearing", c.FirstHearing, "2024-06-20")
	checkDay("C trial never started", c.TrialStarted, "")
	checkDay("C completed: stopped", c.Completed, "2025-06-02")
	checkDay("C withdrew after charge", c.WithdrewAfterCharge, "2025-05-20")
	if c.Outcome != "stopped" || c.ExitStage != "post_charge" || c.ExitReason != "discontinued" || !c.ExitAfterWithdrawal {
		t.Errorf("C exit: %+v", c)
	}
	// Moved once, ineffective once, vacated once.
	if c.Adjournments != 3 || c.AgeBand != Age13to15 || c.Sex != "male" || c.Ethnicity != "black" || c.Offence != "19G" {
		t.Errorf("C: adjournments %d, band %s, %s %s %s", c.Adjournments, c.AgeBand, c.Sex, c.Ethnicity, c.Offence)
	}
	if want := []TrialHearing{{day("2025-02-10"), "ineffective", "no_courtroom_or_judge"}}; !slices.Equal(c.Trials, want) {
		t.Errorf("C trials %+v", c.Trials)
	}
	if b.ExitStage != "pre_charge" || b.ExitReason != "complainant_withdrew" || b.Exit != day("2024-04-15") || b.AgeBand != AgeUnknown || b.Ethnicity != "not_recorded" || b.Court != "not_sent" {
		t.Errorf("B: %+v", b)
	}
	if d.ExitReason != "cps_no_further_action" || d.FileForDecision != day("2024-08-01") || d.Decision != day("2024-09-02") || d.AgeBand != Age55Plus {
		t.Errorf("D: %+v", d)
	}
	if e.ExitReason != "police_no_further_action" || e.Decision != None || e.AgeBand != Age16to17 {
		t.Errorf("E: %+v", e)
	}
	if len(a.Deadlines) == 0 || a.Deadlines[0].Rule == "" {
		t.Errorf("A has no deadlines: %+v", a.Deadlines)
	}
}

func TestAgeBand(t *testing.T) {
	for _, c := range []struct{ dob, reported, want string }{
		{"2008-01-15", "2024-01-15", Age16to17}, // sixteenth birthday on the day reported
		{"2008-01-16", "2024-01-15", Age13to15}, // the day before it
		{"2011-01-16", "2024-01-15", AgeUnder13},
		{"2006-01-15", "2024-01-15", Age18to24},
		{"1969-01-15", "2024-01-15", Age55Plus},
		{"1969-01-16", "2024-01-15", Age45to54},
		{"2004-02-29", "2024-02-28", Age18to24}, // 19 until the 29th
		{"", "2024-01-15", AgeUnknown},
		{throughline.Erased, "2024-01-15", AgeUnknown},
		{"2025-01-01", "2024-01-15", AgeUnknown},
	} {
		if got := AgeBand(c.dob, day(c.reported)); got != c.want {
			t.Errorf("AgeBand(%q, %s) = %s, want %s", c.dob, c.reported, got, c.want)
		}
	}
}

func TestNearestRank(t *testing.T) {
	ten := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	five := []int{15, 20, 35, 40, 50}
	for _, c := range []struct {
		vs   []int
		p    float64
		want int
	}{
		{ten, 50, 5}, {ten, 90, 9}, {ten, 91, 10}, {ten, 100, 10}, {ten, 1, 1},
		{five, 50, 35}, {five, 90, 50}, {five, 30, 20}, {five, 40, 20}, {five, 41, 35},
		{[]int{7}, 50, 7}, {[]int{7}, 90, 7},
		{[]int{3, 9}, 50, 3}, {[]int{3, 9}, 90, 9}, // an even count: the lower middle
	} {
		if got := NearestRank(c.vs, c.p); got != c.want {
			t.Errorf("NearestRank(%v, %v) = %d, want %d", c.vs, c.p, got, c.want)
		}
	}
	s := statOf([]int{303, 124, 1000, 50})
	if s.N != 4 || s.Mean != 369.25 || s.Median != 124 || s.P90 != 1000 {
		t.Errorf("statOf: %+v", s)
	}
	b, _ := json.Marshal(statOf(nil))
	if string(b) != `{"mean":null,"median":null,"p90":null,"n":0}` {
		t.Errorf("empty stat: %s", b)
	}
}

func measure(t *testing.T, p Params) Report {
	t.Helper()
	r, err := Measure(slices.Values(allCases(t)), p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Every measure, on the five hand-built cases, over all of 2024–2025.
func TestMeasuresOverTheWholePeriod(t *testing.T) {
	r := measure(t, Params{From: date("2024-01-01"), To: date("2025-12-31")})
	stat := func(name string, got Stat, n int, mean float64, median, p90 int) {
		t.Helper()
		if got.N != n || got.Mean != mean || got.Median != median || got.P90 != p90 {
			t.Errorf("%s = %+v, want n %d mean %v median %d p90 %d", name, got, n, mean, median, p90)
		}
	}
	// A: 303 days (15 Jan → 13 Nov 2024); C: 124 (1 Feb → 4 Jun 2024).
	stat("report→charge", r.ReportToCharge, 2, 213.5, 124, 303)
	// A: 71 (2 Sep → 12 Nov); C: 94 (1 Mar → 3 Jun); D: 32 (1 Aug → 2 Sep).
	stat("CPS receipt→decision", r.ReceiptToDecision, 3, 197.0/3, 71, 94)
	stat("charge→first hearing", r.ChargeToFirstHearing, 2, 8.5, 1, 16)
	stat("sending→trial", r.SendingToTrial, 1, 179, 179, 179)
	stat("charge→trial", r.ChargeToTrial, 1, 180, 180, 180)
	// A: 184 (13 Nov → 16 May); C: 363 (4 Jun 2024 → 2 Jun 2025).
	stat("charge→completion", r.ChargeToCompletion, 2, 273.5, 184, 363)
	stat("report→trial", r.ReportToTrial, 1, 483, 483, 483)
	stat("adjournments per completed case", r.Adjournments, 2, 1.5, 0, 3)
	if r.Reports != 5 || r.Cases != 5 {
		t.Errorf("reports %d cases %d", r.Reports, r.Cases)
	}
	if want := map[string]int{"charge": 2, "no_further_action": 1, "further_investigation": 1}; !cmp.Equal(r.ChargingDecisions, want) {
		t.Errorf("charging decisions %v", r.ChargingDecisions)
	}
	cr := r.ChargeRate
	if cr.Charged != 2 || cr.LeftBeforeCharge != 3 || *cr.Rate != 0.4 || *cr.ChargedPerReport != 0.4 {
		t.Errorf("charge rate %+v", cr)
	}
	at := r.Attrition
	if at.PreCharge.Total != 3 || !cmp.Equal(at.PreCharge.Reasons, map[string]int{"complainant_withdrew": 1, "cps_no_further_action": 1, "police_no_further_action": 1}) {
		t.Errorf("pre-charge attrition %+v", at.PreCharge)
	}
	if at.PostCharge.Total != 1 || at.PostCharge.Reasons["discontinued"] != 1 || at.PostCharge.AfterComplainantWithdrew != 1 ||
		at.ComplainantWithdrewAfterCharge != 1 || at.ProsecutionStopped["discontinued"] != 1 {
		t.Errorf("post-charge attrition %+v", at)
	}
	cv := r.ConvictionRate
	if cv.Completed != 2 || cv.Convicted != 1 || *cv.Rate != 0.5 || cv.Outcomes["stopped"] != 1 {
		t.Errorf("conviction rate %+v", cv)
	}
	if r.Verdicts.Results["guilty"] != 1 || *r.Verdicts.JuryConvictionRate != 1 {
		t.Errorf("verdicts %+v", r.Verdicts)
	}
	to := r.TrialOutcomes
	if to.Held != 2 || to.Effective != 1 || to.Ineffective != 1 || to.Cracked != 0 || *to.EffectiveRate != 0.5 || to.IneffectiveReasons["no_courtroom_or_judge"] != 1 {
		t.Errorf("trial outcomes %+v", to)
	}
	if r.OpenCaseload.Open != 0 || r.OpenCaseload.AsOf != "2025-12-31" {
		t.Errorf("open caseload at the end %+v", r.OpenCaseload)
	}
	var vcCharge bool
	for _, rc := range r.VictimsCode {
		if rc.Rule == "vc_charge" && rc.Owner == "police" && rc.Due == 2 && rc.MetOnTime == 1 && rc.Missed == 1 {
			vcCharge = true // A told the same day; C never told
		}
		if !strings.HasPrefix(rc.Rule, "vc") && !strings.HasPrefix(rc.Rule, "vrr_") && rc.Rule != "regular_update" && rc.Rule != "info_request_notice" {
			t.Errorf("%s is not a Victims' Code rule", rc.Rule)
		}
	}
	if !vcCharge {
		t.Errorf("victims' code compliance %+v", r.VictimsCode)
	}
}

// A measure counts the cases whose end event falls in the period, both
// ends included.
func TestPeriodBoundaries(t *testing.T) {
	// A's trial started on 12 May 2025: in a period of that one day…
	r := measure(t, Params{From: date("2025-05-12"), To: date("2025-05-12")})
	if r.ReportToTrial.N != 1 || r.ReportToCharge.N != 0 || r.Reports != 0 || r.TrialOutcomes.Effective != 1 {
		t.Errorf("12 May 2025: %+v", r.Measures)
	}
	// …and not in the periods that end the day before or start the day after.
	for _, p := range []Params{{From: date("2025-01-01"), To: date("2025-05-11")}, {From: date("2025-05-13"), To: date("2025-12-31")}} {
		if r := measure(t, p); r.ReportToTrial.N != 0 {
			t.Errorf("%s–%s: report→trial n %d", r.From, r.To, r.ReportToTrial.N)
		}
	}
	// Open in the Crown Court at the end of March 2025: A (sent 14 Nov
	// 2024, 137 days) and C (sent 20 June 2024, 284 days).
	r = measure(t, Params{From: date("2025-01-01"), To: date("2025-03-31")})
	if oc := r.OpenCaseload; oc.Open != 2 || oc.AgeDays.Median != 137 || oc.AgeDays.P90 != 284 || oc.AgeDays.Mean != 210.5 {
		t.Errorf("open caseload 31 Mar 2025: %+v", oc)
	}
	// On the day A's verdict came it was disposed of: C alone is open.
	if oc := measure(t, Params{From: date("2025-05-16"), To: date("2025-05-16")}).OpenCaseload; oc.Open != 1 || oc.AgeDays.Median != 330 {
		t.Errorf("open caseload 16 May 2025: %+v", oc)
	}
	// Without dates: from the first report to the last event.
	if r := measure(t, Params{}); r.From != "2024-01-15" || r.To != "2025-07-01" || r.ReportToCharge.N != 2 {
		t.Errorf("unbounded: %s–%s n %d", r.From, r.To, r.ReportToCharge.N)
	}
	if _, err := Measure(slices.Values(allCases(t)), Params{From: date("2025-01-02"), To: date("2025-01-01")}); err == nil {
		t.Error("a period ending before it starts is accepted")
	}
	if _, err := Measure(slices.Values(allCases(t)), Params{By: "postcode"}); err == nil {
		t.Error("an unknown breakdown is accepted")
	}
}

// The groups of a breakdown partition the cases: their counts add up to the
// whole.
func TestBreakdowns(t *testing.T) {
	p := Params{From: date("2024-01-01"), To: date("2025-12-31")}
	for _, by := range []string{ByForce, ByArea, ByCourt, ByOffence, ByEthnicity, ByAge, BySex} {
		p.By = by
		r := measure(t, p)
		var reports, charged, held, n int
		for _, g := range r.Groups {
			reports += g.Reports
			charged += g.ChargeRate.Charged
			held += g.TrialOutcomes.Held
			n += g.ReportToCharge.N
			if g.Label == "" {
				t.Errorf("by %s: group %q has no label", by, g.Key)
			}
		}
		if reports != r.Reports || charged != r.ChargeRate.Charged || held != r.TrialOutcomes.Held || n != r.ReportToCharge.N {
			t.Errorf("by %s: groups add up to %d/%d/%d/%d, the whole is %d/%d/%d/%d", by, reports, charged, held, n, r.Reports, r.ChargeRate.Charged, r.TrialOutcomes.Held, r.ReportToCharge.N)
		}
	}
	p.By = ByForce
	r := measure(t, p)
	var keys, labels []string
	for _, g := range r.Groups {
		keys, labels = append(keys, g.Key), append(labels, g.Label)
	}
	if !slices.Equal(keys, []string{"01", "13", "63"}) || labels[1] != "West Yorkshire Police" {
		t.Errorf("by force: %v %v", keys, labels)
	}
	p.By = ByAge
	keys = nil
	for _, g := range measure(t, p).Groups {
		keys = append(keys, g.Key+"="+g.Label)
	}
	if want := []string{"13_15=13 to 15", "16_17=16 to 17", "25_34=25 to 34", "55_plus=55 and over", "unknown=Not known"}; !slices.Equal(keys, want) {
		t.Errorf("by age: %v", keys)
	}
}

func TestTimeBreakdowns(t *testing.T) {
	r := measure(t, Params{From: date("2024-02-15"), To: date("2025-07-01"), By: ByQuarter})
	var keys []string
	for _, g := range r.Groups {
		keys = append(keys, g.Key+" "+g.From+" "+g.To)
	}
	want := []string{"2024-Q1 2024-02-15 2024-03-31", "2024-Q2 2024-04-01 2024-06-30", "2024-Q3 2024-07-01 2024-09-30",
		"2024-Q4 2024-10-01 2024-12-31", "2025-Q1 2025-01-01 2025-03-31", "2025-Q2 2025-04-01 2025-06-30", "2025-Q3 2025-07-01 2025-07-01"}
	if !slices.Equal(keys, want) {
		t.Errorf("quarters:\n%s", strings.Join(keys, "\n"))
	}
	if r.Groups[0].Label != "January to March 2024" {
		t.Errorf("quarter label %q", r.Groups[0].Label)
	}
	// Each case's charge falls in one quarter: Q2 (C, 4 June) and Q4 (A, 13 Nov).
	if r.Groups[1].ChargeRate.Charged != 1 || r.Groups[3].ChargeRate.Charged != 1 || r.ChargeRate.Charged != 2 {
		t.Errorf("charges by quarter: %+v", r.Groups)
	}
	// The open caseload is as of each quarter's end: 31 March 2025, A and C.
	if r.Groups[4].OpenCaseload.Open != 2 || r.Groups[4].OpenCaseload.AsOf != "2025-03-31" {
		t.Errorf("Q1 2025 caseload %+v", r.Groups[4].OpenCaseload)
	}
	months := measure(t, Params{From: date("2024-11-01"), To: date("2025-01-31"), By: ByMonth}).Groups
	if len(months) != 3 || months[0].Key != "2024-11" || months[0].Label != "November 2024" || months[2].Key != "2025-01" {
		t.Errorf("months: %+v", months)
	}
	years := measure(t, Params{From: date("2024-01-01"), To: date("2025-12-31"), By: ByYear}).Groups
	if len(years) != 2 || years[1].Key != "2025" || years[1].ReportToTrial.N != 1 {
		t.Errorf("years: %+v", years)
	}
}

// The report's JSON has the keys the issue names, each timeliness measure
// as {"mean","median","p90","n"}.
func TestReportJSON(t *testing.T) {
	b, err := json.Marshal(measure(t, Params{From: date("2024-01-01"), To: date("2025-12-31"), By: ByForce}))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"report_to_trial_days", "report_to_charge_days", "charge_to_trial_days"} {
		var s map[string]any
		if err := json.Unmarshal(m[k], &s); err != nil || len(s) != 4 || s["mean"] == nil || s["median"] == nil || s["p90"] == nil || s["n"] == nil {
			t.Errorf("%s: %s", k, m[k])
		}
	}
	for _, k := range []string{"attrition", "trial_outcomes", "victims_code_compliance", "groups", "charge_rate", "conviction_rate", "open_crown_court_caseload"} {
		if len(m[k]) == 0 {
			t.Errorf("no %s in %s", k, b)
		}
	}
}

// Erasure destroys the date of birth: from the erased log alone the case
// has no age band (see docs/measures.md), unless the erasure kept the band
// she reported at, as case erase does; every other fact is unchanged.
func TestErasedCase(t *testing.T) {
	evs := allCases(t)[0]
	erased := slices.Clone(evs)
	for i := range erased {
		erased[i].Data = throughline.Erase(erased[i].Data)
	}
	before, after := Extract(evs), Extract(erased)
	if after.AgeBand != AgeUnknown || before.AgeBand != Age25to34 {
		t.Errorf("age band %s → %s", before.AgeBand, after.AgeBand)
	}
	after.AgeBand = before.AgeBand
	if !cmp.Equal(before, after) {
		t.Errorf("erasure changed other facts: %s", cmp.Diff(before, after))
	}
	// The erasure as case erase records it keeps the band she reported at,
	// worked out before the key went: the case keeps its place.
	last := erased[len(erased)-1]
	kept := append(slices.Clone(erased), throughline.Event{Case: last.Case, Type: throughline.TypeCaseErased, OccurredAt: last.OccurredAt,
		Data: &throughline.CaseErased{Reason: "retention review", AgeBandAtReport: Age25to34}})
	if got := Extract(kept).AgeBand; got != Age25to34 {
		t.Errorf("with the band kept by the erasure: %s, want %s", got, Age25to34)
	}
	// A band the measures do not know is not taken on trust.
	kept[len(kept)-1].Data = &throughline.CaseErased{Reason: "retention review", AgeBandAtReport: "25-34"}
	if got := Extract(kept).AgeBand; got != AgeUnknown {
		t.Errorf("with an unknown band kept: %s, want %s", got, AgeUnknown)
	}
}

// Facts do not depend on the order of events recorded out of order (a late
// record of an earlier event).
func TestFactsIgnoreRecordingOrder(t *testing.T) {
	evs := allCases(t)[2]
	swapped := slices.Clone(evs)
	// The complainant's withdrawal recorded after the prosecution stopped.
	i := slices.IndexFunc(swapped, func(e throughline.Event) bool { return e.Type == throughline.TypeComplainantWithdrew })
	swapped[i], swapped[i+1] = swapped[i+1], swapped[i]
	if a, b := Extract(evs), Extract(swapped); !cmp.Equal(a, b, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Deadlines" }, cmp.Ignore())) {
		t.Error(cmp.Diff(a, b))
	}
}

func TestCollectorGroupsInterleavedEvents(t *testing.T) {
	cs := allCases(t)
	var c Collector
	// Round-robin: the log's global order interleaves cases.
	for i := 0; ; i++ {
		more := false
		for _, evs := range cs {
			if i < len(evs) {
				c.Add(evs[i])
				more = true
			}
		}
		if !more {
			break
		}
	}
	got := c.Facts()
	if len(got) != len(cs) {
		t.Fatalf("%d facts", len(got))
	}
	for i, evs := range cs {
		if want := Extract(evs); !cmp.Equal(got[i], want) {
			t.Errorf("case %s: %s", want.Case, cmp.Diff(want, got[i]))
		}
	}
}

// Durations are the values behind each timeliness Stat: on the hand-built
// cases, for every measure and period, the values' own summary is the
// Report's.
func TestDurations(t *testing.T) {
	var facts []Facts
	for _, evs := range allCases(t) {
		facts = append(facts, Extract(evs))
	}
	for _, period := range [][2]string{{"2024-01-01", "2025-12-31"}, {"2025-01-01", "2025-06-30"}, {"2024-07-01", "2024-09-30"}} {
		from, to := date(period[0]), date(period[1])
		r, err := Aggregate(facts, Params{From: from, To: to})
		if err != nil {
			t.Fatal(err)
		}
		for _, sp := range timeliness {
			ds, err := Durations(facts, sp.key, from, to)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := r.Of(sp.key)
			if got := statOf(ds); got != want {
				t.Errorf("%s %v: durations summarise to %+v, the report says %+v", sp.key, period, got, want)
			}
		}
	}
	if all, _ := Durations(facts, ReportToCharge, date("2024-01-01"), date("2025-12-31")); len(all) == 0 {
		t.Fatal("no case charged in 2024–2025: the test compares nothing")
	}
	if _, err := Durations(facts, "charge_rate", date("2024-01-01"), date("2025-12-31")); err == nil {
		t.Error("Durations of a rate: no error")
	}
	r := measure(t, Params{From: date("2024-01-01"), To: date("2025-12-31")})
	if s, ok := r.Of(ReportToTrial); !ok || s != r.ReportToTrial {
		t.Errorf("Of(report_to_trial) = %+v %t", s, ok)
	}
}
