package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The event-append API takes each step of a victim information request
// (ADR 0400): only a police supervisor approves (403 for the officer), the
// send waits for her written notice (422 saying so), and the prosecutor's
// view is the CPS's to record.
func TestAPIInformationRequestWorkflow(t *testing.T) {
	x := newInputSite(t)
	_, supervisor, err := x.s.AddUser(context.Background(), "Tom Hughes", "police_supervisor", "police:13")
	if err != nil {
		t.Fatal(err)
	}
	p := "/cases/" + url.PathEscape(inRef) + "/events"
	version := 1
	post := func(token, typ string, data map[string]any, want int) map[string]any {
		t.Helper()
		b := x.c.do("POST", p, token, map[string]any{"type": typ, "occurred_at": "2026-03-02", "expected_version": version, "data": data}, want)
		if want == http.StatusCreated {
			version++
		}
		return b
	}
	request := map[string]any{"complainant_id": "C1"}
	for k, v := range lawfulRequestForm() {
		if k != "complainant_id" {
			request[k] = v[0]
		}
	}
	request["request_id"] = "R1"
	post(x.officer, "information_requested", request, http.StatusCreated)
	ids := map[string]any{"complainant_id": "C1", "request_id": "R1"}
	approval := map[string]any{"complainant_id": "C1", "request_id": "R1", "note": "The date alone answers the defence of late invention."}
	post(x.officer, "information_request_approved", approval, http.StatusForbidden)
	post(supervisor, "information_request_approved", approval, http.StatusCreated)
	refusal := post(x.officer, "information_request_sent", ids, http.StatusUnprocessableEntity)
	if b, _ := json.Marshal(refusal); !strings.Contains(string(b), "written notice") {
		t.Errorf("the refusal does not say the notice is owed: %s", b)
	}
	post(x.officer, "victim_informed", map[string]any{"complainant_id": "C1", "about": "information_requested", "channel": "letter", "request_id": "R1"}, http.StatusCreated)
	post(x.officer, "information_request_sent", ids, http.StatusCreated)
	view := map[string]any{"complainant_id": "C1", "request_id": "R1", "advice": "supported", "view": "The date of first disclosure is in issue; nothing else."}
	post(x.officer, "information_request_view", view, http.StatusForbidden)
	post(x.prosecutor, "information_request_view", view, http.StatusCreated)
	b := post(x.officer, "information_request_response", map[string]any{"complainant_id": "C1", "request_id": "R1", "result": "lost"}, http.StatusUnprocessableEntity)
	if !hasField(b, "data.result") {
		t.Errorf("an unknown result is not named: %v", b)
	}
}

// POST /api/v1/cases/{ref}/information-requests: a request that leaves a
// condition of s.44A unanswered is refused, naming each one (whatever its
// date: this route makes requests, it does not record old ones), beside
// any other bad field, and records nothing; one that answers each is
// recorded with the next free request id, sealed like any request.
func TestAPIInformationRequestNamesEachCondition(t *testing.T) {
	x := newInputSite(t)
	p := "/cases/" + url.PathEscape(inRef) + "/information-requests"
	ctx := context.Background()
	bare := map[string]any{"expected_version": 1, "occurred_at": "2025-06-02", "complainant_id": "C1", "material": "counselling_notes",
		"holder": "Leeds counselling service", "reason": "To check when you first told someone what happened."}
	b := x.c.do("POST", p, x.officer, bare, http.StatusUnprocessableEntity)
	for _, f := range []string{"holder_belief", "line_of_enquiry", "necessity", "probative_value", "handling"} {
		if !hasField(b, f) {
			t.Errorf("the refusal does not name %s: %v", f, b)
		}
	}
	// An empty answer is no answer; a bad material is named beside it.
	empty := map[string]any{}
	for k, v := range bare {
		empty[k] = v
	}
	for k, v := range lawfulRequestForm() {
		if k != "complainant_id" {
			empty[k] = v[0]
		}
	}
	empty["necessity"], empty["material"] = "   ", "diary"
	b = x.c.do("POST", p, x.officer, empty, http.StatusUnprocessableEntity)
	if !hasField(b, "necessity") || !hasField(b, "material") || hasField(b, "holder_belief") {
		t.Errorf("the refusal names %v; want necessity and material only", fieldsOf(b))
	}
	if c, err := x.s.Case(ctx, inRef); err != nil || c.Version != 1 {
		t.Fatalf("a refused request changed the case: version %d, %v", c.Version, err)
	}

	good := map[string]any{}
	for k, v := range empty {
		good[k] = v
	}
	good["necessity"], good["material"] = "Only the date of her first session is sought, nothing of what she said in it.", "counselling_notes"
	x.c.do("POST", p, x.prosecutor, good, http.StatusForbidden) // the police make requests
	b = x.c.do("POST", p, x.officer, good, http.StatusCreated)
	if v, _ := b["version"].(float64); v != 2 {
		t.Errorf("recorded at version %v, want 2", b["version"])
	}
	c, err := x.s.Case(ctx, inRef)
	if err != nil {
		t.Fatal(err)
	}
	if cp := c.Complainant("C1"); cp == nil || len(cp.Requests) != 1 || cp.Requests[0].RequestID != "R1" || cp.Requests[0].Necessity != good["necessity"] {
		t.Fatalf("the request as recorded: %+v", cp)
	}
	good["expected_version"] = 1
	x.c.do("POST", p, x.officer, good, http.StatusConflict) // the case moved on
	good["expected_version"] = 2
	if b := x.c.do("POST", p, x.officer, good, http.StatusCreated); b["version"].(float64) != 3 {
		t.Errorf("the second request: %v", b)
	}
	if c, _ := x.s.Case(ctx, inRef); c.Complainant("C1").Requests[1].RequestID != "R2" {
		t.Errorf("the second request's id: %+v", c.Complainant("C1").Requests)
	}
	x.c.do("POST", p, x.outsider, good, http.StatusNotFound)
}
