package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"throughline/sqlstore/storetest"
)

// The joint work through the pages: the CPS assesses a file and issues a
// plan; the officer answers each reason, does one action and disputes
// another; a police supervisor and a CPS manager settle both disputes; the
// case page shows where everything stands.
func TestCollaborationThroughForms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		officer, prosecutor := s.signIn("officer"), s.signIn("prosecutor")
		supervisor, manager := s.signIn("supervisor"), s.signIn("manager")
		ref := url.PathEscape(testRef)
		version := 8
		record := func(b *browser, typ string, v url.Values, on string) page {
			t.Helper()
			dmy := strings.Fields(on) // "5 9 2024"
			v.Set("version", strconv.Itoa(version))
			v.Set("occurred_at-day", dmy[0])
			v.Set("occurred_at-month", dmy[1])
			v.Set("occurred_at-year", dmy[2])
			r := b.post("/cases/"+ref+"/record/"+typ, v)
			if r.status == http.StatusSeeOther {
				version++
			}
			return r
		}
		ok := func(r page, what string) {
			t.Helper()
			if r.status != http.StatusSeeOther {
				t.Fatalf("%s: %d %s", what, r.status, text(r.body))
			}
		}

		// File quality: two reasons, one accepted, one disputed and settled.
		bad := record(prosecutor, "file_quality_assessed", url.Values{"suspect_id": {"D1"}, "outcome": {"not_acceptable"}}, "5 9 2024")
		if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, `href="#reasons"`) {
			t.Fatalf("no reasons: %d %s", bad.status, text(bad.body))
		}
		ok(record(prosecutor, "file_quality_assessed", url.Values{"suspect_id": {"D1"}, "outcome": {"not_acceptable"}, "reasons": {"missing_statements", "no_digital_review"},
			"comment": {"First-account witness statement missing"}}, "5 9 2024"), "assessment")
		form := officer.get("/cases/" + ref + "/record/file_quality_answered")
		if !strings.Contains(form.body, `value="Q1|no_digital_review"`) || !strings.Contains(text(form.body), "Digital material not reviewed (assessed 5 September 2024, Not yet answered)") {
			t.Fatalf("answer form: %s", text(form.body))
		}
		ok(record(officer, "file_quality_answered", url.Values{"assessment_id": {"Q1|missing_statements"}, "answer": {"accepted"}}, "6 9 2024"), "accept")
		ok(record(officer, "file_quality_answered", url.Values{"assessment_id": {"Q1|no_digital_review"}, "answer": {"disputed"}, "comment": {"The download report is at tab 7"}}, "6 9 2024"), "dispute reason")

		// The plan: issued by the CPS, one action done, one disputed.
		ok(record(prosecutor, "action_plan_issued", url.Values{
			"item1-category": {"digital"}, "item1-description": {"Download the complainant's phone"}, "item1-owner": {"police"}, "item1-owner_name": {"DC Priya Shah"},
			"item1-due-day": {"30"}, "item1-due-month": {"9"}, "item1-due-year": {"2024"},
			"item2-category": {"third_party_material"}, "item2-description": {"Obtain the counselling records"}, "item2-owner": {"police"},
			"item2-due-day": {"15"}, "item2-due-month": {"10"}, "item2-due-year": {"2024"}}, "9 9 2024"), "plan")
		ok(record(officer, "action_item_completed", url.Values{"plan_id": {"P1|1"}}, "20 9 2024"), "done")
		ok(record(officer, "action_item_disputed", url.Values{"plan_id": {"P1|2"}, "reason": {"Not a reasonable line of enquiry"}}, "21 9 2024"), "dispute item")
		ok(record(prosecutor, "action_item_commented", url.Values{"plan_id": {"P1|2"}, "comment": {"Let us talk at the conference"}}, "22 9 2024"), "comment")

		// The officer cannot settle; each supervisor records their side.
		if r := officer.get("/cases/" + ref + "/record/dispute_resolved"); r.status != http.StatusForbidden {
			t.Fatalf("officer settles: %d", r.status)
		}
		for _, b := range []*browser{supervisor, manager} {
			ok(record(b, "dispute_resolved", url.Values{"dispute": {"p:P1|2"}, "outcome": {"withdrawn"}, "note": {"Agreed at the case conference"}}, "25 9 2024"), "settle item")
			ok(record(b, "dispute_resolved", url.Values{"dispute": {"q:Q1|no_digital_review"}, "outcome": {"withdrawn"}, "note": {"The review was there"}}, "25 9 2024"), "settle reason")
		}
		ok(record(officer, "case_team_changed", url.Values{"role": {"officer_in_case"}, "name": {"DC Lee Marsh"}, "phone": {"0113 496 0202"}, "handover": {"Charging file with the CPS; Amelia prefers email"}}, "1 10 2024"), "team change")
		if r := record(officer, "case_team_changed", url.Values{"role": {"officer_in_case"}, "name": {"DC Kim Lee"}}, "2 10 2024"); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#handover"`) {
			t.Fatalf("no hand-over note: %d %s", r.status, text(r.body))
		}
		c := text(officer.get("/cases/" + ref).body)
		for _, want := range []string{"Action plan issued 9 September 2024 by the CPS (complete)", "Done 20 September 2024", "Cancelled", "Withdrawn when the dispute was settled",
			"CPS, 22 September 2024: Let us talk at the conference", "Not acceptable", "Statements missing — accepted by the police", "Digital material not reviewed — disputed, then withdrawn",
			"Who the case has waited on", "An action item owned by the CPS is open", "by Ruth Adeyemi (CPS Yorkshire and Humberside)", "Of its 1045 days: Police 920 days, CPS 125 days.",
			"Action plan item done", "Officer in the case DC Lee Marsh, since 1 October 2024, 0113 496 0202", "Action plan of 9 September 2024, action 2: Obtain the counselling records"} {
			if !strings.Contains(c, want) {
				t.Errorf("case page lacks %q", want)
			}
		}
		if t.Failed() {
			t.Log(c)
		}
	})
}
