package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"throughline"

	"throughline/sqlstore/storetest"
)

// The API goes through the same policy as the pages, and logs its
// consultations: an inspector gets pseudonyms, an ISVA the consenting
// victim only and no raw events.
func TestAPIPolicyAndConsultationLog(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		c, s := newAPI(t, dsn)
		ctx := context.Background()
		_, officer, _ := s.AddUser(ctx, "Priya Shah", "officer", "police:13")
		insp, inspector, _ := s.AddUser(ctx, "Sam Okoro", "inspector", "inspectorate")
		isvaU, isva, _ := s.AddUser(ctx, "Ana Lopes", "isva", "isva:rape-crisis-leeds")
		data := map[string]any{
			"force": "13", "cps_area": "yorkshire_humberside",
			"offences":     []any{map[string]any{"ho_code": "19C", "cjs_code": "SX03002"}},
			"complainants": []any{map[string]any{"id": "C1", "name": "Amelia Hart"}, map[string]any{"id": "C2", "name": "Beth Jones"}},
			"suspects":     []any{map[string]any{"id": "D1", "name": "Daniel Ross"}},
		}
		c.do("POST", "/cases", officer, map[string]any{"ref": "13-API-0009", "occurred_at": "2025-03-03", "data": data}, http.StatusCreated)
		s.SetCaseMember(ctx, "admin", "13-API-0009", "user", insp.ID, true)
		s.SetCaseMember(ctx, "admin", "13-API-0009", "user", isvaU.ID, true)

		got := c.do("GET", "/cases/13-API-0009", inspector, nil, http.StatusOK)
		name := got["complainants"].([]any)[0].(map[string]any)["name"].(string)
		if !strings.HasPrefix(name, "Complainant ") || strings.Contains(name, "Amelia") {
			t.Fatalf("inspector sees %q", name)
		}
		c.do("GET", "/cases/13-API-0009/events", inspector, nil, http.StatusNotFound)

		c.do("GET", "/cases/13-API-0009", isva, nil, http.StatusNotFound)
		s.RecordConsent(ctx, throughline.Consent{CaseRef: "13-API-0009", ComplainantID: "C2", ISVAAgency: "isva:rape-crisis-leeds", Given: true, RecordedBy: "x"})
		got = c.do("GET", "/cases/13-API-0009", isva, nil, http.StatusOK)
		cs := got["complainants"].([]any)
		if len(cs) != 1 || cs[0].(map[string]any)["name"] != "Beth Jones" {
			t.Fatalf("ISVA sees %v", cs)
		}
		c.do("GET", "/cases/13-API-0009/events", isva, nil, http.StatusNotFound)
		c.do("GET", "/cases/13-API-0009/events", officer, nil, http.StatusOK)

		log, _ := s.Consultations(ctx, throughline.ConsultationFilter{CaseRef: "13-API-0009"})
		if len(log) != 3 || log[0].Channel != "api" || log[0].Parts[0] != "events" || log[1].UserName != "Ana Lopes" || log[2].UserName != "Sam Okoro" {
			t.Fatalf("API consultations: %+v", log)
		}
	})
}
