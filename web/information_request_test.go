package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"throughline/sqlstore/storetest"
)

// lawfulRequestForm is the request form with each condition of PCSCA 2022
// s.44A answered.
func lawfulRequestForm() url.Values {
	return url.Values{"complainant_id": {"C1"}, "material": {"counselling_notes"}, "holder": {"Leeds counselling service"},
		"holder_belief":   {"She told the officer in her ABE interview that she saw a counsellor there in March."},
		"line_of_enquiry": {"When she first disclosed: the defence says the account was invented after the charge."},
		"necessity":       {"Only the date of her first session is sought, nothing of what she said in it."},
		"probative_value": {"The date of first disclosure meets the defence of late invention directly."},
		"reason":          {"To check when you first told someone what happened."},
		"handling":        {"Only the officer and the prosecutor will read it. Nothing else in it will be used."}}
}

// TestRequestFormNamesEachMissingCondition: the request form refuses a
// request that leaves a condition of s.44A unanswered, saying which, with a
// link to each question, and records nothing.
func TestRequestFormNamesEachMissingCondition(t *testing.T) {
	s := todaySite(t, storetest.DSNs(t)["sqlite"])
	officer := s.signIn("officer")
	ctx := context.Background()
	c, err := s.store.Case(ctx, chargedRef)
	if err != nil {
		t.Fatal(err)
	}
	v := lawfulRequestForm()
	v.Del("line_of_enquiry")
	v.Del("probative_value")
	v.Set("version", strconv.FormatInt(c.Version, 10))
	v.Set("occurred_at-day", "25")
	v.Set("occurred_at-month", "11")
	v.Set("occurred_at-year", "2026")
	r := officer.post("/cases/"+url.PathEscape(chargedRef)+"/record/information_requested", v)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422: %s", r.status, text(r.body))
	}
	for _, want := range []string{`href="#line_of_enquiry"`, "s.44A(3)(b)", `href="#probative_value"`, "s.44A(4)"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the refusal does not say %q: %s", want, text(r.body))
		}
	}
	if strings.Contains(r.body, `href="#necessity"`) {
		t.Error("an answered condition is named as missing")
	}
	if after, _ := s.store.Case(ctx, chargedRef); after.Version != c.Version {
		t.Errorf("a refused request changed the case: version %d, was %d", after.Version, c.Version)
	}
}

// TestProsecutorSeesEachAnswer: a request made through the form shows the
// reviewing prosecutor each condition's answer, marked as a counselling
// information request, on the case page.
func TestProsecutorSeesEachAnswer(t *testing.T) {
	s := todaySite(t, storetest.DSNs(t)["sqlite"])
	officer, prosecutor := s.signIn("officer"), s.signIn("prosecutor")
	c, err := s.store.Case(context.Background(), chargedRef)
	if err != nil {
		t.Fatal(err)
	}
	v := lawfulRequestForm()
	v.Set("version", strconv.FormatInt(c.Version, 10))
	v.Set("occurred_at-day", "25")
	v.Set("occurred_at-month", "11")
	v.Set("occurred_at-year", "2026")
	if r := officer.post("/cases/"+url.PathEscape(chargedRef)+"/record/information_requested", v); r.status != http.StatusSeeOther {
		t.Fatalf("request: %d %s", r.status, text(r.body))
	}
	r := prosecutor.get("/cases/" + url.PathEscape(chargedRef))
	body := text(r.body)
	for _, k := range []string{"holder_belief", "line_of_enquiry", "necessity", "probative_value", "reason", "handling"} {
		if !strings.Contains(body, strings.TrimSuffix(v.Get(k), ".")) {
			t.Errorf("the prosecutor does not see the answer to %s", k)
		}
	}
	if !strings.Contains(body, "Counselling information") || !strings.Contains(body, "s.44A(4)") {
		t.Errorf("not marked as a counselling information request: %s", body)
	}
}
