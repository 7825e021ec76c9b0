package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"throughline/sqlstore/storetest"
)

func TestAPIMessages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		c, s := newAPI(t, dsn)
		ctx := context.Background()
		_, officer, _ := s.AddUser(ctx, "Priya Shah", "officer", "police:13")
		_, outsider, _ := s.AddUser(ctx, "Jo Bloggs", "officer", "police:01")
		ruth, prosecutor, _ := s.AddUser(ctx, "Ruth Adeyemi", "prosecutor", "cps:yorkshire_humberside")
		c.do("POST", "/cases", officer, map[string]any{"ref": "13-MSG-0001", "occurred_at": "2025-03-03", "data": openedData}, http.StatusCreated)
		if err := s.SetCaseMember(ctx, "admin", "13-MSG-0001", "user", ruth.ID, true); err != nil {
			t.Fatal(err)
		}
		// Each agency records its own events (throughline.Recorders).
		by := map[string]string{"charging_decision": prosecutor, "sent_to_crown_court": prosecutor, "hearing_listed": prosecutor}
		ev := func(v int, typ, on string, data map[string]any) {
			who := officer
			if tok, ok := by[typ]; ok {
				who = tok
			}
			c.do("POST", "/cases/13-MSG-0001/events", who, map[string]any{"type": typ, "occurred_at": on, "expected_version": v, "data": data}, http.StatusCreated)
		}
		ev(1, "contact_preferences_set", "2025-03-04", map[string]any{"complainant_id": "C1", "channels": []string{"email"}, "email": "amelia@example.org", "language": "cy"})
		ev(2, "file_submitted", "2025-04-01", map[string]any{"suspect_id": "D1", "purpose": "charging_decision"})
		ev(3, "charging_decision", "2025-04-10", map[string]any{"suspect_id": "D1", "decision": "charge"})
		ev(4, "charged", "2025-04-11T09:00:00Z", map[string]any{"defendant_id": "D1", "offences": []any{map[string]any{"ho_code": "19C", "cjs_code": "SX03002"}}, "method": "bail"})
		ev(5, "sent_to_crown_court", "2025-04-12", map[string]any{"defendant_id": "D1", "court": "leeds"})
		ev(6, "hearing_listed", "2025-04-12", map[string]any{"hearing_id": "H1", "kind": "trial", "court": "leeds", "starts_at": "2026-05-11T10:00:00+01:00", "listing": "fixture"})

		list := c.do("GET", "/cases/13-MSG-0001/messages", officer, nil, http.StatusOK)
		ms := list["messages"].([]any)
		if len(ms) != 2 || ms[0].(map[string]any)["kind"] != "charge" || ms[1].(map[string]any)["kind"] != "trial_listed" || ms[0].(map[string]any)["triggered_by"] == "" {
			t.Fatalf("messages: %v", list)
		}
		// A wrong trial date is refused, naming the record's date.
		bad := c.do("POST", "/cases/13-MSG-0001/messages", officer, map[string]any{"complainant_id": "C1", "body": "The trial starts on 18 May 2026 at Leeds Crown Court."}, http.StatusUnprocessableEntity)
		fe := bad["error"].(map[string]any)["fields"].([]any)[0].(map[string]any)
		if fe["field"] != "body" || !strings.Contains(fe["message"].(string), "18 May 2026") || !strings.Contains(fe["message"].(string), "Monday 11 May 2026 at 10am at Leeds Crown Court") {
			t.Fatalf("422: %v", bad)
		}
		c.do("POST", "/cases/13-MSG-0001/messages", officer, map[string]any{"complainant_id": "C9", "body": "Hello"}, http.StatusUnprocessableEntity)
		ok := c.do("POST", "/cases/13-MSG-0001/messages", officer, map[string]any{"complainant_id": "C1", "body": "The trial is still on 11 May 2026. I will call you next week."}, http.StatusCreated)
		if m := ok["message"].(map[string]any); m["kind"] != "free_text" || m["status"] != "queued" || !strings.Contains(m["body"].(string), "I will call you") {
			t.Fatalf("created: %v", ok)
		}
		c.do("GET", "/cases/13-MSG-0001/messages", outsider, nil, http.StatusNotFound)
		c.do("POST", "/cases/13-MSG-0001/messages", outsider, map[string]any{"complainant_id": "C1", "body": "Hello"}, http.StatusNotFound)
	})
}
