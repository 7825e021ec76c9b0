package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"throughline"

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
		listing := url.Values{"version": {"10"}, "hearing_id": {"new"}, "kind": {"ptph"}, "court": {"Leeds Crown Court"},
			"starts_at-day": {"12"}, "starts_at-month": {"12"}, "starts_at-year": {"2024"}, "starts_at-time": {"10am"}, "listing": {"fixture"},
			"occurred_at-day": {"14"}, "occurred_at-month": {"11"}, "occurred_at-year": {"2024"}}
		// A court is chosen from the reference data, never typed: a name
		// typed in is refused and changes nothing.
		if typed := prosecutor.post("/cases/"+ref+"/record/hearing_listed", listing); typed.status != http.StatusUnprocessableEntity || !strings.Contains(typed.body, `href="#court"`) {
			t.Fatalf("a typed court: %d %s", typed.status, text(typed.body))
		}
		hform := prosecutor.get("/cases/" + ref + "/record/hearing_listed")
		if !strings.Contains(hform.body, `<option value="leeds_magistrates">Leeds Magistrates&#39; Court</option>`) || !strings.Contains(hform.body, `<option value="leeds" selected>Leeds Crown Court</option>`) {
			t.Fatalf("the hearing form does not offer the courts by name, the sending's court first: %s", hform.body)
		}
		listing.Set("court", "leeds")
		again := prosecutor.post("/cases/"+ref+"/record/hearing_listed", listing)
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
		v := prosecutor.post("/cases/"+ref+"/record/verdict", url.Values{"version": {"11"}, "defendant_id": {"D1"}, "result": {"guilty"}, "occurred_at-day": {"1"}, "occurred_at-month": {"12"}, "occurred_at-year": {"2024"}})
		if v.status != http.StatusUnprocessableEntity || !strings.Contains(v.body, "no trial has started") {
			t.Fatalf("verdict before trial: %d %s", v.status, text(v.body))
		}
	})
}

// The record menu offers each role exactly what the policy lets it record
// (throughline.Recorders), or says why it must wait: every form offered
// opens, every form neither offered nor waiting is refused, for each
// caseworker on the case team.
func TestRecordMenuMatchesThePolicy(t *testing.T) {
	s := newSite(t, storetest.DSNs(t)["sqlite"])
	ref := url.PathEscape(testRef)
	link := regexp.MustCompile(`/record/([a-z0-9_]+)"`)
	for _, key := range []string{"officer", "prosecutor", "witness", "supervisor", "manager"} {
		b := s.signIn(key)
		menu := b.get("/cases/" + ref + "/record")
		if menu.status != http.StatusOK {
			t.Fatalf("%s: record menu %d", key, menu.status)
		}
		offered, waiting := map[string]bool{}, map[string]bool{}
		for _, m := range link.FindAllStringSubmatch(menu.body, -1) {
			offered[m[1]] = true
		}
		for _, m := range regexp.MustCompile(`data-type="([a-z0-9_]+)"`).FindAllStringSubmatch(menu.body, -1) {
			waiting[m[1]] = true
		}
		if len(offered) == 0 {
			t.Fatalf("%s: the record menu offers nothing", key)
		}
		for typ := range throughline.Recorders {
			r := b.get("/cases/" + ref + "/record/" + typ)
			if r.status == http.StatusNotFound {
				if offered[typ] {
					t.Errorf("%s: %s is offered but has no form", key, typ)
				}
				continue // no form for this type (recorded by the API or the system)
			}
			may := throughline.MayRecord(s.people[key].User, typ)
			switch {
			case offered[typ] && !may:
				t.Errorf("%s: %s is offered but the policy refuses it", key, typ)
			case offered[typ] && waiting[typ]:
				t.Errorf("%s: %s is both offered and waiting", key, typ)
			case !offered[typ] && !waiting[typ] && may:
				t.Errorf("%s: %s is allowed but neither offered nor waiting", key, typ)
			case waiting[typ] && !may:
				t.Errorf("%s: %s waits, but the policy refuses it", key, typ)
			case offered[typ] && r.status != http.StatusOK:
				t.Errorf("%s: %s is offered but its form answers %d", key, typ, r.status)
			case !offered[typ] && !waiting[typ] && r.status != http.StatusForbidden:
				t.Errorf("%s: %s is not offered but its form answers %d, want 403", key, typ, r.status)
			}
		}
	}
}

// The duties of issue 20 are recorded in the pages: a warrant, then the
// Witness Care Unit's receipt of it from the court, whose day starts its
// clock; the victim's named contact is given the telling to do.
func TestRecordRightsThroughForms(t *testing.T) {
	s := newSite(t, storetest.DSNs(t)["sqlite"])
	ref := url.PathEscape(testRef)
	day := func(v url.Values, d, m, y string) url.Values {
		v.Set("occurred_at-day", d)
		v.Set("occurred_at-month", m)
		v.Set("occurred_at-year", y)
		return v
	}
	officer, witness := s.signIn("officer"), s.signIn("witness")
	if r := officer.post("/cases/"+ref+"/record/charged", day(url.Values{"version": {"8"}, "defendant_id": {"D1"}, "offences": {"19C|SX03002"}, "method": {"bail"}}, "13", "11", "2024")); r.status != http.StatusSeeOther {
		t.Fatalf("charge: %d %s", r.status, text(r.body))
	}
	if r := witness.post("/cases/"+ref+"/record/warrant_issued", day(url.Values{"version": {"9"}, "defendant_id": {"D1"}}, "20", "11", "2024")); r.status != http.StatusSeeOther {
		t.Fatalf("warrant: %d %s", r.status, text(r.body))
	}
	form := witness.get("/cases/" + ref + "/record/news_received")
	if form.status != http.StatusOK || !strings.Contains(form.body, "It is not about one hearing") || !strings.Contains(form.body, "A warrant for arrest") {
		t.Fatalf("news form: %d %s", form.status, text(form.body))
	}
	// Left out: what the news was and who sent it; said beside the fields.
	bad := witness.post("/cases/"+ref+"/record/news_received", day(url.Values{"version": {"10"}, "hearing_id": {"none"}, "defendant_id": {"D1"}}, "21", "11", "2024"))
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "Select who sent it") || !strings.Contains(bad.body, `href="#about"`) {
		t.Fatalf("incomplete receipt: %d %s", bad.status, text(bad.body))
	}
	ok := witness.post("/cases/"+ref+"/record/news_received", day(url.Values{"version": {"10"}, "about": {"warrant_issued"}, "from": {"court"}, "hearing_id": {"none"}, "defendant_id": {"D1"}}, "21", "11", "2024"))
	if ok.status != http.StatusSeeOther {
		t.Fatalf("receipt: %d %s", ok.status, text(ok.body))
	}
	page := witness.get("/cases/" + ref)
	for _, want := range []string{"The court issued a warrant for the arrest of Daniel Ross.", "The Witness Care Unit received news of a warrant for arrest from the court."} {
		if !strings.Contains(text(page.body), want) {
			t.Errorf("case page lacks %q", want)
		}
	}
	// Received Thu 21 Nov 2024: due Fri 22 Nov, 1 working day (a victim of rape).
	for _, want := range []string{"Victim told of a change to bail conditions or a warrant for arrest", "Due by 22 November 2024", "Tell the victim"} {
		if !strings.Contains(text(page.body), want) {
			t.Errorf("case page lacks %q", want)
		}
	}
	// The notice form says when there is no request to choose.
	if r := officer.get("/cases/" + ref + "/record/information_notice_exception"); !strings.Contains(r.body, "No information request has been recorded on this case") {
		t.Errorf("notice exception form: %d %s", r.status, text(r.body))
	}
}
