package web_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"throughline"
	"throughline/comms/dispatch"
	"throughline/internal/testwait"
	"throughline/internal/validatortest"
	"throughline/notify"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
	"throughline/web"
	"throughline/wire"
)

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

type portalClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *portalClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *portalClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type portal struct {
	t     *testing.T
	srv   *httptest.Server
	hc    *http.Client
	codes chan string
}

func (p *portal) get(path string) (int, string) {
	p.t.Helper()
	resp, err := p.hc.Get(p.srv.URL + path)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (p *portal) post(path string, form url.Values) (int, string) {
	p.t.Helper()
	resp, err := p.hc.PostForm(p.srv.URL+path, form)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (p *portal) code() string {
	p.t.Helper()
	select {
	case c := <-p.codes:
		return c
	case <-testwait.Deadline(p.t):
		p.t.Fatal("no code was sent")
		return ""
	}
}

func appendLine(t *testing.T, s *sqlstore.Store, ref, line string) {
	t.Helper()
	e, err := throughline.ParseEvent([]byte(`{"case":"` + ref + `",` + line[1:]))
	if err != nil {
		t.Fatal(err)
	}
	e.Actor, e.Agency = "u_officer", "police:13"
	if _, _, err := s.Append(context.Background(), e, throughline.AnyVersion); err != nil {
		t.Fatalf("%s: %v", line, err)
	}
}

func TestVictimPortal(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clk := &portalClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		s, err := sqlstore.Open(ctx, dsn, wire.Rules())
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		s.Now = clk.Now
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		ref := "PORTAL-1"
		for _, l := range []string{
			`{"type":"case_opened","occurred_at":"2025-03-03","data":{"force":"62","cps_area":"cymru_wales","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"Cerys Morgan","language":"cy"}],"suspects":[{"id":"D1","name":"Daniel Ross"}]}}`,
			`{"type":"contact_preferences_set","occurred_at":"2025-03-04","data":{"complainant_id":"C1","channels":["email"],"email":"cerys@example.org","language":"cy","address":"1 Heol y Wennol, Abertawe"}}`,
			`{"type":"file_submitted","occurred_at":"2025-04-01","data":{"suspect_id":"D1","purpose":"charging_decision"}}`,
			`{"type":"charging_decision","occurred_at":"2025-04-10","data":{"suspect_id":"D1","decision":"charge"}}`,
			`{"type":"charged","occurred_at":"2025-04-11T09:00:00Z","data":{"defendant_id":"D1","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"method":"bail"}}`,
			`{"type":"sent_to_crown_court","occurred_at":"2025-04-12","data":{"defendant_id":"D1","court":"swansea"}}`,
			`{"type":"hearing_listed","occurred_at":"2025-04-12","data":{"hearing_id":"H1","kind":"trial","court":"swansea","starts_at":"2026-05-11T10:00:00+01:00","listing":"fixture"}}`,
			`{"type":"named_contact_changed","occurred_at":"2025-04-13","data":{"complainant_id":"C1","name":"Gwen Price","team":"Uned Gofal Tystion De Cymru","phone":"029 2000 0000"}}`,
		} {
			appendLine(t, s, ref, l)
		}
		// The dispatcher delivers what the case owes, by email.
		d := &dispatch.Dispatcher{Store: s, Channels: map[string]notify.Channel{"email": deliverAll{}}, Owner: "t", Now: clk.Now, Logger: slog.New(slog.DiscardHandler)}
		if n, err := d.RunOnce(ctx); err != nil || n == 0 {
			t.Fatalf("dispatcher: %d sent, %v", n, err)
		}
		codes := make(chan string, 10)
		sent := func(ctx context.Context, channel, to, subject, body string) error {
			// First by email in Welsh; after the victim changes their
			// preferences, by text in English.
			if !(channel == "email" && to == "cerys@example.org" && strings.Contains(body, "Eich cod mewngofnodi yw")) &&
				!(channel == "sms" && to == "07700900123" && (strings.Contains(body, "Your sign-in code is") || strings.Contains(body, "Your code is"))) {
				t.Errorf("code sent by %s to %s: %q", channel, to, body)
			}
			codes <- sixDigits.FindString(body)
			return nil
		}
		srv := httptest.NewServer((&web.Server{Store: wire.NewBackend(s), Logger: slog.New(slog.DiscardHandler), Now: clk.Now, PortalSend: sent}).Handler())
		defer srv.Close()
		jar, _ := cookiejar.New(nil)
		p := &portal{t: t, srv: srv, hc: &http.Client{Jar: jar}, codes: codes}

		// Exit this page, in both languages.
		if code, body := p.get("/victim"); code != 200 || !strings.Contains(body, "Exit this page") || !strings.Contains(body, "govuk-exit-this-page") {
			t.Fatalf("sign-in page: %d", code)
		}
		if _, body := p.get("/victim?lang=cy"); !strings.Contains(body, "Gadael y dudalen hon") || !strings.Contains(body, `lang="cy"`) {
			t.Fatal("no Welsh sign-in page")
		}
		// No enumeration: an unknown reference answers exactly as a known one.
		_, unknown := p.post("/victim/sign-in", url.Values{"ref": {"NO-SUCH-CASE"}})
		_, known := p.post("/victim/sign-in", url.Values{"ref": {ref}})
		if strings.ReplaceAll(unknown, "NO-SUCH-CASE", ref) != known || !strings.Contains(known, "Rhowch eich cod") {
			t.Fatalf("unknown and known references answer differently")
		}
		good := p.code()
		if code, body := p.post("/victim/code", url.Values{"ref": {ref}, "code": {"000000"}}); code != 422 || !strings.Contains(body, "Dydy&#39;r cod yna ddim yn gywir") {
			t.Fatalf("wrong code: %d", code)
		}
		code, body := p.post("/victim/code", url.Values{"ref": {ref}, "code": {good}})
		if code != 200 {
			t.Fatalf("right code: %d", code)
		}
		for _, want := range []string{"Ble mae eich achos nawr", "Llys y Goron Abertawe", "dydd Llun 11 Mai 2026", "Gwen Price", "029 2000 0000", "Ar ddydd Gwener 11 Ebrill 2025, fe wnaeth yr heddlu gyhuddo Daniel Ross o dreisio.", "calendar.ics", "Gadael y dudalen hon"} {
			if !strings.Contains(body, want) {
				t.Errorf("case page lacks %q", want)
			}
		}
		// The same words as the staff side.
		ms, _ := s.Messages(ctx, ref)
		if !strings.Contains(ms[0].Body, "Ar ddydd Gwener 11 Ebrill 2025, fe wnaeth yr heddlu gyhuddo Daniel Ross o dreisio.") {
			t.Fatalf("staff side: %+v", ms[0])
		}
		if _, body := p.get("/victim/case?lang=en"); !strings.Contains(body, "Where your case is now") || !strings.Contains(body, "Exit this page") {
			t.Error("no English case page")
		}
		if code, ics := p.get("/victim/calendar.ics"); code != 200 || !strings.Contains(ics, "BEGIN:VEVENT\r\n") || !strings.Contains(ics, "DTSTART;TZID=Europe/London:20260511T100000") || !strings.Contains(ics, "LOCATION:Swansea Crown Court") {
			t.Fatalf("calendar: %d %q", code, ics)
		}
		// The calendar feed: fetched without signing in, by its tokened
		// address; a wrong token is a 404.
		feed := regexp.MustCompile(`href="(/victim/feed\.ics\?[^"]+)"`).FindStringSubmatch(body)
		if feed == nil {
			t.Fatal("the case page offers no calendar feed")
		}
		anon := &portal{t: t, srv: srv, hc: &http.Client{}, codes: codes}
		addr := html.UnescapeString(feed[1])
		if code, ics := anon.get(addr); code != 200 || !strings.Contains(ics, "LOCATION:Llys y Goron Abertawe") { // in her language
			t.Fatalf("feed: %d %q", code, ics)
		}
		_, download := p.get("/victim/calendar.ics")
		_, feedICS := anon.get(addr)
		validatortest.ICal(t, download, feedICS) // ical.js reads both, and their octets are folded and CRLF
		if code, _ := anon.get(strings.Replace(addr, "t=", "t=x", 1)); code != http.StatusNotFound {
			t.Fatalf("feed with a wrong token: %d", code)
		}
		// A code works once.
		p2 := &portal{t: t, srv: srv, hc: &http.Client{}, codes: codes}
		if code, _ := p2.post("/victim/code", url.Values{"ref": {ref}, "code": {good}}); code != 422 {
			t.Fatalf("a used code: %d", code)
		}

		// Change preferences: recorded as an event by the victim.
		if code, body := p.post("/victim/preferences", url.Values{"first": {"sms"}, "second": {"email"}, "mobile": {""}, "email": {"cerys@example.org"}, "language": {"en"}, "every": {"14"}}); code != 422 || !strings.Contains(body, "mobile phone number") {
			t.Fatalf("text messages without a number: %d", code)
		}
		// A new mobile number takes effect once the code sent to it is entered.
		newPrefs := url.Values{"first": {"sms"}, "second": {"email"}, "mobile": {"07700900123"}, "email": {"cerys@example.org"}, "language": {"en"}, "every": {"14"}}
		if code, body := p.post("/victim/preferences", newPrefs); code != 200 || !strings.Contains(body, "Enter the code we sent you") {
			t.Fatalf("preferences: %d", code)
		}
		newPrefs.Set("code", p.code())
		if code, body := p.post("/victim/preferences/confirm", newPrefs); code != 200 || !strings.Contains(body, "We have saved") {
			t.Fatalf("preferences confirmed: %d", code)
		}
		c, _ := s.Case(ctx, ref)
		if pr := c.Complainant("C1").Preferences; pr.Channels[0] != "sms" || pr.Mobile != "07700900123" || pr.Address == "" || pr.RoutineEveryDays != 14 || c.Complainant("C1").Language != "en" {
			t.Fatalf("preferences: %+v", pr)
		}
		// A call back: an event and a task for the named contact.
		// It redirects after the post (a refresh asks nothing twice) to
		// her case page, which shows the time she asked for.
		p.hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := p.hc.PostForm(p.srv.URL+"/victim/callback", url.Values{"when": {"weekdays after 6pm"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		p.hc.CheckRedirect = nil
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/victim/case?sent=callback" {
			t.Fatalf("call back: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		for range 2 {
			if code, body := p.get("/victim/case?sent=callback"); code != 200 || !strings.Contains(body, "We will call you back. You asked us to call: weekdays after 6pm.") {
				t.Fatalf("call back confirmed: %d %s", code, body)
			}
		}
		tasks, _ := s.Tasks(ctx, ref, true, throughline.ScopeFilter{})
		found := false
		for _, tk := range tasks {
			found = found || (tk.Kind == throughline.TaskCallback && tk.Say == "weekdays after 6pm" && strings.Contains(tk.Assignee, "Gwen Price"))
		}
		if !found {
			t.Fatalf("no call-back task: %+v", tasks)
		}
		evs, _ := s.Events(ctx, ref)
		if last := evs[len(evs)-1]; last.Type != throughline.TypeCallbackRequested || last.Actor != "victim:C1" {
			t.Fatalf("last event: %+v", last)
		}

		// Sessions end after 30 minutes idle.
		clk.add(31 * time.Minute)
		if _, body := p.get("/victim/case"); !strings.Contains(body, "Sign in to see your case") {
			t.Fatal("an idle session still works")
		}
		// Codes end after 10 minutes.
		p.post("/victim/sign-in", url.Values{"ref": {ref}})
		late := p.code()
		clk.add(11 * time.Minute)
		if code, _ := p.post("/victim/code", url.Values{"ref": {ref}, "code": {late}}); code != 422 {
			t.Fatalf("an expired code: %d", code)
		}
		// Rate limits: five code requests an hour from her browser, which
		// has signed in before (its own limit, not the reference's).
		for i := 0; ; i++ {
			code, _ := p.post("/victim/sign-in", url.Values{"ref": {ref}})
			if code == http.StatusTooManyRequests {
				if i != 4 { // one made since she signed in
					t.Fatalf("limited after %d more requests", i)
				}
				break
			}
			if i > 10 {
				t.Fatal("never limited")
			}
			p.code()
		}
		// Guessing is limited too, per address.
		limited := false
		for range 31 {
			if code, _ := p.post("/victim/code", url.Values{"ref": {ref}, "code": {"123456"}}); code == http.StatusTooManyRequests {
				limited = true
				break
			}
		}
		if !limited {
			t.Fatal("code guessing is not limited")
		}
	})
}

// "Exit this page" ends the portal session on the server and lands on a
// neutral site: Back or reload, or the same cookie replayed, shows no case.
func TestVictimPortalExitEndsTheSession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clk := &portalClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		s, err := sqlstore.Open(ctx, dsn, wire.Rules())
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		s.Now = clk.Now
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		ref := "PORTAL-EXIT"
		for _, l := range []string{
			`{"type":"case_opened","occurred_at":"2025-03-03","data":{"force":"62","cps_area":"cymru_wales","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"Cerys Morgan"}],"suspects":[{"id":"D1","name":"Daniel Ross"}]}}`,
			`{"type":"contact_preferences_set","occurred_at":"2025-03-04","data":{"complainant_id":"C1","channels":["email"],"email":"cerys@example.org"}}`,
		} {
			appendLine(t, s, ref, l)
		}
		codes := make(chan string, 10)
		sent := func(ctx context.Context, channel, to, subject, body string) error {
			codes <- sixDigits.FindString(body)
			return nil
		}
		srv := httptest.NewServer((&web.Server{Store: wire.NewBackend(s), Logger: slog.New(slog.DiscardHandler), Now: clk.Now, PortalSend: sent}).Handler())
		defer srv.Close()
		jar, _ := cookiejar.New(nil)
		p := &portal{t: t, srv: srv, hc: &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if req.URL.Host != strings.TrimPrefix(srv.URL, "http://") {
				return http.ErrUseLastResponse // never leave for the neutral site
			}
			return nil
		}}, codes: codes}
		p.post("/victim/sign-in", url.Values{"ref": {ref}})
		if code, body := p.post("/victim/code", url.Values{"ref": {ref}, "code": {p.code()}}); code != 200 || !strings.Contains(body, ref) {
			t.Fatalf("sign in: %d", code)
		}
		u, _ := url.Parse(srv.URL + "/victim")
		var token string
		for _, c := range jar.Cookies(u) {
			if c.Name == "tl_victim" {
				token = c.Value
			}
		}
		_, body := p.get("/victim/case")
		if !strings.Contains(body, `href="/victim/exit"`) {
			t.Fatal("the exit link does not end the session")
		}
		resp, err := p.hc.Get(srv.URL + "/victim/exit")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "https://www.bbc.co.uk/weather" ||
			resp.Header.Get("Cache-Control") != "no-store" || !strings.Contains(resp.Header.Get("Clear-Site-Data"), "cache") {
			t.Fatalf("exit: %d %v", resp.StatusCode, resp.Header)
		}
		// Back or reload, even with the old cookie replayed: no case.
		if _, body := p.get("/victim/case"); strings.Contains(body, ref) || !strings.Contains(body, "Sign in") {
			t.Fatal("the case is still shown after exit")
		}
		replay := &http.Client{}
		req, _ := http.NewRequest("GET", srv.URL+"/victim/case", nil)
		req.AddCookie(&http.Cookie{Name: "tl_victim", Value: token})
		r2, err := replay.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r2.Body)
		r2.Body.Close()
		if strings.Contains(string(b), ref) {
			t.Fatal("the session outlived exit on the server")
		}
	})
}

// deliverAll is an email channel that delivers everything at once.
type deliverAll struct{}

func (deliverAll) Send(context.Context, notify.Delivery) (notify.Result, error) {
	return notify.Result{Status: notify.Delivered}, nil
}

func (deliverAll) Lookup(context.Context, string) (notify.Result, bool, error) {
	return notify.Result{}, false, notify.ErrCannotLookup
}

func (deliverAll) Status(context.Context, string) (notify.Result, error) {
	return notify.Result{Status: notify.Delivered}, nil
}
