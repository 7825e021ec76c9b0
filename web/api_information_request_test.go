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
