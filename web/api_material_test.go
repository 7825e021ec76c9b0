package web_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"throughline"
	"throughline/envelope"
	"throughline/sqlstore/storetest"
)

// testMaterialKey is a material key for one test server.
func testMaterialKey(t testing.TB) *envelope.LocalKey {
	k, err := envelope.ParseKey(envelope.NewKeyText())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Restricted material through the API, on both databases (ADR 0402): the
// case's police supervisor and CPS manager name the disclosure officer and
// the reviewing prosecutor; only those two store and open it, opening needs
// a justification header, and everyone else — a colleague on the team
// included — gets exactly the 404 of a case they may not see; a redacted
// copy is the team's; every access by the two is in the case's access log
// with its justification; every exchange matches the OpenAPI document.
func TestAPIRestrictedMaterial(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		c, s := newAPI(t, dsn)
		ctx := context.Background()
		add := func(name, role, agency string) (throughline.User, string) {
			u, tok, err := s.AddUser(ctx, name, role, agency)
			if err != nil {
				t.Fatal(err)
			}
			return u, tok
		}
		do, doTok := add("Dev Singh", "officer", "police:13")
		rp, rpTok := add("Ruth Adeyemi", "prosecutor", "cps:yorkshire_humberside")
		kim, kimTok := add("Kim Lee", "officer", "police:13")
		_, supTok := add("Tom Hughes", "police_supervisor", "police:13")
		_, mgrTok := add("Grace Obi", "cps_manager", "cps:yorkshire_humberside")
		outsider, _ := add("Jo Bloggs", "prosecutor", "cps:london_south")
		ref := "13RS0000401-26"
		path := "/cases/" + url.PathEscape(ref)
		c.do("POST", "/cases", doTok, map[string]any{"ref": ref, "occurred_at": "2026-03-02", "data": openedData}, http.StatusCreated)
		for _, u := range []throughline.User{rp, kim} {
			if err := s.SetCaseMember(ctx, "admin", ref, "user", u.ID, true); err != nil {
				t.Fatal(err)
			}
		}

		// Designation: by the case's supervisor of the role's agency only
		// (the officer on the team is told so: they know the case exists),
		// of someone on the case who may hold it.
		des := func(tok, role, user string, want int) map[string]any {
			t.Helper()
			return c.do("POST", path+"/disclosure-designations", tok, map[string]any{"role": role, "user_id": user, "reason": "Trained for RASSO disclosure"}, want)
		}
		des(doTok, "disclosure_officer", do.ID, http.StatusForbidden)
		des(mgrTok, "disclosure_officer", do.ID, http.StatusForbidden)
		if b := des(mgrTok, "reviewing_prosecutor", outsider.ID, http.StatusUnprocessableEntity); !hasField(b, "user_id") {
			t.Errorf("a prosecutor not on the case: %v", b)
		}
		des(supTok, "disclosure_officer", do.ID, http.StatusCreated)
		des(mgrTok, "reviewing_prosecutor", rp.ID, http.StatusCreated)

		// A medical records request, its notice, sent.
		version := 3
		event := func(typ string, data map[string]any) {
			t.Helper()
			c.do("POST", path+"/events", doTok, map[string]any{"type": typ, "occurred_at": "2026-03-03", "expected_version": version, "data": data}, http.StatusCreated)
			version++
		}
		request := map[string]any{"request_id": "R1"}
		for k, v := range lawfulRequestForm() {
			request[k] = v[0]
		}
		request["material"], request["holder"] = "medical", "Her GP"
		delete(request, "probative_value")
		event("information_requested", request)
		event("victim_informed", map[string]any{"complainant_id": "C1", "about": "information_requested", "channel": "letter", "request_id": "R1"})
		event("information_request_sent", map[string]any{"complainant_id": "C1", "request_id": "R1"})

		// Storing: the named two only; bad fields named.
		good := map[string]any{"request_id": "R1", "title": "QZXTITLE GP record", "holder": "QZXHOLDER Dr Patel", "content_base64": base64.StdEncoding.EncodeToString([]byte("QZXCONTENT seen the next day"))}
		c.do("POST", path+"/material", kimTok, good, http.StatusNotFound)
		b := c.do("POST", path+"/material", doTok, map[string]any{"request_id": "", "title": "", "content_base64": ""}, http.StatusUnprocessableEntity)
		for _, f := range []string{"request_id", "title", "content_base64"} {
			if !hasField(b, f) {
				t.Errorf("a bad upload does not name %s: %v", f, b)
			}
		}
		if b := c.do("POST", path+"/material", doTok, map[string]any{"request_id": "R1", "title": "x", "content_base64": "not base64!"}, http.StatusUnprocessableEntity); !hasField(b, "content_base64") {
			t.Errorf("bad base64: %v", b)
		}
		if b := c.do("POST", path+"/material", doTok, good, http.StatusCreated); b["id"] != "M1" {
			t.Fatalf("stored %v", b)
		}

		// Opening: the named two with a justification; a colleague on the
		// team gets the 404 of a case that does not exist.
		missing := c.do("GET", "/cases/13RS0000499-26/material/M1", kimTok, nil, http.StatusNotFound)
		refused := c.do("GET", path+"/material/M1", kimTok, nil, http.StatusNotFound)
		if strings.ReplaceAll(jsonText(refused), ref, "REF") != strings.ReplaceAll(jsonText(missing), "13RS0000499-26", "REF") {
			t.Errorf("the refusal differs from a case that does not exist:\n%s\n%s", jsonText(refused), jsonText(missing))
		}
		if b := c.do("GET", path+"/material/M1", rpTok, nil, http.StatusUnprocessableEntity); !hasField(b, "Throughline-Justification") {
			t.Errorf("no justification: %v", b)
		}
		c.header = http.Header{"Throughline-Justification": {"Reviewing it for the disclosure schedule"}}
		got := c.do("GET", path+"/material/M1", rpTok, nil, http.StatusOK)
		if content, _ := base64.StdEncoding.DecodeString(got["content_base64"].(string)); string(content) != "QZXCONTENT seen the next day" || got["holder"] != "QZXHOLDER Dr Patel" {
			t.Errorf("opened %v", got)
		}
		c.do("GET", path+"/material/M1", kimTok, nil, http.StatusNotFound)

		// A redacted copy, for the team.
		c.do("POST", path+"/material/M1/redactions", kimTok, map[string]any{"title": "GP record (redacted)", "content_base64": "eA==", "reason": "Only the injuries seen bear on the issues."}, http.StatusNotFound)
		copyID := c.do("POST", path+"/material/M1/redactions", rpTok, map[string]any{"title": "GP record (redacted)", "content_base64": base64.StdEncoding.EncodeToString([]byte("Bruising to the left arm.")), "reason": "Only the injuries seen bear on the issues."}, http.StatusCreated)["id"].(string)
		c.header = nil
		if b := c.do("GET", path+"/material/"+copyID, kimTok, nil, http.StatusOK); b["redacted_from"] != "M1" || strings.Contains(jsonText(b), "QZX") {
			t.Errorf("the team's copy: %v", b)
		}

		// Every access by the two, with its justification, in the log.
		log, err := s.Consultations(ctx, throughline.ConsultationFilter{CaseRef: ref, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var seen []string
		for _, e := range log {
			if len(e.Parts) == 1 && e.Parts[0] == throughline.PartRestricted {
				seen = append(seen, e.UserName+": "+e.Target+": "+e.Purpose)
			}
		}
		want := "Ruth Adeyemi: restricted material: redact M1 as M1-R1: reviewing prosecutor: Only the injuries seen bear on the issues.\n" +
			"Ruth Adeyemi: restricted material: download M1: reviewing prosecutor: Reviewing it for the disclosure schedule\n" +
			"Dev Singh: restricted material: upload M1: disclosure officer: stored in answer to request R1"
		if strings.Join(seen, "\n") != want {
			t.Errorf("the access log of restricted material:\n%s\nwant\n%s", strings.Join(seen, "\n"), want)
		}
	})
}

func jsonText(v any) string { return string(mustJSON(v)) }
