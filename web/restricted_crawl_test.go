package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"throughline"
	"throughline/envelope"
	"throughline/restricted"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
	"throughline/wire"
)

// The restricted material crawl (issue 16, ADR 0402). A case holds
// restricted material with a marker in its content, its title and who sent
// it, and a redacted copy without them. Every route of the route table —
// every page and API call, GET and POST, with every material id — is
// requested by a member of staff of every role who is not one of the
// case's named two: on the team, supervising the case, off it, with a
// break-glass, and the disclosure officer replaced by another. None may
// find a marker in any response body or header, and none may appear in the
// server's log. The control: the named two, who open it with a
// justification, see the markers, and each of their accesses is in the
// case's access log.

var restrictedMarkers = []string{"QZXMATCONTENT", "QZXMATTITLE", "QZXMATHOLDER"}

const materialRef = "13RS0000888/26"

func TestRestrictedMaterialSeenByTheNamedTwoOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		raw, err := sqlstore.Open(ctx, dsn, wire.Rules())
		if err != nil {
			t.Fatal(err)
		}
		st := wire.NewBackend(raw)
		t.Cleanup(func() { st.Close() })
		now := func() time.Time { return time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC) }
		st.Now = now
		if err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		type caller struct {
			who, session, token string
			user                throughline.User
		}
		var callers []caller
		add := func(who, role, agency string, team bool) caller {
			u, token, err := st.AddUser(ctx, who, role, agency)
			if err != nil {
				t.Fatal(err)
			}
			if team {
				if err := st.SetCaseMember(ctx, "test", materialRef, "user", u.ID, true); err != nil {
					t.Fatal(err)
				}
			}
			session, err := st.CreateSession(ctx, u, throughline.SessionActive, "password")
			if err != nil {
				t.Fatal(err)
			}
			return caller{who: who, session: session, token: token, user: u}
		}
		scope := throughline.CaseScope{Ref: materialRef, Force: "13", CPSArea: "yorkshire_humberside"}
		// The case, with a medical records request sent.
		for _, l := range []string{
			`{"type":"case_opened","occurred_at":"2026-11-02","data":{"force":"13","cps_area":"yorkshire_humberside","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"Alys Morgan","sex":"female","language":"en"}],"suspects":[{"id":"D1","name":"Dai Evans"}]}}`,
			`{"type":"information_requested","occurred_at":"2026-11-20","data":{"complainant_id":"C1","request_id":"R1","material":"medical","holder":"Her GP","holder_belief":"She said in interview she saw her GP the next day.",` +
				`"line_of_enquiry":"Injuries recorded the next day bear on consent and timing.","necessity":"Only the record of that one visit is sought.","reason":"To see what your GP wrote after the attack.","handling":"Only the officer and the prosecutor will read it."}}`,
			`{"type":"victim_informed","occurred_at":"2026-11-20","data":{"complainant_id":"C1","about":"information_requested","channel":"letter","request_id":"R1"}}`,
			`{"type":"information_request_sent","occurred_at":"2026-11-21","data":{"complainant_id":"C1","request_id":"R1"}}`,
		} {
			e, err := throughline.ParseEvent([]byte(`{"case":"` + materialRef + `",` + l[1:]))
			if err != nil {
				t.Fatal(err)
			}
			e.Actor, e.Agency = "import", "police:13"
			if _, _, err := st.Append(ctx, e, throughline.AnyVersion); err != nil {
				t.Fatalf("%s: %v", l, err)
			}
		}
		former := add("former disclosure officer", throughline.RoleOfficer, "police:13", true)
		do := add("disclosure officer", throughline.RoleOfficer, "police:13", true)
		rp := add("reviewing prosecutor", throughline.RoleProsecutor, "cps:yorkshire_humberside", true)
		sup := add("police supervisor of the force (designates)", throughline.RolePoliceSupervisor, "police:13", false)
		mgr := add("CPS manager of the area (designates)", throughline.RoleCPSManager, "cps:yorkshire_humberside", false)
		key, err := envelope.ParseKey(envelope.NewKeyText())
		if err != nil {
			t.Fatal(err)
		}
		svc := &restricted.Service{Store: st, Key: key, Now: now}
		load := func(u throughline.User) restricted.Access {
			c, err := st.Case(ctx, materialRef)
			if err != nil {
				t.Fatal(err)
			}
			rel, err := st.Relation(ctx, u, materialRef)
			if err != nil {
				t.Fatal(err)
			}
			return restricted.Access{User: u, Case: c, Relation: rel, Channel: throughline.ChannelPage}
		}
		for _, d := range []struct {
			by     caller
			role   string
			holder caller
		}{{sup, throughline.DisclosureOfficer, former}, {mgr, throughline.ReviewingProsecutor, rp}} {
			if err := svc.Designate(ctx, load(d.by.user), d.role, d.holder.user.ID, "Allocated to the case", st); err != nil {
				t.Fatal(err)
			}
		}
		// The former disclosure officer stores it, then is replaced.
		if _, err := svc.Receive(ctx, load(former.user), restricted.Upload{RequestID: "R1", Title: "QZXMATTITLE GP record", Holder: "QZXMATHOLDER Dr Patel", Content: []byte("QZXMATCONTENT bruising seen; she said she had not slept")}); err != nil {
			t.Fatal(err)
		}
		if err := svc.Designate(ctx, load(sup.user), throughline.DisclosureOfficer, do.user.ID, "The first is on leave until the trial", st); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Redact(ctx, load(rp.user), "M1", restricted.Item{Title: "GP record (redacted)", Content: []byte("Bruising to the left arm.")}, "Her own account to her GP bears on no issue."); err != nil {
			t.Fatal(err)
		}

		// Everyone else: every role, on the team and off it.
		callers = append(callers, former, sup, mgr)
		for _, role := range throughline.Roles {
			agency := matrixUsers[role].Agency
			callers = append(callers, add(throughline.RoleName(role)+" on the team", role, agency, true))
			if _, supervisor := throughline.Supervised(matrixUsers[role]); !supervisor {
				callers = append(callers, add(throughline.RoleName(role)+" off the team", role, agency, false))
			}
		}
		glass := add("officer with a break-glass", throughline.RoleOfficer, "police:13", false)
		if _, err := st.BreakGlass(ctx, glass.user, scope, "Suspect arrested overnight, custody decision due"); err != nil {
			t.Fatal(err)
		}
		callers = append(callers, glass)
		for _, c := range callers {
			if c.user.Role == throughline.RoleISVA {
				if err := st.RecordConsent(ctx, throughline.Consent{CaseRef: materialRef, ComplainantID: "C1", ISVAAgency: c.user.Agency, Given: true, RecordedBy: "test"}); err != nil {
					t.Fatal(err)
				}
			}
		}

		logs := &lockedBuffer{}
		s := &Server{Store: st, Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})), Now: now, MaterialKey: key}
		h, err := s.handlers()
		if err != nil {
			t.Fatal(err)
		}
		routes := s.routes(h)
		srv := httptest.NewServer(s.handler(routes))
		t.Cleanup(srv.Close)
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		const justification = "I need to see it for the file review today"
		request := func(c caller, method, path, form string) (int, string) {
			t.Helper()
			var body io.Reader
			if method != http.MethodGet {
				body = strings.NewReader(form)
			}
			req, _ := http.NewRequest(method, srv.URL+path, body)
			if strings.HasPrefix(path, "/api/") {
				req.Header.Set("Authorization", "Bearer "+c.token)
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Throughline-Justification", justification)
			} else {
				req.AddCookie(&http.Cookie{Name: "throughline", Value: c.session})
				if method != http.MethodGet {
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			var hdr strings.Builder
			for k, vs := range resp.Header {
				hdr.WriteString(k + ": " + strings.Join(vs, ", ") + "\n")
			}
			return resp.StatusCode, hdr.String() + "\n" + string(b)
		}
		marked := func(text string) []string {
			var out []string
			for _, m := range restrictedMarkers {
				if strings.Contains(strings.ToLower(text), strings.ToLower(m)) {
					out = append(out, m)
				}
			}
			return out
		}

		// Every route, with every id and type.
		values := map[string][]string{
			"{ref}":  {url.PathEscape(materialRef)},
			"{type}": throughline.EventTypes(),
			"{id}":   {"M1", "M1-R1", "M2", "x"},
		}
		var paths [][2]string
		for _, rt := range routes {
			method, pattern, _ := strings.Cut(rt.pattern, " ")
			expanded := []string{pattern}
			for param, vs := range values {
				var next []string
				for _, p := range expanded {
					if !strings.Contains(p, param) {
						next = append(next, p)
						continue
					}
					for _, v := range vs {
						next = append(next, strings.ReplaceAll(p, param, v))
					}
				}
				expanded = next
			}
			for _, p := range expanded {
				paths = append(paths, [2]string{method, p})
				if method == http.MethodGet && !strings.Contains(pattern, "{") {
					paths = append(paths, [2]string{method, p + "?q=QZXMAT"})
				}
			}
		}
		sort.Slice(paths, func(i, j int) bool { return paths[i][1] < paths[j][1] })
		form := url.Values{"justification": {justification}, "verb": {"view"}, "request_id": {"R1"}, "title": {"t"}, "content": {"c"}, "reason": {"Wanting to see what it holds today"}}.Encode()

		// The control: the named two see it, each access logged.
		open := "/cases/" + url.PathEscape(materialRef) + "/material/M1"
		for _, c := range []caller{do, rp} {
			if status, body := request(c, "POST", open, form); status != http.StatusOK || len(marked(body)) != 3 {
				t.Fatalf("%s opens the material (control): %d %v", c.who, status, marked(body))
			}
			if status, body := request(c, "GET", "/api/v1"+strings.TrimPrefix(open, ""), ""); status != http.StatusOK || len(marked(body)) != 2 {
				// The API carries the content base64: the title and holder show.
				t.Fatalf("%s opens the material through the API (control): %d %v", c.who, status, marked(body))
			}
		}
		log, err := st.Consultations(ctx, throughline.ConsultationFilter{CaseRef: materialRef, Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		accesses := map[string]int{}
		for _, e := range log {
			if len(e.Parts) == 1 && e.Parts[0] == throughline.PartRestricted && strings.HasSuffix(e.Purpose, justification) {
				accesses[e.UserID]++
			}
		}
		if accesses[do.user.ID] != 2 || accesses[rp.user.ID] != 2 {
			t.Errorf("the named two's accesses in the log: %v, want 2 each", accesses)
		}

		requests := 0
		for _, c := range callers {
			for _, mp := range paths {
				status, resp := request(c, mp[0], mp[1], form)
				requests++
				if m := marked(resp); len(m) > 0 {
					t.Errorf("%s %s as %s: %d shows %v", mp[0], mp[1], c.who, status, m)
				}
			}
			// The redacted copy is the team's (control: the crawl reaches it).
			if status, body := request(c, "GET", "/cases/"+url.PathEscape(materialRef)+"/material/M1-R1", ""); c.user.Role == throughline.RoleOfficer && c.who == "officer on the team" && (status != http.StatusOK || !strings.Contains(body, "Bruising")) {
				t.Errorf("the redacted copy as %s: %d", c.who, status)
			}
		}
		log, err = st.Consultations(ctx, throughline.ConsultationFilter{CaseRef: materialRef, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range log {
			if len(e.Parts) == 1 && e.Parts[0] == throughline.PartRestricted && e.UserID != do.user.ID && e.UserID != rp.user.ID && !strings.Contains(e.Target, "upload") {
				t.Errorf("%s (%s) reached restricted material: %s", e.UserName, e.Role, e.Target)
			}
		}
		if m := marked(logs.String()); len(m) > 0 {
			t.Errorf("the server's log holds %v", m)
		}
		t.Logf("%d requests by %d people", requests, len(callers))
	})
}
