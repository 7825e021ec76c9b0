package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"throughline/sqlstore/storetest"
)

// One styled error page for every error: a path no route serves, or a
// method its route does not take, is the styled page (JSON under /api/),
// signed in or not, never the mux's plain text.
func TestUnroutedIsTheStyledErrorPage(t *testing.T) {
	s := newSite(t, storetest.DSNs(t)["sqlite"])
	for _, tc := range []struct {
		method, path string
		status       int
		json         bool
	}{
		{"GET", "/no/such/page", 404, false},
		{"GET", "/cases/" + testRef + "/no-such-tab", 404, false},
		{"GET", "/admin/nothing-here", 404, false},
		{"GET", "/victim/nothing-here", 404, false},
		{"GET", "/api/v1/no-such-thing", 404, true},
		{"DELETE", "/sign-in", 405, false},
	} {
		req, _ := http.NewRequest(tc.method, s.srv.URL+tc.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		body, ct := string(b), resp.Header.Get("Content-Type")
		if resp.StatusCode != tc.status {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, resp.StatusCode, tc.status)
		}
		if tc.json {
			if !strings.HasPrefix(ct, "application/json") || !strings.Contains(body, `"code":"not_found"`) {
				t.Errorf("%s %s: %s %q", tc.method, tc.path, ct, body)
			}
			continue
		}
		if !strings.HasPrefix(ct, "text/html") || !strings.Contains(body, "<!DOCTYPE html>") || !strings.Contains(body, "govuk-template") || !strings.Contains(body, "Page not found") {
			t.Errorf("%s %s: not the styled error page: %s %q", tc.method, tc.path, ct, body)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s %s: no security headers", tc.method, tc.path)
		}
		if tc.status == 405 && resp.Header.Get("Allow") == "" {
			t.Errorf("%s %s: 405 without Allow", tc.method, tc.path)
		}
	}
}
