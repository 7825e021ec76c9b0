package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"throughline"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
	"throughline/wire"
)

// routeStore is a SQLite store with one case of force 13, ref, telling
// the time by now (nil: the store's own clock).
func routeStore(t *testing.T, ref string, now func() time.Time) wire.Backend {
	t.Helper()
	ctx := context.Background()
	raw, err := sqlstore.Open(ctx, storetest.DSNs(t)["sqlite"], wire.Rules())
	if err != nil {
		t.Fatal(err)
	}
	if now != nil {
		raw.Now = now
	}
	st := wire.NewBackend(raw)
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	e, err := throughline.ParseEvent([]byte(`{"case":"` + ref + `","type":"case_opened","occurred_at":"2025-01-10","data":{"force":"13","cps_area":"yorkshire_humberside","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"Olivia Stone"}],"suspects":[{"id":"D1","name":"Mark Rowe"}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	e.Actor, e.Agency = "import", "police:13"
	if _, _, err := st.Append(ctx, e, 0); err != nil {
		t.Fatal(err)
	}
	return st
}

// The route table is the guard. On a running server, every handler is
// replaced by a probe that answers "reached" and asks the policy nothing:
// each route × role answers as the access matrix says, so the middleware
// alone keeps out whoever the matrix keeps out. A route registered without
// an access kind is never reached, by anyone.
func TestTheRouteTableIsTheGuard(t *testing.T) {
	ctx := context.Background()
	const ref = "13RS0000901/24"
	st := routeStore(t, ref, nil)

	// One user of each role; those whose relation is relTeam are put on the
	// case team (the ISVA with the victim's consent), the others are not.
	type caller struct {
		role, session, token string
		rel                  rune
	}
	var callers []caller
	add := func(role, agency string, rel rune) {
		u, token, err := st.AddUser(ctx, role, role, agency)
		if err != nil {
			t.Fatal(err)
		}
		if rel == relTeam {
			if err := st.SetCaseMember(ctx, "test", ref, "user", u.ID, true); err != nil {
				t.Fatal(err)
			}
		}
		session, err := st.CreateSession(ctx, u, throughline.SessionActive, "password")
		if err != nil {
			t.Fatal(err)
		}
		callers = append(callers, caller{role, session, token, rel})
	}
	for _, role := range throughline.Roles {
		rel := relSameScope
		switch role {
		// The commissioner is put on the team too: even so, no case route
		// answers them.
		case throughline.RoleOfficer, throughline.RoleProsecutor, throughline.RoleWitnessCare, throughline.RoleISVA, throughline.RoleInspector, throughline.RoleCommissioner:
			rel = relTeam
		}
		if role == throughline.RoleISVA || role == throughline.RoleInspector {
			if rel != relTeam {
				rel = relOther
			}
		}
		add(role, matrixUsers[role].Agency, rel)
	}
	add(throughline.RoleOfficer, "police:01", relOther) // an officer of another force
	if err := st.RecordConsent(ctx, throughline.Consent{CaseRef: ref, ComplainantID: "C1", ISVAAgency: matrixUsers[throughline.RoleISVA].Agency, Given: true, RecordedBy: "test"}); err != nil {
		t.Fatal(err)
	}

	s := &Server{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	h, err := s.handlers()
	if err != nil {
		t.Fatal(err)
	}
	probe := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "reached") })
	routes := s.routes(h)
	for i := range routes {
		routes[i].handler = probe
	}
	unguarded := []route{
		{pattern: "GET /unguarded", handler: probe},
		{pattern: "GET /cases/{ref}/no-actions", access: accessPolicy, auth: s.signedIn, handler: probe},
		{pattern: "GET /cases/{ref}/unknown-kind", access: "team", actions: []string{throughline.ActionReadCase}, auth: s.signedIn, handler: probe},
	}
	srv := httptest.NewServer(s.handler(append(slices.Clone(routes), unguarded...)))
	t.Cleanup(srv.Close)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	call := func(c caller, method, path string, api bool) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		if api {
			req.Header.Set("Authorization", "Bearer "+c.token)
		} else {
			req.AddCookie(&http.Cookie{Name: "throughline", Value: c.session})
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	checked := 0
	for _, rt := range routes {
		if rt.access != accessPolicy && rt.access != accessSession {
			continue
		}
		method, path, _ := strings.Cut(rt.pattern, " ")
		path = strings.NewReplacer("{ref}", url.PathEscape(ref), "{type}", "charged", "{id}", "x").Replace(path)
		api := strings.HasPrefix(path, "/api/")
		for _, c := range callers {
			want := true // a session route: anyone signed in
			if rt.access == accessPolicy {
				action := rt.actions[0]
				switch {
				case strings.Contains(rt.pattern, "{ref}"):
					want = strings.ContainsRune(matrix[action][c.role], c.rel)
				case throughline.IsCaseAction(action):
					want = matrix[action][c.role] != "" // on some case
				default:
					want = slices.Contains(nonCase[action], c.role)
				}
			}
			status, body := call(c, method, path, api)
			reached := status == http.StatusOK && body == "reached"
			if reached != want {
				t.Errorf("%s %s as %s (%c): %d %.60q, want reached %t", method, path, c.role, c.rel, status, body, want)
			}
			if !reached && status != http.StatusNotFound && status != http.StatusForbidden {
				t.Errorf("%s %s as %s: refused with %d, want 403 or 404", method, path, c.role, status)
			}
			checked++
		}
		// Nobody signed in is sent to sign in (pages) or refused (API).
		status, _ := call(caller{}, method, path, api)
		if status != http.StatusSeeOther && status != http.StatusUnauthorized {
			t.Errorf("%s %s signed out: %d", method, path, status)
		}
	}
	if checked == 0 {
		t.Fatal("no route checked")
	}
	for _, rt := range unguarded {
		_, path, _ := strings.Cut(rt.pattern, " ")
		path = strings.ReplaceAll(path, "{ref}", url.PathEscape(ref))
		for _, c := range callers {
			if status, body := call(c, "GET", path, false); status != http.StatusNotFound || body == "reached" {
				t.Errorf("%s as %s: %d %q: a route without a known access kind and actions was reached", path, c.role, status, body)
			}
		}
	}
}
