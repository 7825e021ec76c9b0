package attribution

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"throughline"
)

// history builds a case's log from lines "WHEN TYPE[@AGENCY] DATA", each decided
// against the case as it stands and applied, exactly as a live write: a
// sequence the domain would refuse fails the test.
func history(t *testing.T, lines ...string) []throughline.Event {
	t.Helper()
	var c throughline.Case
	var out []throughline.Event
	for _, l := range lines {
		when, rest, _ := strings.Cut(l, " ")
		typ, data, _ := strings.Cut(rest, " ")
		typ, agency, _ := strings.Cut(typ, "@") // "dispute_resolved@cps:yorkshire_humberside": recorded by that agency
		raw := fmt.Sprintf(`{"case":"13RS0000777/24","type":%q,"occurred_at":%q,"data":%s}`, typ, when, data)
		e, err := throughline.ParseEvent([]byte(raw))
		if err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		e.Agency = agency
		if _, err := throughline.Decide(&c, e); err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		c.Apply(e)
		e.Version = c.Version
		out = append(out, e)
	}
	return out
}

const (
	opened1 = `2024-01-15 case_opened {"force":"13","cps_area":"yorkshire_humberside","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"Amy Example"}],"suspects":[{"id":"D1","name":"Sam Suspect"}]}`
	opened2 = `2024-01-15 case_opened {"force":"13","cps_area":"yorkshire_humberside","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"Amy Example"}],"suspects":[{"id":"D1","name":"Sam Suspect"},{"id":"D2","name":"Tom Other"}]}`
	offs    = `[{"ho_code":"19C","cjs_code":"SX03002"}]`
)

func day(s string) Day {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return DayOf(t)
}

func at(s string) time.Time {
	t, _ := time.ParseInLocation(time.DateOnly, s, throughline.London)
	return t.Add(12 * time.Hour)
}

// span is a compact expected span: "party from to rule".
type span struct {
	party    string
	from, to string
	rule     Rule
}

func checkSpans(t *testing.T, got []Span, want ...span) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d spans, want %d:\n%s", len(got), len(want), dump(got))
		return
	}
	for i, w := range want {
		g := got[i]
		if g.Party.String() != w.party || g.From != day(w.from) || g.To != day(w.to) || g.Because.Rule != w.rule {
			t.Errorf("span %d: %s %s..%s %q, want %s %s..%s %q", i, g.Party, g.From, g.To, g.Because, w.party, w.from, w.to, w.rule)
		}
	}
}

func dump(spans []Span) string {
	var b strings.Builder
	for _, s := range spans {
		fmt.Fprintf(&b, "  %s %s..%s %s\n", s.Party, s.From, s.To, s.Because)
	}
	return b.String()
}

// checkWhole checks the invariant: every day from the report to the end is
// in exactly one span, in order, and the days are the spans' lengths.
func checkWhole(t *testing.T, r Result) {
	t.Helper()
	checkStrand(t, r.Case, r.Reported, r.End, r.Days, r.Spans)
	// The days by rule are the spans' days by their rule.
	var byRule RuleDays
	for _, s := range r.Spans {
		byRule[s.Because.Rule] += s.Days()
	}
	if byRule != r.ByRule {
		t.Fatalf("%s: days by rule %v, the spans give %v", r.Case, r.ByRule, byRule)
	}
	for _, d := range r.Defendants {
		checkStrand(t, r.Case+" "+d.ID, r.Reported, r.End, d.Days, d.Spans)
	}
}

func checkStrand(t *testing.T, name string, reported, end Day, days Days, spans []Span) {
	t.Helper()
	if days.Total() != int(end-reported) {
		t.Fatalf("%s: days add up to %d, its age is %d (%s to %s)", name, days.Total(), end-reported, reported, end)
	}
	next := reported
	var sum Days
	for i, s := range spans {
		if s.From != next || s.To < s.From {
			t.Fatalf("%s: span %d is %s..%s, expected it to start on %s:\n%s", name, i, s.From, s.To, next, dump(spans))
		}
		if s.Because.Rule.Party() != s.Party || s.Because.Event == "" || s.Because.Version < 1 {
			t.Fatalf("%s: span %d has reason %q for party %s", name, i, s.Because, s.Party)
		}
		sum.Add(s.Party, s.Days())
		next = s.To + 1
	}
	if next != end && (len(spans) > 0 || end != reported) {
		t.Fatalf("%s: spans end on %s, the case's end is %s", name, next-1, end)
	}
	if sum != days {
		t.Fatalf("%s: spans add up to %+v, days are %+v", name, sum, days)
	}
}

// The journey file: report, early advice with an action plan, a charging
// file, charge, the Crown Court, trial, sentence, closure.
func TestAttributionJourney(t *testing.T) {
	f, err := os.Open("../testdata/journey.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var evs []throughline.Event
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		e, err := throughline.ParseEvent(sc.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		e.Version = int64(len(evs) + 1)
		evs = append(evs, e)
	}
	r := Spans(evs, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	checkWhole(t, r)
	if want := (Days{Police: 166, CPS: 137, Court: 219, Nobody: 11}); r.Days != want {
		t.Errorf("days %+v, want %+v", r.Days, want)
	}
	if !r.Closed || r.End != day("2025-07-01") || r.Reported != day("2024-01-15") || r.Force != "13" {
		t.Errorf("closed %v end %s reported %s force %s", r.Closed, r.End, r.Reported, r.Force)
	}
	checkSpans(t, r.Spans,
		span{"police", "2024-01-15", "2024-06-02", RuleInvestigation},
		span{"cps", "2024-06-03", "2024-06-19", RuleFile},          // early advice: 17 days
		span{"police", "2024-06-20", "2024-07-14", RulePoliceItem}, // item 1 (police) open
		span{"cps", "2024-07-15", "2024-09-01", RuleCPSItem},       // item 2 (CPS) never closed…
		span{"cps", "2024-09-02", "2024-11-11", RuleFile},          // …but the charging file outranks it
		span{"police", "2024-11-12", "2024-11-12", RuleToCharge},   // the plan is spent at the decision
		span{"court", "2024-11-13", "2024-11-13", RuleHearing},
		span{"court", "2024-11-14", "2024-12-11", RuleHearing},
		span{"court", "2024-12-12", "2025-05-11", RuleHearing},
		span{"court", "2025-05-12", "2025-05-15", RuleCourt},
		span{"court", "2025-05-16", "2025-06-19", RuleHearing},
		span{"nobody", "2025-06-20", "2025-06-30", RuleOutcome},
	)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil || len(m) != 3 || m["case"] == nil || m["days"] == nil || m["spans"] == nil {
		t.Errorf("JSON has keys other than case, days, spans: %s", b)
	}
	if !strings.Contains(string(b), `{"party":"cps","from":"2024-06-03","to":"2024-06-19","because":"file_submitted v3: a file is with the CPS, not yet answered"}`) {
		t.Errorf("JSON span form: %s", b)
	}
}

// A police action item outranks the file it was raised on; a CPS item does
// not outrank a file; the file's answer hands the case back.
func TestAttributionActionItemsAndFiles(t *testing.T) {
	evs := history(t, opened1,
		`2024-03-01 file_submitted {"suspect_id":"D1","purpose":"charging_decision"}`,
		`2024-03-10 action_plan_issued {"plan_id":"AP1","items":[{"item_id":"1","description":"Phone download","owner":"police","due":"2024-04-01"},{"item_id":"2","description":"Review medical notes","owner":"cps","due":"2024-04-15"}]}`,
		`2024-03-30 action_item_completed {"plan_id":"AP1","item_id":"1"}`,
		`2024-04-20 charging_decision {"suspect_id":"D1","decision":"further_investigation"}`,
		`2024-05-01 action_item_completed {"plan_id":"AP1","item_id":"2"}`,
	)
	r := Spans(evs, at("2024-06-01"))
	checkWhole(t, r)
	checkSpans(t, r.Spans,
		span{"police", "2024-01-15", "2024-02-29", RuleInvestigation},
		span{"cps", "2024-03-01", "2024-03-09", RuleFile},
		span{"police", "2024-03-10", "2024-03-29", RulePoliceItem},
		span{"cps", "2024-03-30", "2024-04-19", RuleFile},    // file and CPS item both open: the file
		span{"cps", "2024-04-20", "2024-04-30", RuleCPSItem}, // answered; the CPS item still open
		span{"police", "2024-05-01", "2024-05-31", RuleInvestigation},
	)
	if r.Closed || r.End != day("2024-06-01") {
		t.Errorf("open case: closed %v, end %s", r.Closed, r.End)
	}
}

// A withdrawal outranks a listed trial, until the CPS acts on it; after
// every defendant's outcome the case waits on nobody until it is closed.
func TestAttributionWithdrawalOutranksCourt(t *testing.T) {
	evs := history(t, opened1,
		`2024-02-01 file_submitted {"suspect_id":"D1","purpose":"charging_decision"}`,
		`2024-03-01 charging_decision {"suspect_id":"D1","decision":"charge"}`,
		`2024-03-04T10:00:00Z charged {"defendant_id":"D1","offences":`+offs+`,"method":"bail"}`,
		`2024-03-04 hearing_listed {"hearing_id":"H1","kind":"first_appearance","court":"leeds_magistrates","starts_at":"2024-03-20T10:00:00Z","listing":"fixture"}`,
		`2024-03-20 hearing_held {"hearing_id":"H1","outcome":"effective"}`,
		`2024-03-20 sent_to_crown_court {"defendant_id":"D1","court":"leeds"}`,
		`2024-04-17 hearing_listed {"hearing_id":"H2","kind":"trial","court":"leeds","starts_at":"2025-01-13T10:00:00Z","listing":"fixture"}`,
		`2024-09-02 complainant_withdrew {"complainant_id":"C1","reason":"cannot face the wait"}`,
		`2024-09-03 victim_informed {"complainant_id":"C1","about":"complainant_withdrew","channel":"phone"}`,
		`2024-09-20 prosecution_stopped {"defendant_id":"D1","how":"discontinued"}`,
		`2024-09-23 hearing_vacated {"hearing_id":"H2","reason":"prosecution discontinued"}`,
		`2024-10-20 case_closed {"reason":"prosecution stopped"}`,
	)
	r := Spans(evs, at("2030-01-01"))
	checkWhole(t, r)
	checkSpans(t, r.Spans,
		span{"police", "2024-01-15", "2024-01-31", RuleInvestigation},
		span{"cps", "2024-02-01", "2024-02-29", RuleFile},
		span{"police", "2024-03-01", "2024-03-03", RuleToCharge},
		span{"court", "2024-03-04", "2024-03-19", RuleHearing},
		span{"court", "2024-03-20", "2024-04-16", RuleCourt}, // sent, trial not yet listed
		span{"court", "2024-04-17", "2024-09-01", RuleHearing},
		span{"complainant", "2024-09-02", "2024-09-19", RuleWithdrawal}, // victim_informed is no step
		span{"nobody", "2024-09-20", "2024-10-19", RuleOutcome},
	)
	if want := (Days{Police: 17 + 3, CPS: 29, Court: 16 + 28 + 138, Complainant: 18, Nobody: 30}); r.Days != want {
		t.Errorf("days %+v, want %+v", r.Days, want)
	}
}

// A defence response due outranks the listed trial; a hung jury waits on
// the prosecution's retrial decision until the retrial is listed; a charge
// by postal requisition waits on the police until a hearing is listed.
func TestAttributionDefenceRetrialAndRequisition(t *testing.T) {
	evs := history(t, opened1,
		`2024-02-01 file_submitted {"suspect_id":"D1","purpose":"charging_decision"}`,
		`2024-03-01 charging_decision {"suspect_id":"D1","decision":"charge"}`,
		`2024-03-01 charged {"defendant_id":"D1","offences":`+offs+`,"method":"postal_requisition"}`,
		`2024-04-15 hearing_listed {"hearing_id":"H1","kind":"first_appearance","court":"leeds_magistrates","starts_at":"2024-05-01T10:00:00Z","listing":"fixture"}`,
		`2024-05-01 hearing_held {"hearing_id":"H1","outcome":"effective"}`,
		`2024-05-01 sent_to_crown_court {"defendant_id":"D1","court":"leeds"}`,
		`2024-05-01 hearing_listed {"hearing_id":"H2","kind":"trial","court":"leeds","starts_at":"2024-11-04T10:00:00Z","listing":"fixture"}`,
		`2024-06-20 stage1_served {}`,
		`2024-07-31 stage2_served {"defendant_id":"D1"}`,
		`2024-11-04 trial_started {"hearing_id":"H2"}`,
		`2024-11-04 hearing_held {"hearing_id":"H2","outcome":"effective"}`,
		`2024-11-08 verdict {"defendant_id":"D1","result":"hung_jury"}`,
		`2024-11-22 hearing_listed {"hearing_id":"H3","kind":"trial","court":"leeds","starts_at":"2025-03-03T10:00:00Z","listing":"fixture"}`,
	)
	r := Spans(evs, at("2025-01-01"))
	checkWhole(t, r)
	checkSpans(t, r.Spans,
		span{"police", "2024-01-15", "2024-01-31", RuleInvestigation},
		span{"cps", "2024-02-01", "2024-02-29", RuleFile},
		span{"police", "2024-03-01", "2024-04-14", RuleToCourt},
		span{"court", "2024-04-15", "2024-04-30", RuleHearing},
		span{"court", "2024-05-01", "2024-06-19", RuleHearing},
		span{"defence", "2024-06-20", "2024-07-30", RuleStage2},
		span{"court", "2024-07-31", "2024-11-03", RuleHearing},
		span{"court", "2024-11-04", "2024-11-07", RuleCourt},
		span{"cps", "2024-11-08", "2024-11-21", RuleRetrial},
		span{"court", "2024-11-22", "2024-12-31", RuleHearing},
	)
}

// Two suspects part ways: D1 is charged and awaits trial while D2's file is
// with the CPS. The file outranks the court, so the case waits on the CPS;
// once D2 has no further action the case waits on the court again. Each
// defendant's own strand is kept because they differ.
func TestAttributionTwoDefendants(t *testing.T) {
	evs := history(t, opened2,
		`2024-02-01 file_submitted {"suspect_id":"D1","purpose":"charging_decision"}`,
		`2024-03-01 charging_decision {"suspect_id":"D1","decision":"charge"}`,
		`2024-03-01T15:00:00Z charged {"defendant_id":"D1","offences":`+offs+`,"method":"custody"}`,
		`2024-03-01 hearing_listed {"hearing_id":"H1","kind":"first_appearance","court":"leeds_magistrates","starts_at":"2024-03-02T10:00:00Z","listing":"fixture"}`,
		`2024-03-02 hearing_held {"hearing_id":"H1","outcome":"effective"}`,
		`2024-03-02 sent_to_crown_court {"defendant_id":"D1","court":"leeds"}`,
		`2024-04-10 file_submitted {"suspect_id":"D2","purpose":"charging_decision"}`,
		`2024-05-10 charging_decision {"suspect_id":"D2","decision":"no_further_action"}`,
		`2024-05-20 hearing_listed {"hearing_id":"H2","kind":"trial","court":"leeds","starts_at":"2024-10-07T10:00:00Z","listing":"fixture"}`,
	)
	r := Spans(evs, at("2024-07-01"))
	checkWhole(t, r)
	checkSpans(t, r.Spans,
		span{"police", "2024-01-15", "2024-01-31", RuleInvestigation},
		span{"cps", "2024-02-01", "2024-02-29", RuleFile},
		span{"court", "2024-03-01", "2024-03-01", RuleHearing},
		span{"police", "2024-03-02", "2024-04-09", RuleInvestigation}, // D2 still investigated outranks awaiting listing
		span{"cps", "2024-04-10", "2024-05-09", RuleFile},
		span{"court", "2024-05-10", "2024-05-19", RuleCourt},
		span{"court", "2024-05-20", "2024-06-30", RuleHearing},
	)
	if len(r.Defendants) != 2 {
		t.Fatalf("want both defendants' strands, got %d", len(r.Defendants))
	}
	d1, d2 := r.Defendants[0], r.Defendants[1]
	if d1.ID != "D1" || d2.ID != "D2" {
		t.Fatalf("defendants %s, %s", d1.ID, d2.ID)
	}
	checkSpans(t, d1.Spans,
		span{"police", "2024-01-15", "2024-01-31", RuleInvestigation},
		span{"cps", "2024-02-01", "2024-02-29", RuleFile},
		span{"court", "2024-03-01", "2024-03-01", RuleHearing},
		span{"court", "2024-03-02", "2024-05-19", RuleCourt},
		span{"court", "2024-05-20", "2024-06-30", RuleHearing},
	)
	checkSpans(t, d2.Spans,
		span{"police", "2024-01-15", "2024-04-09", RuleInvestigation},
		span{"cps", "2024-04-10", "2024-05-09", RuleFile},
		span{"nobody", "2024-05-10", "2024-06-30", RuleOutcome},
	)
}

// A plan raised while one suspect is investigated is that suspect's: it
// does not hold up a co-accused already awaiting trial, but it holds the
// case, since it outranks the court's waiting list.
func TestAttributionPlanIsTheInvestigatedSuspects(t *testing.T) {
	evs := history(t, opened2,
		`2024-02-01 file_submitted {"suspect_id":"D1","purpose":"charging_decision"}`,
		`2024-03-01 charging_decision {"suspect_id":"D1","decision":"charge"}`,
		`2024-03-01T15:00:00Z charged {"defendant_id":"D1","offences":`+offs+`,"method":"custody"}`,
		`2024-03-01 hearing_listed {"hearing_id":"H1","kind":"first_appearance","court":"leeds_magistrates","starts_at":"2024-03-02T10:00:00Z","listing":"fixture"}`,
		`2024-03-02 hearing_held {"hearing_id":"H1","outcome":"effective"}`,
		`2024-03-02 sent_to_crown_court {"defendant_id":"D1","court":"leeds"}`,
		`2024-03-05 action_plan_issued {"plan_id":"AP1","items":[{"item_id":"1","description":"Trace D2's phone","owner":"police","due":"2024-04-01"}]}`,
		`2024-04-01 action_item_completed {"plan_id":"AP1","item_id":"1"}`,
	)
	r := Spans(evs, at("2024-04-10"))
	checkWhole(t, r)
	if got := r.Spans[len(r.Spans)-2]; got.Because.Rule != RulePoliceItem || got.From != day("2024-03-05") || got.To != day("2024-03-31") {
		t.Errorf("case: %s", dump(r.Spans))
	}
	for _, s := range r.Defendants[0].Spans {
		if s.Because.Rule == RulePoliceItem {
			t.Errorf("D1, awaiting trial, waits on D2's investigation plan:\n%s", dump(r.Defendants[0].Spans))
		}
	}
}

// The days end on asOf (not counted) for an open case; a case reported and
// closed on one day has no days at all; events after asOf are not history.
func TestAttributionEnds(t *testing.T) {
	evs := history(t, opened1,
		`2024-01-15 case_closed {"reason":"no crime"}`,
	)
	r := Spans(evs, at("2024-06-01"))
	checkWhole(t, r)
	if r.Days.Total() != 0 || len(r.Spans) != 0 || !r.Closed {
		t.Errorf("same-day close: %+v", r)
	}
	if b, _ := json.Marshal(r); !strings.Contains(string(b), `"spans":[]`) {
		t.Errorf("empty spans must be [], not null: %s", b)
	}
	evs = history(t, opened1,
		`2024-02-01 file_submitted {"suspect_id":"D1","purpose":"charging_decision"}`,
		`2024-03-01 charging_decision {"suspect_id":"D1","decision":"no_further_action"}`,
		`2024-03-15 case_closed {"reason":"CPS decided not to charge"}`,
	)
	for _, c := range []struct {
		asOf string
		want Days
	}{
		{"2024-01-15", Days{}},
		{"2024-01-16", Days{Police: 1}},
		{"2024-02-01", Days{Police: 17}},
		{"2024-02-02", Days{Police: 17, CPS: 1}},
		{"2024-03-15", Days{Police: 17, CPS: 29, Nobody: 14}},
		{"2029-01-01", Days{Police: 17, CPS: 29, Nobody: 14}},
	} {
		r := Spans(evs, at(c.asOf))
		checkWhole(t, r)
		if r.Days != c.want {
			t.Errorf("as of %s: %+v, want %+v", c.asOf, r.Days, c.want)
		}
	}
}

// A backdated entry (a log whose dates run backwards) is attributed in date
// order: the same answer as the log in date order.
func TestAttributionBackdatedEntry(t *testing.T) {
	evs := history(t, opened1,
		`2024-03-01 action_plan_issued {"plan_id":"AP1","items":[{"item_id":"1","description":"Statements","owner":"police","due":"2024-04-01"}]}`,
		`2024-05-01 file_submitted {"suspect_id":"D1","purpose":"early_advice"}`,
		`2024-03-20 action_item_completed {"plan_id":"AP1","item_id":"1"}`,
	)
	sorted := []throughline.Event{evs[0], evs[1], evs[3], evs[2]}
	a, b := Spans(evs, at("2024-06-01")), Spans(sorted, at("2024-06-01"))
	checkWhole(t, a)
	if a.Days != b.Days || dump(a.Spans) != dump(b.Spans) {
		t.Errorf("backdated:\n%s\nin order:\n%s", dump(a.Spans), dump(b.Spans))
	}
	if want := (Days{Police: 46 + 19 + 42, CPS: 31}); a.Days != want {
		t.Errorf("days %+v, want %+v", a.Days, want)
	}
}
