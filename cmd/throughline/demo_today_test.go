package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"throughline"
	"throughline/identity"
	"throughline/web"
	"throughline/wire"
)

// Each demo user's today page, on serve --demo's caseload, has something
// in every section: no list is stuck in its empty state, except those
// named here with the reason it must be empty.
func TestDemoTodayHasNoSectionStuckEmpty(t *testing.T) {
	ctx := context.Background()
	s, users, accounts := demoCaseload(t)
	// Empty by design on a demo's first start: nobody has broken the glass
	// on a case yet, nor been locked out, nor asked to join a case team.
	allowed := map[string][]string{
		throughline.RolePoliceSupervisor: {"Emergency access to review"},
		// Every demo user here has set up an authenticator (a demo's first
		// start lists them all as not set up yet).
		throughline.RoleAdmin: {"Sign-ins locked after failed attempts", "Case team requests waiting for a second person", "Accounts not set up yet"},
	}
	// What demo_today.go adds, where chance would leave it out.
	shows := map[string][]string{
		throughline.RolePoliceSupervisor: {"Custody time limit in the Crown Court"},
		throughline.RoleCPSManager:       {"Custody time limit in the Crown Court", "Review the unused material schedule"},
		throughline.RoleWitnessCare:      {"a weekday evening after 6pm", "A message could not be delivered"},
		throughline.RoleInspector:        {"Hearings in the next 14 days"},
	}
	ws := &web.Server{Store: wire.Backend{Store: s, Service: accounts}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: s.Now, Context: ctx}
	srv := httptest.NewServer(ws.Handler())
	defer srv.Close()
	section := regexp.MustCompile(`(?s)<h2 class="govuk-heading-m">([^<]*)</h2>\s*(?:<p class="govuk-body">[^<]*</p>\s*)?<p class="govuk-body app-panel-empty">`)
	for i, d := range demoUsers {
		if d.role == throughline.RoleCommissioner {
			continue // lands on the national measures, not a today page
		}
		t.Run(d.role, func(t *testing.T) {
			u := users[d.role]
			secret := []byte(fmt.Sprintf("demo-secret-%04d", i))
			password := "demo-password-" + d.login
			if err := accounts.SetPassword(ctx, u.ID, d.login, password); err != nil {
				t.Fatal(err)
			}
			if err := accounts.EnrolTOTP(ctx, u.ID, secret, 0); err != nil {
				t.Fatal(err)
			}
			jar, _ := cookiejar.New(nil)
			c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			post := func(path string, form url.Values) *http.Response {
				t.Helper()
				r, err := c.PostForm(srv.URL+path, form)
				if err != nil {
					t.Fatal(err)
				}
				r.Body.Close()
				return r
			}
			if r := post("/sign-in", url.Values{"login": {d.login}, "password": {password}}); r.StatusCode != http.StatusSeeOther {
				t.Fatalf("sign in: %d", r.StatusCode)
			}
			if r := post("/sign-in/code", url.Values{"code": {identity.TOTP(secret, s.Now())}}); r.StatusCode != http.StatusSeeOther {
				t.Fatalf("code: %d", r.StatusCode)
			}
			r, err := c.Get(srv.URL + "/")
			if err != nil {
				t.Fatal(err)
			}
			r.Body.Close()
			home := r.Header.Get("Location")
			r, err = c.Get(srv.URL + home)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(r.Body)
			r.Body.Close()
			if r.StatusCode != http.StatusOK || !strings.Contains(string(b), ">Today</h1>") {
				t.Fatalf("GET %s: %d, not a today page", home, r.StatusCode)
			}
			for _, w := range shows[d.role] {
				if !strings.Contains(string(b), w) {
					t.Errorf("the demo %s's today page does not show %q", d.role, w)
				}
			}
			var empty []string
			for _, m := range section.FindAllStringSubmatch(string(b), -1) {
				empty = append(empty, m[1])
			}
			slices.Sort(empty)
			want := slices.Sorted(slices.Values(allowed[d.role]))
			if !slices.Equal(empty, want) {
				t.Errorf("the demo %s's today page has these sections empty: %q; want only %q", d.role, empty, want)
			}
		})
	}
}
