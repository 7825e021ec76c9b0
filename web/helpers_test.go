package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"throughline"
	"throughline/identity"
	"throughline/jsonl"
	"throughline/sqlstore"
	"throughline/web"
	"throughline/wire"
)

// testClock is a clock tests move; each TOTP use moves it on a step so
// codes are never reused.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// site is a running server over a fresh store, with its people.
type site struct {
	t      *testing.T
	store  wire.Backend
	srv    *httptest.Server
	clock  *testClock
	web    *web.Server
	people map[string]person
	// handler is the server's handler, rebuilt by configure.
	handler atomic.Pointer[http.Handler]
	// htmlDir, when set, is where each HTML response is saved for the Nu
	// HTML Checker (e2e.validateHTML); htmlSeq numbers them.
	htmlDir atomic.Pointer[string]
	htmlSeq atomic.Int64
}

func ptrTo[T any](v T) *T { return &v }

// configure changes the server's configuration and builds it again, as a
// restart with new flags would.
func (s *site) configure(change func(*web.Server)) {
	s.t.Helper()
	change(s.web)
	h, err := s.web.Build()
	if err != nil {
		s.t.Fatal(err)
	}
	s.handler.Store(&h)
}

type person struct {
	throughline.User
	login, password string
	secret          []byte
}

const testRef = "13RS0000101/24"

// newSite starts a server with one case (the journey up to the charging
// decision) and the usual people; the officer and the prosecutor are on
// the case team.
func newSite(t *testing.T, dsn string) *site {
	t.Helper()
	ctx := context.Background()
	raw, err := sqlstore.Open(ctx, dsn, wire.Rules())
	if err != nil {
		t.Fatal(err)
	}
	st := wire.NewBackend(raw)
	t.Cleanup(func() { st.Close() })
	clk := &testClock{now: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}
	st.Now = clk.Now
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ws := &web.Server{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: clk.Now, MaterialKey: testMaterialKey(t)}
	s := &site{t: t, store: st, clock: clk, web: ws, people: map[string]person{}}
	s.handler.Store(ptrTo(ws.Handler()))
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := *s.handler.Load()
		if dir := s.htmlDir.Load(); dir != nil {
			h = savingHTML(h, *dir, &s.htmlSeq)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(s.srv.Close)
	s.loadJourney(testRef, 8)
	for _, p := range []struct{ key, name, role, agency string }{
		{"officer", "Priya Shah", "officer", "police:13"},
		{"supervisor", "Tom Hughes", "police_supervisor", "police:13"},
		{"prosecutor", "Ruth Adeyemi", "prosecutor", "cps:yorkshire_humberside"},
		{"manager", "Hannah Mills", "cps_manager", "cps:yorkshire_humberside"},
		{"witness", "Gwen Price", "witness_care", "wcu:13"},
		{"isva", "Ana Lopes", "isva", "isva:rape-crisis-leeds"},
		{"inspector", "Sam Okoro", "inspector", "inspectorate"},
		{"admin", "Ada Admin", "admin", "police:13"},
		{"outsider", "Jo Bloggs", "officer", "police:01"},
		{"colleague", "Kim Lee", "officer", "police:13"},
		{"paralegal", "Joe Patel", "paralegal", "cps:yorkshire_humberside"},
	} {
		s.addPerson(p.key, p.name, p.role, p.agency)
	}
	for _, k := range []string{"officer", "prosecutor", "witness"} {
		if err := st.SetCaseMember(ctx, "test", testRef, "user", s.people[k].ID, true); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func (s *site) addPerson(key, name, role, agency string) person {
	s.t.Helper()
	ctx := context.Background()
	u, _, err := s.store.AddUser(ctx, name, role, agency)
	if err != nil {
		s.t.Fatal(err)
	}
	p := person{User: u, login: key + "@example.gov.uk", password: "a long enough passphrase " + key}
	if err := s.store.SetPassword(ctx, u.ID, p.login, p.password); err != nil {
		s.t.Fatal(err)
	}
	p.secret, _ = identity.NewTOTPSecret()
	if err := s.store.EnrolTOTP(ctx, u.ID, p.secret, 0); err != nil {
		s.t.Fatal(err)
	}
	s.people[key] = p
	return p
}

// loadJourney appends the first n events of testdata/journey.jsonl as case ref.
func (s *site) loadJourney(ref string, n int) {
	s.t.Helper()
	f, err := os.Open("../testdata/journey.jsonl")
	if err != nil {
		s.t.Fatal(err)
	}
	defer f.Close()
	lines, bad, err := jsonl.Read(f)
	if err != nil || len(bad) > 0 {
		s.t.Fatal(err, bad)
	}
	for i, l := range lines[:n] {
		l.Event.Case, l.Event.Actor, l.Event.Agency = ref, "import", "police:13"
		if _, _, err := s.store.Append(context.Background(), l.Event, int64(i)); err != nil {
			s.t.Fatalf("journey line %d: %v", i+1, err)
		}
	}
}

// browser is a cookie-keeping client that does not follow redirects.
type browser struct {
	s      *site
	client *http.Client
}

func (s *site) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{s: s, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type page struct {
	status int
	body   string
	header http.Header
}

func (b *browser) get(path string) page {
	b.s.t.Helper()
	resp, err := b.client.Get(b.s.srv.URL + path)
	if err != nil {
		b.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return page{resp.StatusCode, string(body), resp.Header}
}

func (b *browser) post(path string, form url.Values) page {
	b.s.t.Helper()
	req, _ := http.NewRequest("POST", b.s.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := b.client.Do(req)
	if err != nil {
		b.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return page{resp.StatusCode, string(body), resp.Header}
}

// signIn signs a person in with password and code.
func (s *site) signIn(key string) *browser {
	s.t.Helper()
	b := s.browser()
	p := s.people[key]
	r := b.post("/sign-in", url.Values{"login": {p.login}, "password": {p.password}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/sign-in/code" {
		s.t.Fatalf("%s: sign in: %d %s", key, r.status, r.header.Get("Location"))
	}
	s.clock.Advance(30 * time.Second)
	r = b.post("/sign-in/code", url.Values{"code": {identity.TOTP(p.secret, s.clock.Now())}})
	if r.status != http.StatusSeeOther {
		s.t.Fatalf("%s: code: %d %s", key, r.status, text(r.body))
	}
	return b
}

var tagRE = regexp.MustCompile(`<[^>]*>`)
var spaceRE = regexp.MustCompile(`\s+`)

// text is a page's words, for assertions and messages.
func text(html string) string {
	return strings.TrimSpace(spaceRE.ReplaceAllString(tagRE.ReplaceAllString(html, " "), " "))
}

func credentialTOTP(secret []byte, at time.Time) string { return identity.TOTP(secret, at) }

func decodeSecret(t *testing.T, s string) []byte {
	t.Helper()
	b, err := identity.DecodeSecret(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// openCase opens a case of another force.
func (s *site) openCase(ref, force, area string) {
	s.t.Helper()
	e, err := throughline.ParseEvent([]byte(`{"case":"` + ref + `","type":"case_opened","occurred_at":"2025-01-10","data":{"force":"` + force + `","cps_area":"` + area + `","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"Olivia Stone"}],"suspects":[{"id":"D1","name":"Mark Rowe"}]}}`))
	if err != nil {
		s.t.Fatal(err)
	}
	e.Actor, e.Agency = "import", "police:"+force
	if _, _, err := s.store.Append(context.Background(), e, 0); err != nil {
		s.t.Fatal(err)
	}
}
