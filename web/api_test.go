package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"throughline/wire"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"

	"throughline/identity"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
	"throughline/web"
	"throughline/web/api"
)

type apiClient struct {
	t   *testing.T
	srv *httptest.Server
	// header is sent with every request (the justification of an access
	// to restricted material).
	header   http.Header
	validate func(req *http.Request, body []byte, resp *http.Response, respBody []byte)
}

// apiStore is the store and the identity service over it, as the tests
// use them.
type apiStore struct {
	*sqlstore.Store
	*identity.Service
}

func newAPI(t *testing.T, dsn string) (*apiClient, apiStore) {
	t.Helper()
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, dsn, wire.Rules())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	id := identity.New(s, time.Now)
	h := (&web.Server{Store: wire.Backend{Store: s, Service: id}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: time.Now, MaterialKey: testMaterialKey(t)}).Handler()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	loader := openapi3.NewLoader()
	raw, err := api.OpenAPI()
	if err != nil {
		t.Fatalf("openapi document does not build: %v", err)
	}
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		t.Fatalf("openapi document does not load: %v", err)
	}
	if err := doc.Validate(ctx); err != nil {
		t.Fatalf("openapi document is not valid: %v", err)
	}
	doc.Servers = openapi3.Servers{{URL: srv.URL + "/api/v1"}}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	c := &apiClient{t: t, srv: srv}
	c.validate = func(req *http.Request, body []byte, resp *http.Response, respBody []byte) {
		t.Helper()
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Fatalf("%s %s is not in the OpenAPI document: %v", req.Method, req.URL, err)
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		if resp.StatusCode < 400 {
			if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
				t.Errorf("request %s %s does not match the document: %v", req.Method, req.URL, err)
			}
		}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
			Body: io.NopCloser(bytes.NewReader(respBody)), Options: &openapi3filter.Options{IncludeResponseStatus: true}}
		if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
			t.Errorf("response to %s %s (%d) does not match the document: %v\n%s", req.Method, req.URL, resp.StatusCode, err, respBody)
		}
	}
	return c, apiStore{s, id}
}

// do sends a request and validates both halves against the OpenAPI document.
func (c *apiClient) do(method, path, token string, body any, want int) map[string]any {
	c.t.Helper()
	var raw []byte
	if body != nil {
		raw, _ = json.Marshal(body)
	}
	req, _ := http.NewRequest(method, c.srv.URL+"/api/v1"+path, bytes.NewReader(raw))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range c.header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	respBody, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, resp.StatusCode, want, respBody)
	}
	c.validate(req, raw, resp, respBody)
	var out map[string]any
	json.Unmarshal(respBody, &out)
	return out
}

var openedData = map[string]any{
	"force": "13", "cps_area": "yorkshire_humberside",
	"offences":     []any{map[string]any{"ho_code": "19C", "cjs_code": "SX03002"}},
	"complainants": []any{map[string]any{"id": "C1", "name": "Amelia Hart", "language": "cy"}},
	"suspects":     []any{map[string]any{"id": "D1", "name": "Daniel Ross"}},
}

func TestAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		c, s := newAPI(t, dsn)
		ctx := context.Background()
		_, officer, _ := s.AddUser(ctx, "Priya Shah", "officer", "police:13")
		ruth, cps, _ := s.AddUser(ctx, "Ruth Adeyemi", "prosecutor", "cps:yorkshire_humberside")
		_, outsider, _ := s.AddUser(ctx, "Jo Bloggs", "officer", "police:01")
		_, admin, _ := s.AddUser(ctx, "Admin", "admin", "police:13")

		c.do("GET", "/cases", "", nil, http.StatusUnauthorized)
		c.do("GET", "/cases", "tl_not-a-token", nil, http.StatusUnauthorized)

		created := c.do("POST", "/cases", officer, map[string]any{"ref": "13-API-0001", "occurred_at": "2025-03-03", "data": openedData}, http.StatusCreated)
		if created["version"] != 1.0 {
			t.Fatalf("created: %v", created)
		}
		c.do("POST", "/cases", officer, map[string]any{"ref": "13-API-0001", "occurred_at": "2025-03-03", "data": openedData}, http.StatusConflict)
		c.do("POST", "/cases", cps, map[string]any{"ref": "13-API-0002", "occurred_at": "2025-03-03", "data": openedData}, http.StatusForbidden)
		// Need-to-know follows the case team: the officer who opened the case
		// is on it; the prosecutor sees it once put on it.
		c.do("GET", "/cases/13-API-0001", cps, nil, http.StatusNotFound)
		if err := s.SetCaseMember(ctx, "admin", "13-API-0001", "user", ruth.ID, true); err != nil {
			t.Fatal(err)
		}

		// 422 with one message per invalid field.
		bad := c.do("POST", "/cases/13-API-0001/events", officer, map[string]any{"type": "charged", "occurred_at": "2025-13-01", "expected_version": 1,
			"data": map[string]any{"defendant_id": "D1", "offences": []any{map[string]any{"ho_code": "99Z", "cjs_code": "SX03002"}}, "method": "by_owl"}}, http.StatusUnprocessableEntity)
		fields := map[string]bool{}
		for _, f := range bad["error"].(map[string]any)["fields"].([]any) {
			fields[f.(map[string]any)["field"].(string)] = true
		}
		for _, f := range []string{"occurred_at", "data.offences[0].ho_code", "data.method"} {
			if !fields[f] {
				t.Errorf("422 lacks a message for %s: %v", f, bad)
			}
		}
		// The sequence is enforced: no charge without a decision to charge.
		seq := c.do("POST", "/cases/13-API-0001/events", officer, map[string]any{"type": "charged", "occurred_at": "2025-04-01", "expected_version": 1,
			"data": map[string]any{"defendant_id": "D1", "offences": []any{map[string]any{"ho_code": "19C", "cjs_code": "SX03002"}}, "method": "bail"}}, http.StatusUnprocessableEntity)
		if msg := seq["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "cannot be charged") {
			t.Errorf("sequence message: %q", msg)
		}
		c.do("POST", "/cases/13-API-0001/events", officer, map[string]any{"type": "file_submitted", "occurred_at": "2025-04-01", "expected_version": 1,
			"data": map[string]any{"suspect_id": "D1", "purpose": "charging_decision"}}, http.StatusCreated)
		// A stale version: 409 with the current version.
		conflict := c.do("POST", "/cases/13-API-0001/events", cps, map[string]any{"type": "charging_decision", "occurred_at": "2025-04-10", "expected_version": 1,
			"data": map[string]any{"suspect_id": "D1", "decision": "charge"}}, http.StatusConflict)
		if conflict["error"].(map[string]any)["current_version"] != 2.0 {
			t.Errorf("409 without current version: %v", conflict)
		}
		c.do("POST", "/cases/13-API-0001/events", cps, map[string]any{"type": "charging_decision", "occurred_at": "2025-04-10", "expected_version": 2,
			"data": map[string]any{"suspect_id": "D1", "decision": "charge"}}, http.StatusCreated)

		got := c.do("GET", "/cases/13-API-0001", cps, nil, http.StatusOK)
		if got["stage"] != "pre_charge" || got["complainants"].([]any)[0].(map[string]any)["language"] != "cy" {
			t.Errorf("case: %v", got)
		}
		dl := c.do("GET", "/cases/13-API-0001/deadlines", cps, nil, http.StatusOK)
		if _, ok := dl["deadlines"].([]any); !ok {
			t.Errorf("deadlines: %v", dl)
		}
		c.do("GET", "/cases/13-API-0001/deadlines", outsider, nil, http.StatusNotFound)
		evs := c.do("GET", "/cases/13-API-0001/events", officer, nil, http.StatusOK)
		if n := len(evs["events"].([]any)); n != 3 {
			t.Errorf("%d events, want 3", n)
		}
		list := c.do("GET", "/cases?force=13&limit=10", officer, nil, http.StatusOK)
		if n := len(list["cases"].([]any)); n != 1 {
			t.Errorf("officer lists %d cases, want 1", n)
		}
		c.do("GET", "/cases?limit=0", officer, nil, http.StatusUnprocessableEntity)
		// Erasure is for records management at the command line, not for staff.
		c.do("POST", "/cases/13-API-0001/events", officer, map[string]any{"type": "case_erased", "occurred_at": "2025-05-01", "expected_version": 3, "data": map[string]any{"reason": "x"}}, http.StatusForbidden)
		c.do("POST", "/cases/13-API-0001/events", officer, map[string]any{"type": "contact_preferences_set", "occurred_at": "2025-05-01", "expected_version": 3,
			"data": map[string]any{"complainant_id": "C1", "channels": []string{"email"}, "email": "[erased]"}}, http.StatusUnprocessableEntity)

		// Another force cannot learn the case exists; nor can an administrator.
		c.do("GET", "/cases/13-API-0001", outsider, nil, http.StatusNotFound)
		c.do("GET", "/cases/13-API-0001/events", outsider, nil, http.StatusNotFound)
		c.do("POST", "/cases/13-API-0001/events", outsider, map[string]any{"type": "case_closed", "occurred_at": "2025-05-01", "expected_version": 3, "data": map[string]any{"reason": "x"}}, http.StatusNotFound)
		c.do("GET", "/cases/13-API-0001", admin, nil, http.StatusNotFound)
		if n := len(c.do("GET", "/cases", outsider, nil, http.StatusOK)["cases"].([]any)); n != 0 {
			t.Errorf("outsider lists %d cases", n)
		}
		c.do("GET", "/cases/NO-SUCH-CASE", officer, nil, http.StatusNotFound)
	})
}

// References with '/' (police URNs) travel encoded as %2F.
func TestAPISlashReference(t *testing.T) {
	c, s := newAPI(t, storetest.DSNs(t)["sqlite"])
	_, officer, _ := s.AddUser(context.Background(), "Priya Shah", "officer", "police:13")
	ref := "13RS0000101/24"
	raw, _ := json.Marshal(map[string]any{"ref": ref, "occurred_at": "2024-01-15", "data": openedData})
	req, _ := http.NewRequest("POST", c.srv.URL+"/api/v1/cases", bytes.NewReader(raw))
	req.Header.Set("Authorization", "Bearer "+officer)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: %v %v", resp.Status, err)
	}
	// The Location of the new case is escaped ('/' as %2F) and resolves.
	loc := resp.Header.Get("Location")
	if loc != "/api/v1/cases/13RS0000101%2F24" {
		t.Errorf("Location: %q", loc)
	}
	req, _ = http.NewRequest("GET", c.srv.URL+loc, nil)
	req.Header.Set("Authorization", "Bearer "+officer)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("get Location %s: %v %v", loc, resp.Status, err)
	}
	req, _ = http.NewRequest("GET", c.srv.URL+"/api/v1/cases/"+url.PathEscape(ref), nil)
	req.Header.Set("Authorization", "Bearer "+officer)
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("get %s: %v %v", ref, resp.Status, err)
	}
	var v api.CaseView
	json.NewDecoder(resp.Body).Decode(&v)
	if v.Ref != ref {
		t.Fatalf("got %q", v.Ref)
	}
}

// Security headers are on every response — a page, the API signed in and
// not, the portal, a static asset, a page that does not exist — and a
// cross-origin form post is refused. no-store keeps OFFICIAL-SENSITIVE
// pages out of shared and browser caches, so the back button on a shared
// computer shows nothing after sign-out.
func TestHardening(t *testing.T) {
	c, s := newAPI(t, storetest.DSNs(t)["sqlite"])
	_, officer, err := s.AddUser(context.Background(), "Priya Shah", "officer", "police:13")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/", "/api/v1/cases", "/victim", "/assets/app.css", "/no-such-page"} {
		for _, token := range []string{"", officer} {
			req, _ := http.NewRequest("GET", c.srv.URL+path, nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			// Our own stylesheet and scripts hold nothing of a case, so a
			// browser may keep them for an hour.
			cache := "no-store"
			if strings.HasPrefix(path, "/assets/") {
				cache = "public, max-age="
			}
			for h, want := range map[string]string{
				"Content-Security-Policy": "frame-ancestors 'none'", "X-Content-Type-Options": "nosniff",
				"X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer", "Cache-Control": cache,
			} {
				if !strings.Contains(resp.Header.Get(h), want) {
					t.Errorf("GET %s (signed in %v, %s): %s = %q, want it to contain %q", path, token != "", resp.Status, h, resp.Header.Get(h), want)
				}
			}
		}
	}
	req, _ := http.NewRequest("POST", c.srv.URL+"/api/v1/cases", strings.NewReader("{}"))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site POST: %v %v", resp.Status, err)
	}
	big := bytes.Repeat([]byte("x"), 2<<20)
	req, _ = http.NewRequest("POST", c.srv.URL+"/api/v1/cases", bytes.NewReader(big))
	req.Header.Set("Authorization", "Bearer nope")
	resp, _ = http.DefaultClient.Do(req)
	if resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized body: %s", resp.Status)
	}
}
