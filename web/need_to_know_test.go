package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"html"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/skip2/go-qrcode"

	"throughline"
	"throughline/identity"
	"throughline/sqlstore/storetest"
	"throughline/web"
)

func TestISVAAndInspectorViews(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		ctx := context.Background()
		ref := url.PathEscape(testRef)
		for _, k := range []string{"isva", "inspector"} {
			s.store.SetCaseMember(ctx, "test", testRef, "user", s.people[k].ID, true)
		}
		isva := s.signIn("isva")
		// On the team, but no consent yet: nothing.
		if r := isva.get("/cases/" + ref); r.status != http.StatusNotFound {
			t.Fatalf("ISVA without consent: %d", r.status)
		}
		if r := isva.get("/cases"); strings.Contains(r.body, testRef) {
			t.Fatal("ISVA lists a case without consent")
		}
		// The officer records the victim's consent.
		officer := s.signIn("officer")
		r := officer.post("/cases/"+ref+"/consent", url.Values{"complainant_id": {"C1"}, "isva_agency": {"isva:rape-crisis-leeds"}, "given": {"yes"}, "note": {"signed form"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("consent: %d %s", r.status, text(r.body))
		}
		page := isva.get("/cases/" + ref)
		if page.status != 200 || !strings.Contains(page.body, "Amelia Hart") || !strings.Contains(page.body, "victim-facing") {
			t.Fatalf("ISVA with consent: %d %s", page.status, text(page.body))
		}
		// Victim-facing only: no action plans, file submissions or offences.
		for _, hidden := range []string{"Action plan", "File sent to the CPS", "Early advice", "phone download", "Deadlines"} {
			if strings.Contains(page.body, hidden) {
				t.Errorf("ISVA sees %q", hidden)
			}
		}
		if !strings.Contains(page.body, "Charging decision") {
			t.Error("ISVA does not see the charging decision")
		}
		// Withdrawn consent: gone at once.
		officer.post("/cases/"+ref+"/consent", url.Values{"complainant_id": {"C1"}, "isva_agency": {"isva:rape-crisis-leeds"}, "given": {"no"}})
		if r := isva.get("/cases/" + ref); r.status != http.StatusNotFound {
			t.Fatalf("ISVA after withdrawal: %d", r.status)
		}

		// The inspector sees pseudonyms, the same on every view.
		insp := s.signIn("inspector")
		p1 := insp.get("/cases/" + ref)
		if p1.status != 200 || strings.Contains(p1.body, "Amelia") || strings.Contains(p1.body, "Daniel Ross") || strings.Contains(p1.body, "amelia@") {
			t.Fatalf("inspector sees names: %d %s", p1.status, text(p1.body))
		}
		pseud := regexp.MustCompile(`Complainant [A-Z2-9]{4}-[A-Z2-9]{2}`).FindString(p1.body)
		if pseud == "" {
			t.Fatalf("no pseudonym: %s", text(p1.body))
		}
		if p2 := s.signIn("inspector").get("/cases/" + ref); !strings.Contains(p2.body, pseud) {
			t.Fatal("pseudonym not stable")
		}
		// Search by a real name finds nothing for the inspector.
		if r := insp.get("/search?q=amelia"); strings.Contains(r.body, testRef) {
			t.Fatal("inspector found a case by a real name")
		}
		// The inspector, an auditor, reads the consultation log; that read is logged.
		al := insp.get("/cases/" + ref + "/access-log")
		if al.status != 200 || !strings.Contains(al.body, "Sam Okoro") || !strings.Contains(al.body, "Ana Lopes") {
			t.Fatalf("access log: %d %s", al.status, text(al.body))
		}
		log, _ := s.store.Consultations(ctx, throughline.ConsultationFilter{CaseRef: testRef, Limit: 1})
		if log[0].UserID != s.people["inspector"].ID || log[0].Parts[0] != throughline.PartConsultations {
			t.Fatalf("reading the log was not logged: %+v", log[0])
		}
		// The officer may not read the log.
		if r := officer.get("/cases/" + ref + "/access-log"); r.status != http.StatusNotFound {
			t.Fatalf("officer reads the access log: %d", r.status)
		}
	})
}

func TestBreakGlassAndAccessReview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		ctx := context.Background()
		ref := url.PathEscape(testRef)
		kim := s.signIn("colleague")
		nf := kim.get("/cases/" + ref)
		if nf.status != http.StatusNotFound || !strings.Contains(nf.body, "/break-glass?ref=") {
			t.Fatalf("404 offers no emergency access: %d", nf.status)
		}
		reason := "Suspect arrested overnight on a new allegation; checking bail conditions"
		// Signed in more than five minutes ago: prove it is you again.
		s.clock.Advance(6 * time.Minute)
		r := kim.post("/break-glass", url.Values{"ref": {testRef}, "reason": {reason}})
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/reauth?next=") {
			t.Fatalf("no re-authentication: %d %s", r.status, r.header.Get("Location"))
		}
		p := s.people["colleague"]
		s.clock.Advance(30 * time.Second)
		next, _ := url.QueryUnescape(strings.TrimPrefix(r.header.Get("Location"), "/reauth?next="))
		bad := kim.post("/reauth", url.Values{"password": {"wrong password here"}, "code": {totp(p, s)}, "next": {next}})
		if bad.status != http.StatusUnauthorized {
			t.Fatalf("reauth with a wrong password: %d", bad.status)
		}
		s.clock.Advance(30 * time.Second)
		ok := kim.post("/reauth", url.Values{"password": {p.password}, "code": {totp(p, s)}, "next": {next}})
		if ok.status != http.StatusSeeOther || ok.header.Get("Location") != next {
			t.Fatalf("reauth: %d %s", ok.status, ok.header.Get("Location"))
		}
		// A short reason is refused; a case of another force is "no case".
		if r := kim.post("/break-glass", url.Values{"ref": {testRef}, "reason": {"urgent"}}); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("short reason: %d", r.status)
		}
		s.openCase("01RS0000001/24", "01", "london_north")
		if r := kim.post("/break-glass", url.Values{"ref": {"01RS0000001/24"}, "reason": {reason}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "no case with this reference") {
			t.Fatalf("other force: %d %s", r.status, r.header.Get("Location"))
		}
		if r := kim.post("/break-glass", url.Values{"ref": {testRef}, "reason": {reason}}); r.status != http.StatusSeeOther {
			t.Fatalf("break glass: %d %s", r.status, text(r.body))
		}
		page := kim.get("/cases/" + ref)
		if page.status != 200 || !strings.Contains(page.body, "emergency access") || !strings.Contains(page.body, reason) {
			t.Fatalf("case after break-glass: %d %s", page.status, text(page.body))
		}
		// Read-only.
		if r := kim.get("/cases/" + ref + "/record/charged"); r.status != http.StatusNotFound {
			t.Fatalf("break-glass may record: %d", r.status)
		}
		log, _ := s.store.Consultations(ctx, throughline.ConsultationFilter{CaseRef: testRef, Limit: 1})
		if log[0].Basis != throughline.BasisBreakGlass || !strings.Contains(log[0].Purpose, reason) || log[0].BreakGlass == "" {
			t.Fatalf("break-glass consultation: %+v", log[0])
		}
		// Flagged to the supervisor, who reviews it.
		sup := s.signIn("supervisor")
		rv := sup.get("/access-review")
		if rv.status != 200 || !strings.Contains(rv.body, "Kim Lee") || !strings.Contains(rv.body, reason) {
			t.Fatalf("access review: %d %s", rv.status, text(rv.body))
		}
		gs, _ := s.store.BreakGlassGrants(ctx, throughline.BreakGlassFilter{Force: "13"})
		if r := sup.post("/access-review/"+gs[0].ID, url.Values{"outcome": {"justified"}}); r.status != http.StatusSeeOther {
			t.Fatalf("review: %d", r.status)
		}
		if r := sup.get("/access-review"); strings.Contains(r.body, "Kim Lee") {
			t.Fatal("reviewed access still waiting")
		}
		// Others cannot see the review page.
		if r := kim.get("/access-review"); r.status != http.StatusForbidden {
			t.Fatalf("officer sees access review: %d", r.status)
		}
		// After four hours, the glass is whole again.
		s.clock.Advance(throughline.BreakGlassFor)
		if r := s.signIn("colleague").get("/cases/" + ref); r.status != http.StatusNotFound {
			t.Fatalf("break-glass outlived its time: %d", r.status)
		}
	})
}

func totp(p person, s *site) string { return credentialTOTP(p.secret, s.clock.Now()) }

func TestSessionsEndOnIdleAndOnDisable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		ctx := context.Background()
		b := s.signIn("officer")
		s.clock.Advance(29 * time.Minute)
		if r := b.get("/cases"); r.status != 200 {
			t.Fatalf("after 29 minutes: %d", r.status)
		}
		s.clock.Advance(throughline.SessionIdle)
		if r := b.get("/cases"); r.status != http.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "ended=1") {
			t.Fatalf("idle session: %d %s", r.status, r.header.Get("Location"))
		}
		// Disabled by an administrator: the next request is refused.
		b = s.signIn("officer")
		admin := s.signIn("admin")
		o := s.people["officer"]
		r := admin.post("/admin/users/"+o.ID, url.Values{"name": {o.Name}, "role": {"officer"}, "agency": {"police:13"}, "login": {o.login}, "disabled": {"yes"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("disable: %d %s", r.status, text(r.body))
		}
		if r := b.get("/cases"); r.status != http.StatusSeeOther {
			t.Fatalf("disabled user still in: %d", r.status)
		}
		// A role change too.
		b = s.signIn("witness")
		w := s.people["witness"]
		if err := s.store.UpdateUser(ctx, "admin", w.ID, w.Name, "witness_care", "wcu:01", false); err != nil {
			t.Fatal(err)
		}
		if r := b.get("/cases"); r.status != http.StatusSeeOther {
			t.Fatalf("moved user still in: %d", r.status)
		}
		// Absolute: 12 hours however busy.
		b = s.signIn("prosecutor")
		for range 25 {
			s.clock.Advance(29 * time.Minute)
			b.get("/cases")
		}
		if r := b.get("/cases"); r.status != http.StatusSeeOther {
			t.Fatalf("session past 12 hours: %d", r.status)
		}
	})
}

func TestAdministration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		admin := s.signIn("admin")
		// No case data for administrators.
		for _, p := range []string{"/cases", "/search?q=amelia"} {
			if r := admin.get(p); r.status != http.StatusForbidden || strings.Contains(r.body, testRef) {
				t.Errorf("admin %s: %d", p, r.status)
			}
		}
		r := admin.post("/admin/users/new", url.Values{"name": {"Lee Park"}, "role": {"paralegal"}, "agency": {"cps:yorkshire_humberside"}, "login": {"lee@cps.gov.uk"}, "password": {"short"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Password must be 12 characters or more") {
			t.Fatalf("short password: %d %s", r.status, text(r.body))
		}
		r = admin.post("/admin/users/new", url.Values{"name": {"Lee Park"}, "role": {"paralegal"}, "agency": {"cps:yorkshire_humberside"}, "login": {"lee@cps.gov.uk"}, "password": {"a perfectly long password"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("add user: %d %s", r.status, text(r.body))
		}
		// A sign-in name already taken: the form again, and no user left behind.
		r = admin.post("/admin/users/new", url.Values{"name": {"Lee Other"}, "role": {"paralegal"}, "agency": {"cps:yorkshire_humberside"}, "login": {"LEE@cps.gov.uk"}, "password": {"another long password"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Another user already signs in with lee@cps.gov.uk") {
			t.Fatalf("taken sign-in name: %d %s", r.status, text(r.body))
		}
		if acts, _ := s.store.AdminActions(context.Background(), 10); len(acts) == 0 || acts[0].Action != "add_user" || acts[0].Detail != "Lee Park paralegal cps:yorkshire_humberside" {
			t.Fatalf("admin log: %+v", acts)
		}
		// No organisation chosen: said in words. An ISVA organisation not
		// yet known is typed by its name, and listed by it from then on.
		r = admin.post("/admin/users/new", url.Values{"name": {"Mo Reid"}, "role": {"isva"}, "login": {"mo@survivors.org.uk"}, "password": {"a perfectly long password"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Choose their organisation") {
			t.Fatalf("no organisation: %d %s", r.status, text(r.body))
		}
		r = admin.post("/admin/users/new", url.Values{"name": {"Mo Reid"}, "role": {"isva"}, "new_isva": {"Survivors West Yorkshire"}, "login": {"mo@survivors.org.uk"}, "password": {"a perfectly long password"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("new ISVA organisation: %d %s", r.status, text(r.body))
		}
		if r := admin.get("/admin/users/new"); !strings.Contains(r.body, `<option value="isva:survivors-west-yorkshire">Survivors West Yorkshire</option>`) {
			t.Errorf("the new ISVA organisation is not offered by name: %s", text(r.body))
		}
		if r := admin.post("/admin/teams", url.Values{"name": {"RASSO unit"}, "agency": {"cps:yorkshire_humberside"}}); r.status != http.StatusSeeOther {
			t.Fatalf("team: %d", r.status)
		}
		teams, _ := s.store.Teams(context.Background())
		accts, _ := s.store.Accounts(context.Background())
		var lee string
		for _, a := range accts {
			if a.Name == "Lee Park" {
				lee = a.ID
			}
			if a.Name == "Lee Other" {
				t.Fatalf("a refused user was left behind: %+v", a)
			}
		}
		admin.post("/admin/teams/"+teams[0].ID+"/members", url.Values{"user_id": {lee}})
		// The case team page names staff only.
		ct := admin.get("/cases/" + url.PathEscape(testRef) + "/team")
		if ct.status != 200 || strings.Contains(ct.body, "Amelia") || strings.Contains(ct.body, "Daniel") || !strings.Contains(ct.body, "Priya Shah") {
			t.Fatalf("case team page: %d %s", ct.status, text(ct.body))
		}
		admin.post("/cases/"+url.PathEscape(testRef)+"/team", url.Values{"member": {"team:" + teams[0].ID}})
		// An administrator's addition waits for a second person of the
		// case's force: its supervisor approves.
		approveRequests(t, s.signIn("supervisor"), testRef)
		// Lee, through the team, now sees the case: sign in and set up an
		// authenticator first.
		b := s.browser()
		r = b.post("/sign-in", url.Values{"login": {"lee@cps.gov.uk"}, "password": {"a perfectly long password"}})
		if r.header.Get("Location") != "/sign-in/authenticator" {
			t.Fatalf("new user not sent to set up: %s", r.header.Get("Location"))
		}
		enrol := b.get("/sign-in/authenticator")
		key := regexp.MustCompile(`id="setup-key">([A-Z2-7 ]+)<`).FindStringSubmatch(enrol.body)
		signed := regexp.MustCompile(`name="secret" value="([^"]+)"`).FindStringSubmatch(enrol.body)
		if key == nil || signed == nil {
			t.Fatalf("enrolment page: %s", text(enrol.body))
		}
		secret := decodeSecret(t, key[1])
		// The QR code carries the same key, in the otpauth link an app reads.
		qr := regexp.MustCompile(`<img src="data:image/png;base64,([^"]+)"[^>]*alt="QR code for adding Throughline`).FindStringSubmatch(enrol.body)
		want, _ := qrcode.Encode(identity.OTPAuthURI("Throughline", "lee@cps.gov.uk", secret), qrcode.Medium, 240)
		if qr == nil || html.UnescapeString(qr[1]) != base64.StdEncoding.EncodeToString(want) {
			t.Fatalf("enrolment page: no QR code of the key")
		}
		if img, err := png.Decode(bytes.NewReader(want)); err != nil || img.Bounds().Dx() != 240 {
			t.Fatalf("QR code image: %v", err)
		}
		tampered := []byte(signed[1])
		tampered[3] ^= 1 // another letter of the secret, same MAC
		if r := b.post("/sign-in/authenticator", url.Values{"secret": {string(tampered)}, "code": {credentialTOTP(secret, s.clock.Now())}}); r.status != http.StatusSeeOther || r.header.Get("Location") != "/sign-in/authenticator" {
			t.Fatalf("tampered secret accepted: %d", r.status)
		}
		if r := b.post("/sign-in/authenticator", url.Values{"secret": {signed[1]}, "code": {credentialTOTP(secret, s.clock.Now())}}); r.status != http.StatusSeeOther {
			t.Fatalf("enrol: %d %s", r.status, text(r.body))
		}
		if r := b.get("/cases/" + url.PathEscape(testRef)); r.status != 200 {
			t.Fatalf("team member through a team: %d", r.status)
		}
	})
}

// Pages carry no inline script or style, and the CSP forbids them.
func TestNoInlineScriptOrStyle(t *testing.T) {
	s := newSite(t, storetest.DSNs(t)["sqlite"])
	b := s.signIn("officer")
	sup := s.signIn("supervisor")
	ref := url.PathEscape(testRef)
	inline := regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>\s*[^<\s]|\sstyle\s*=|<style|\son[a-z]+\s*=|javascript:`)
	for _, pg := range []struct {
		b    *browser
		path string
	}{{s.browser(), "/sign-in"}, {b, "/cases"}, {b, "/cases/" + ref}, {b, "/cases/" + ref + "/record"}, {b, "/cases/" + ref + "/record/hearing_listed"}, {b, "/search?q=hart"}, {b, "/account"}, {b, "/break-glass"}, {sup, "/access-review"}, {sup, "/cases/" + ref + "/access-log"}, {b, "/cases/NOPE"}} {
		r := pg.b.get(pg.path)
		if m := inline.FindString(r.body); m != "" {
			t.Errorf("%s has inline script or style: %q", pg.path, m)
		}
		csp := r.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "style-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", pg.path, csp)
		}
	}
}

// Cookies: HttpOnly, SameSite=Lax; behind TLS Secure with the __Host- prefix.
// X-Forwarded-Proto counts only from a trusted proxy: with no
// --trusted-proxy, or from anyone else, it switches on neither the __Host-
// cookie nor HSTS.
func TestSessionCookie(t *testing.T) {
	s := newSite(t, storetest.DSNs(t)["sqlite"])
	p := s.people["officer"]
	for _, tc := range []struct {
		name      string
		trusted   string // --trusted-proxy
		forwarded bool   // X-Forwarded-Proto: https
		secure    bool
	}{
		{"plain", "", false, false},
		{"forged, no trusted proxy", "", true, false},
		{"forged, not from the trusted proxy", "10.0.0.0/8", true, false},
		{"from the trusted proxy", "127.0.0.1, ::1", true, true},
		{"the trusted proxy, plain", "127.0.0.1, ::1", false, false},
	} {
		proxies, err := web.ParseProxies(tc.trusted)
		if err != nil {
			t.Fatal(err)
		}
		s.web.TrustedProxies = proxies
		s.handler.Store(ptrTo(s.web.Handler()))
		req, _ := http.NewRequest("POST", s.srv.URL+"/sign-in", strings.NewReader(url.Values{"login": {p.login}, "password": {p.password}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if tc.forwarded {
			req.Header.Set("X-Forwarded-Proto", "https")
		}
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		c := resp.Header.Get("Set-Cookie")
		if !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Lax") || !strings.Contains(c, "Path=/") {
			t.Errorf("%s: cookie %q", tc.name, c)
		}
		if got := strings.HasPrefix(c, "__Host-throughline=") && strings.Contains(c, "Secure"); got != tc.secure {
			t.Errorf("%s: cookie %q, want secure %v", tc.name, c, tc.secure)
		}
		if strings.Contains(c, "Secure") != tc.secure {
			t.Errorf("%s: cookie %q, want Secure %v", tc.name, c, tc.secure)
		}
		if got := resp.Header.Get("Strict-Transport-Security") != ""; got != tc.secure {
			t.Errorf("%s: HSTS %v, want %v", tc.name, got, tc.secure)
		}
	}
}

// The portal's language cookie is Secure whenever the request is: over TLS
// to a trusted proxy that terminated it; not on a forged X-Forwarded-Proto.
func TestPortalLanguageCookieSecure(t *testing.T) {
	s := newSite(t, storetest.DSNs(t)["sqlite"])
	for _, tc := range []struct {
		name, trusted string
		secure        bool
	}{
		{"forged, no trusted proxy", "", false},
		{"from the trusted proxy", "127.0.0.1, ::1", true},
	} {
		proxies, err := web.ParseProxies(tc.trusted)
		if err != nil {
			t.Fatal(err)
		}
		s.web.TrustedProxies = proxies
		s.handler.Store(ptrTo(s.web.Handler()))
		req, _ := http.NewRequest("GET", s.srv.URL+"/victim?lang=cy", nil)
		req.Header.Set("X-Forwarded-Proto", "https")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		var lang *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == "tl_lang" {
				lang = c
			}
		}
		if lang == nil || lang.Value != "cy" || lang.Secure != tc.secure {
			t.Errorf("%s: language cookie %+v, want Secure %v", tc.name, lang, tc.secure)
		}
	}
}
