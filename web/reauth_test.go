package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"throughline"
)

// ASVS 5.0 V7.5, as a class: every route that changes who may do what
// (every POST under /admin/, and every POST whose first action is to
// administer or to manage a case team) asks for a sign-in proof within
// throughline.ReauthWithin. The route table is hunted for them; then, on a
// running server whose handlers are probes, a session proven six minutes
// ago goes to /reauth, back to the form's page, and reaches no handler;
// proven again, it does.
func TestAdministrationAsksForAFreshProof(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	const ref = "13RS0000902/24"
	st := routeStore(t, ref, func() time.Time { return now })
	sessions := map[string]string{}
	for _, role := range []string{throughline.RoleAdmin, throughline.RolePoliceSupervisor} {
		u, _, err := st.AddUser(ctx, role, role, "police:13")
		if err != nil {
			t.Fatal(err)
		}
		if sessions[role], err = st.CreateSession(ctx, u, throughline.SessionActive, "password"); err != nil {
			t.Fatal(err)
		}
	}

	s := &Server{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return now }}
	h, err := s.handlers()
	if err != nil {
		t.Fatal(err)
	}
	routes := s.routes(h)
	gets := map[string]bool{}
	for _, rt := range routes {
		gets[rt.pattern] = true
	}
	var reached string
	for i := range routes {
		pattern := routes[i].pattern
		routes[i].handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached = pattern })
	}
	srv := httptest.NewServer(s.handler(routes))
	t.Cleanup(srv.Close)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(role, path string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(""))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: "throughline", Value: sessions[role]})
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}

	found := 0
	for _, rt := range routes {
		method, path, _ := strings.Cut(rt.pattern, " ")
		changesWho := method == "POST" && rt.access == accessPolicy &&
			(strings.HasPrefix(path, "/admin/") || rt.actions[0] == throughline.ActionAdminister || rt.actions[0] == throughline.ActionManageCaseTeam)
		if !changesWho {
			continue
		}
		found++
		if rt.back == "" {
			t.Errorf("%s changes who may do what, and asks for no fresh proof", rt.pattern)
			continue
		}
		if !gets["GET "+rt.back] {
			t.Errorf("%s goes back to %s, which is no page", rt.pattern, rt.back)
		}
		role := throughline.RoleAdmin
		if rt.actions[0] == throughline.ActionManageCaseTeam {
			role = throughline.RolePoliceSupervisor
		}
		fill := strings.NewReplacer("{ref}", url.PathEscape(ref), "{id}", "x1")
		path = fill.Replace(path)

		now = now.Add(throughline.ReauthWithin + time.Minute) // the proof is stale
		reached = ""
		resp := post(role, path)
		want := "/reauth?next=" + url.QueryEscape(fill.Replace(rt.back))
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want || reached != "" {
			t.Errorf("%s with a stale proof: %d %q, handler %q reached", rt.pattern, resp.StatusCode, resp.Header.Get("Location"), reached)
		}
		if err := st.Reauthenticated(ctx, sessions[role]); err != nil {
			t.Fatal(err)
		}
		if post(role, path); reached != rt.pattern {
			t.Errorf("%s with a fresh proof: handler %q reached", rt.pattern, reached)
		}
	}
	if found < 9 {
		t.Fatalf("only %d routes that change who may do what found", found)
	}
}
