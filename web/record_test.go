package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"throughline/sqlstore/storetest"
)

func TestRecordEventsThroughForms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		officer := s.signIn("officer")
		prosecutor := s.signIn("prosecutor")
		ref := url.PathEscape(testRef)
		form := officer.get("/cases/" + ref + "/record/charged")
		if form.status != 200 || !strings.Contains(form.body, `name="version" value="8"`) {
			t.Fatalf("charge form: %d %s", form.status, text(form.body))
		}
		// Field errors from the domain, beside the fields.
		bad := officer.post("/cases/"+ref+"/record/charged", url.Values{"version": {"8"}, "defendant_id": {"D1"}, "offences": {"19C|SX03002"}, "occurred_at-day": {"31"}, "occurred_at-month": {"2"}, "occurred_at-year": {"2025"}})
		if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "govuk-error-summary") || !strings.Contains(bad.body, `href="#occurred_at-day"`) || !strings.Contains(bad.body, `href="#method"`) || !strings.Contains(bad.body, "Date must be a real date") {
			t.Fatalf("invalid charge: %d %s", bad.status, text(bad.body))
		}
		ok := officer.post("/cases/"+ref+"/record/charged", url.Values{"version": {"8"}, "defendant_id": {"D1"}, "offences": {"19C|SX03002"}, "method": {"custody"}, "occurred_at-day": {"13"}, "occurred_at-month": {"11"}, "occurred_at-year": {"2024"}})
		if ok.status != http.StatusSeeOther {
			t.Fatalf("charge: %d %s", ok.status, text(ok.body))
		}
		// The prosecutor sends the case with a form opened before the charge:
		// someone else changed this case.
		send := url.Values{"version": {"8"}, "defendant_id": {"D1"}, "court": {"leeds"}, "occurred_at-day": {"14"}, "occurred_at-month": {"11"}, "occurred_at-year": {"2024"}}
		stale := prosecutor.post("/cases/"+ref+"/record/sent_to_crown_court", send)
		if stale.status != http.StatusConflict || !strings.Contains(stale.body, "Someone else changed this case") || !strings.Contains(stale.body, "Daniel Ross was charged in custody") || !strings.Contains(stale.body, `name="version" value="9"`) {
			t.Fatalf("stale form: %d %s", stale.status, text(stale.body))
		}
		send.Set("version", "9")
		if r := prosecutor.post("/cases/"+ref+"/record/sent_to_crown_court", send); r.status != http.StatusSeeOther {
			t.Fatalf("sent: %d %s", r.status, text(r.body))
		}
		again := prosecutor.post("/cases/"+ref+"/record/hearing_listed", url.Values{"version": {"10"}, "hearing_id": {"new"}, "kind": {"ptph"}, "court": {"Leeds Crown Court"},
			"starts_at-day": {"12"}, "starts_at-month": {"12"}, "starts_at-year": {"2024"}, "starts_at-time": {"10am"}, "listing": {"fixture"},
			"occurred_at-day": {"14"}, "occurred_at-month": {"11"}, "occurred_at-year": {"2024"}})
		if again.status != http.StatusSeeOther {
			t.Fatalf("ptph: %d %s", again.status, text(again.body))
		}
		moved := prosecutor.get("/cases/" + ref + "/record/hearing_listed")
		if !strings.Contains(moved.body, "Move: Plea and trial preparation hearing (PTPH), Leeds Crown Court, 12 December 2024 at 10:00am") {
			t.Fatalf("move option missing: %s", text(moved.body))
		}
		page := s.signIn("witness").get("/cases/" + ref)
		if page.status != 200 || !strings.Contains(page.body, "12 December 2024 at 10:00am") {
			t.Fatalf("witness care does not see the PTPH: %s", text(page.body))
		}
		// The sequence is the domain's: a verdict before a trial is refused
		// with its message.
		v := officer.post("/cases/"+ref+"/record/verdict", url.Values{"version": {"11"}, "defendant_id": {"D1"}, "result": {"guilty"}, "occurred_at-day": {"1"}, "occurred_at-month": {"12"}, "occurred_at-year": {"2024"}})
		if v.status != http.StatusUnprocessableEntity || !strings.Contains(v.body, "no trial has started") {
			t.Fatalf("verdict before trial: %d %s", v.status, text(v.body))
		}
	})
}
