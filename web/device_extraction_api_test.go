package web_test

import (
	"context"
	"net/http"
	"testing"

	"throughline/sqlstore/storetest"
)

// TestDeviceExtractionAPI: through the API, checked against the OpenAPI
// document, a device extraction request that leaves conditions unanswered
// is refused with a 422 naming each (PCSCA 2022 ss.37 and 39); a lawful one
// is recorded; her agreement before the notice is refused, her refusal is
// not. On both databases.
func TestDeviceExtractionAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		c, s := newAPI(t, dsn)
		_, officer, _ := s.AddUser(context.Background(), "Priya Shah", "officer", "police:13")
		c.do("POST", "/cases", officer, map[string]any{"ref": "13-API-0009", "occurred_at": "2025-03-03", "data": openedData}, http.StatusCreated)
		request := map[string]any{"complainant_id": "C1", "request_id": "E1", "device": "your mobile phone", "data_kinds": []string{"messages"},
			"reason": "He says you stayed friendly. The messages can show what was said.", "scope_from": "2025-02-01", "scope_to": "2025-02-28",
			"information_sought": "The messages between you and him in February.",
			"handling":           "Only the officer and the prosecutor will read them."}
		bad := c.do("POST", "/cases/13-API-0009/events", officer, map[string]any{"type": "device_extraction_requested", "occurred_at": "2025-04-01", "expected_version": 1,
			"data": request}, http.StatusUnprocessableEntity)
		fields := map[string]bool{}
		for _, f := range bad["error"].(map[string]any)["fields"].([]any) {
			fields[f.(map[string]any)["field"].(string)] = true
		}
		for _, f := range []string{"line_of_enquiry", "necessity", "other_means"} {
			if !fields[f] && !fields["data."+f] {
				t.Errorf("422 does not name %s: %v", f, bad)
			}
		}
		if fields["handling"] || fields["data.handling"] {
			t.Errorf("an answered condition is named: %v", bad)
		}
		request["line_of_enquiry"] = "Whether her messages after the night support his account."
		request["necessity"] = "The messages are the only record of what was said that month."
		request["other_means"] = "His phone was not seized and the provider keeps no content."
		c.do("POST", "/cases/13-API-0009/events", officer, map[string]any{"type": "device_extraction_requested", "occurred_at": "2025-04-01", "expected_version": 1,
			"data": request}, http.StatusCreated)
		c.do("POST", "/cases/13-API-0009/events", officer, map[string]any{"type": "device_extraction_answered", "occurred_at": "2025-04-02", "expected_version": 2,
			"data": map[string]any{"complainant_id": "C1", "request_id": "E1", "answer": "agreed", "confirmed_in_writing": true, "data_kinds": []string{"messages"}}}, http.StatusUnprocessableEntity)
		c.do("POST", "/cases/13-API-0009/events", officer, map[string]any{"type": "device_extraction_answered", "occurred_at": "2025-04-02", "expected_version": 2,
			"data": map[string]any{"complainant_id": "C1", "request_id": "E1", "answer": "refused"}}, http.StatusCreated)
	})
}
