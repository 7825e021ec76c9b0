package web_test

import (
	"context"
	"html"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"throughline"

	"throughline/internal/testwait"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
	"throughline/web"
	"throughline/wire"
)

// portalSite is a portal over a fresh store with one case of two
// complainants who get codes by email; codes[to] receives each code sent.
func portalSite(t *testing.T, dsn, ref string) (*sqlstore.Store, *httptest.Server, map[string]chan string, *portalClock) {
	t.Helper()
	ctx := context.Background()
	clk := &portalClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	s, err := sqlstore.Open(ctx, dsn, wire.Rules())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.Now = clk.Now
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{
		`{"type":"case_opened","occurred_at":"2025-03-03","data":{"force":"62","cps_area":"cymru_wales","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"Cerys Morgan"},{"id":"C2","name":"Beth Jones"}],"suspects":[{"id":"D1","name":"Daniel Ross"}]}}`,
		`{"type":"contact_preferences_set","occurred_at":"2025-03-04","data":{"complainant_id":"C1","channels":["email"],"email":"cerys@example.org"}}`,
		`{"type":"contact_preferences_set","occurred_at":"2025-03-04","data":{"complainant_id":"C2","channels":["email"],"email":"beth@example.org"}}`,
		`{"type":"file_submitted","occurred_at":"2025-04-01","data":{"suspect_id":"D1","purpose":"charging_decision"}}`,
		`{"type":"charging_decision","occurred_at":"2025-04-10","data":{"suspect_id":"D1","decision":"charge"}}`,
		`{"type":"charged","occurred_at":"2025-04-11T09:00:00Z","data":{"defendant_id":"D1","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"method":"bail"}}`,
		`{"type":"sent_to_crown_court","occurred_at":"2025-04-12","data":{"defendant_id":"D1","court":"swansea"}}`,
		`{"type":"hearing_listed","occurred_at":"2025-04-12","data":{"hearing_id":"H1","kind":"trial","court":"swansea","starts_at":"2026-05-11T10:00:00+01:00","listing":"fixture"}}`,
	} {
		appendLine(t, s, ref, l)
	}
	codes := map[string]chan string{}
	for _, to := range []string{"cerys@example.org", "beth@example.org", "attacker@example.net", "07700900999"} {
		codes[to] = make(chan string, 20)
	}
	sent := func(ctx context.Context, channel, to, subject, body string) error {
		if ch, ok := codes[to]; ok {
			ch <- body
		}
		return nil
	}
	srv := httptest.NewServer((&web.Server{Store: wire.NewBackend(s), Logger: slog.New(slog.DiscardHandler), Now: clk.Now, PortalSend: sent}).Handler())
	t.Cleanup(srv.Close)
	return s, srv, codes, clk
}

func receive(t *testing.T, ch chan string) string {
	t.Helper()
	select {
	case b := <-ch:
		return b
	case <-testwait.Deadline(t):
		t.Fatal("nothing was sent")
		return ""
	}
}

// signInAs signs a new browser in as the complainant whose codes go to
// inbox.
func signInAs(t *testing.T, srv *httptest.Server, codes map[string]chan string, ref, inbox string) *portal {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	p := &portal{t: t, srv: srv, hc: &http.Client{Jar: jar}}
	p.post("/victim/sign-in", url.Values{"ref": {ref}})
	// Both complainants are sent a code; each keeps the newest of theirs.
	var mine string
	for to, ch := range codes {
		if to == "cerys@example.org" || to == "beth@example.org" {
			b := receive(t, ch)
			if to == inbox {
				mine = sixDigits.FindString(b)
			}
		}
	}
	if code, _ := p.post("/victim/code", url.Values{"ref": {ref}, "code": {mine}}); code != 200 {
		t.Fatalf("sign in as %s: %d", inbox, code)
	}
	return p
}

var feedLink = regexp.MustCompile(`href="(/victim/feed\.ics\?[^"]+)"`)

func feedOf(t *testing.T, p *portal) string {
	t.Helper()
	_, body := p.get("/victim/case")
	m := feedLink.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no calendar feed offered")
	}
	return html.UnescapeString(m[1])
}

// Each victim's calendar feed can be withdrawn on its own: asking for a new
// link, or signing out, ends the old address; the other victim's stays.
func TestVictimPortalFeedIsRevocablePerVictim(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ref := "PORTAL-FEED"
		_, srv, codes, _ := portalSite(t, dsn, ref)
		anon := &portal{t: t, srv: srv, hc: &http.Client{}}
		cerys := signInAs(t, srv, codes, ref, "cerys@example.org")
		beth := signInAs(t, srv, codes, ref, "beth@example.org")
		cerysFeed, bethFeed := feedOf(t, cerys), feedOf(t, beth)
		for _, f := range []string{cerysFeed, bethFeed} {
			if code, _ := anon.get(f); code != 200 {
				t.Fatalf("feed %s: %d", f, code)
			}
		}
		if code, _ := cerys.post("/victim/feed/new", url.Values{}); code != 200 {
			t.Fatalf("new feed link: %d", code)
		}
		if code, _ := anon.get(cerysFeed); code != http.StatusNotFound {
			t.Fatalf("the old feed works after a new link: %d", code)
		}
		if code, _ := anon.get(bethFeed); code != 200 {
			t.Fatalf("another victim's feed ended: %d", code)
		}
		renewed := feedOf(t, cerys)
		if code, _ := anon.get(renewed); renewed == cerysFeed || code != 200 {
			t.Fatalf("the new feed: %d", code)
		}
		// Signing out withdraws the feed too.
		cerys.post("/victim/sign-out", url.Values{})
		if code, _ := anon.get(renewed); code != http.StatusNotFound {
			t.Fatalf("the feed outlived sign-out: %d", code)
		}
		if code, _ := anon.get(bethFeed); code != 200 {
			t.Fatalf("another victim's feed ended at sign-out: %d", code)
		}
	})
}

// A new email address or mobile number takes effect only once the code sent
// to it is entered; the old address is told of the change. Someone holding
// the victim's session for a moment cannot move their codes elsewhere.
func TestVictimPortalContactChangeIsVerified(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ref := "PORTAL-CONTACT"
		s, srv, codes, _ := portalSite(t, dsn, ref)
		ctx := context.Background()
		p := signInAs(t, srv, codes, ref, "cerys@example.org")
		emailOf := func() string {
			c, _ := s.Case(ctx, ref)
			return c.Complainant("C1").Preferences.Email
		}
		steal := url.Values{"first": {"email"}, "email": {"attacker@example.net"}, "language": {"en"}, "every": {"28"}}
		if code, body := p.post("/victim/preferences", steal); code != 200 || !strings.Contains(body, "Enter the code we sent you") {
			t.Fatalf("change: %d", code)
		}
		code := sixDigits.FindString(receive(t, codes["attacker@example.net"]))
		if emailOf() != "cerys@example.org" {
			t.Fatal("the new address took effect before its code was entered")
		}
		// A wrong code, or the right code for another address, does nothing.
		if st, _ := p.post("/victim/preferences/confirm", withCode(steal, notSix(code))); st != 422 {
			t.Fatalf("wrong code: %d", st)
		}
		other := url.Values{"first": {"email"}, "email": {"other@example.net"}, "language": {"en"}, "every": {"28"}}
		if st, _ := p.post("/victim/preferences/confirm", withCode(other, code)); st != 422 || emailOf() != "cerys@example.org" {
			t.Fatalf("a code for one address changed another: %d %s", st, emailOf())
		}
		// Both at once are refused: one proof per change.
		both := url.Values{"first": {"email"}, "email": {"attacker@example.net"}, "mobile": {"07700900999"}, "language": {"en"}, "every": {"28"}}
		if st, _ := p.post("/victim/preferences", both); st != 422 {
			t.Fatalf("two new addresses at once: %d", st)
		}
		// The right code: the change is made, and the old address is told,
		// with nothing of the case on the lock screen.
		if st, body := p.post("/victim/preferences/confirm", withCode(steal, code)); st != 200 || !strings.Contains(body, "We have saved") {
			t.Fatalf("confirm: %d", st)
		}
		if emailOf() != "attacker@example.net" {
			t.Fatalf("email now %q", emailOf())
		}
		told := receive(t, codes["cerys@example.org"])
		first, _, _ := strings.Cut(told, "\n")
		if !strings.Contains(told, "If you did not make this change") || first != "You have a new update from Witness Care." {
			t.Fatalf("the old address was told: %q", told)
		}
		// A code works once.
		if st, _ := p.post("/victim/preferences/confirm", withCode(steal, code)); st != 422 {
			t.Fatalf("a used code: %d", st)
		}
	})
}

func withCode(v url.Values, code string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = vs
	}
	out.Set("code", code)
	return out
}

func notSix(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}

// The rest of finding 11's class: removing an address, or moving the codes
// to another address already held, is proved by a code sent where her
// codes go now; a change that touches neither is saved at once.
func TestVictimPortalRemovingOrSwitchingAddressesIsProven(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ref := "PORTAL-SWITCH"
		s, srv, codes, _ := portalSite(t, dsn, ref)
		ctx := context.Background()
		p := signInAs(t, srv, codes, ref, "cerys@example.org")
		prefs := func() throughline.ContactPreferencesSet {
			c, _ := s.Case(ctx, ref)
			return *c.Complainant("C1").Preferences
		}
		form := func(first, second, email, mobile string) url.Values {
			return url.Values{"first": {first}, "second": {second}, "email": {email}, "mobile": {mobile}, "language": {"en"}, "every": {"28"}}
		}
		// proven asks for the change, checks nothing changed and the code
		// went to inbox, then enters it.
		proven := func(what string, v url.Values, inbox string) {
			t.Helper()
			before := prefs()
			if st, body := p.post("/victim/preferences", v); st != 200 || !strings.Contains(body, "Enter the code we sent you") {
				t.Fatalf("%s: %d", what, st)
			}
			code := sixDigits.FindString(receive(t, codes[inbox]))
			if st, _ := p.post("/victim/preferences/confirm", withCode(v, notSix(code))); st != 422 || !reflect.DeepEqual(prefs(), before) {
				t.Fatalf("%s: changed before its code was entered (%d)", what, st)
			}
			if st, body := p.post("/victim/preferences/confirm", withCode(v, code)); st != 200 || !strings.Contains(body, "We have saved") {
				t.Fatalf("%s: confirm %d", what, st)
			}
		}
		proven("a mobile added", form("email", "sms", "cerys@example.org", "07700900999"), "07700900999")
		proven("codes switched to the mobile", form("sms", "email", "cerys@example.org", "07700900999"), "cerys@example.org")
		if got := prefs().Channels; got[0] != "sms" {
			t.Fatalf("channels %v", got)
		}
		proven("the email removed", form("sms", "", "", "07700900999"), "07700900999")
		if got := prefs(); got.Email != "" || got.Mobile != "07700900999" {
			t.Fatalf("after removal %+v", got)
		}
		if told := receive(t, codes["cerys@example.org"]); !strings.Contains(told, "If you did not make this change") {
			t.Fatalf("the removed address was not told: %q", told)
		}
		// Adding one address and removing another at once: one at a time.
		if st, _ := p.post("/victim/preferences", form("email", "", "cerys@example.org", "")); st != 422 {
			t.Fatalf("an address added and another removed at once: %d", st)
		}
		// Nothing of where codes go: saved at once, no code sent.
		same := form("sms", "", "", "07700900999")
		same.Set("every", "14")
		if st, body := p.post("/victim/preferences", same); st != 200 || !strings.Contains(body, "We have saved") || prefs().RoutineEveryDays != 14 {
			t.Fatalf("a change of cadence: %d", st)
		}
		select {
		case b := <-codes["07700900999"]:
			t.Fatalf("a code sent for a change that needs none: %q", b)
		default:
		}
	})
}

// Finding 16's request limit: someone who knows the reference uses up its
// shared limit on code requests, and the victim's own browser, which has
// signed in before, still gets her code; "Exit this page" takes that
// browser's token away with the session.
func TestVictimPortalRequestsCannotLockTheVictimOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ref := "PORTAL-FLOOD"
		_, srv, codes, _ := portalSite(t, dsn, ref)
		p := signInAs(t, srv, codes, ref, "cerys@example.org")
		p.post("/victim/sign-out", url.Values{})
		attacker := &portal{t: t, srv: srv, hc: &http.Client{}}
		sent := 0
		for {
			st, _ := attacker.post("/victim/sign-in", url.Values{"ref": {ref}})
			if st == http.StatusTooManyRequests {
				break
			}
			if sent++; sent > 5 {
				t.Fatal("the reference's shared limit never refused")
			}
		}
		for range sent { // the codes the attacker had sent to her
			receive(t, codes["cerys@example.org"])
		}
		if st, _ := p.post("/victim/sign-in", url.Values{"ref": {ref}}); st != 200 {
			t.Fatalf("the victim's own browser is refused: %d", st)
		}
		code := sixDigits.FindString(receive(t, codes["cerys@example.org"]))
		if st, body := p.post("/victim/code", url.Values{"ref": {ref}, "code": {code}}); st != 200 || !strings.Contains(body, "Your case") {
			t.Fatalf("the victim is locked out: %d", st)
		}
		// Exit leaves nothing behind: her browser is a stranger again.
		p.hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse } // not off to the neutral site
		p.get("/victim/exit")
		if st, _ := p.post("/victim/sign-in", url.Values{"ref": {ref}}); st != http.StatusTooManyRequests {
			t.Fatalf("after exit, a request shares the reference's limit: %d", st)
		}
	})
}

// When anyone who knows her reference has used up its shared limit, a
// victim on a browser she has not signed in from before is not shut out
// for the hour: her Witness Care officer sends her a code from the case
// page. It goes to her own address for codes, never to the officer; only
// those who keep her informed may send one, within limits of their own; and
// sending it is in the consultation log.
func TestStaffSendsASignInCodeWhenTheReferenceIsFlooded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		inbox := map[string]chan string{"amelia@example.org": make(chan string, 20), "07700900123": make(chan string, 20)}
		s.configure(func(w *web.Server) {
			w.PortalSend = func(ctx context.Context, channel, to, subject, body string) error {
				if ch, ok := inbox[to]; ok {
					ch <- body
				}
				return nil
			}
		})
		attacker := s.browser()
		sent := 0
		for {
			if r := attacker.post("/victim/sign-in", url.Values{"ref": {testRef}}); r.status == http.StatusTooManyRequests {
				break
			}
			if sent++; sent > 5 {
				t.Fatal("the reference's shared limit never refused")
			}
		}
		for range sent { // the codes the attacker's requests sent her: each ended the one before
			receive(t, inbox["amelia@example.org"])
		}
		newPhone := s.browser()
		if r := newPhone.post("/victim/sign-in", url.Values{"ref": {testRef}}); r.status != http.StatusTooManyRequests {
			t.Fatalf("her new phone shares the reference's limit: %d", r.status)
		}

		// An ISVA and an officer of another force cannot send one.
		for _, who := range []string{"isva", "outsider"} {
			if r := s.signIn(who).post("/cases/"+url.PathEscape(testRef)+"/complainants/C1/sign-in-code", url.Values{}); r.status == http.StatusSeeOther {
				t.Errorf("%s sent her a code: %d", who, r.status)
			}
		}
		wcu := s.signIn("witness")
		cp := wcu.get("/cases/" + url.PathEscape(testRef))
		action := "/cases/" + url.PathEscape(testRef) + "/complainants/C1/sign-in-code"
		if !strings.Contains(cp.body, `action="`+action+`"`) || !strings.Contains(text(cp.body), "Send Amelia Hart a sign-in code") {
			t.Fatalf("the case page offers no sign-in code for her:\n%s", text(cp.body))
		}
		if r := wcu.post(action, url.Values{}); r.status != http.StatusSeeOther {
			t.Fatalf("send a code: %d %s", r.status, text(r.body))
		}
		code := sixDigits.FindString(receive(t, inbox["amelia@example.org"]))
		if code == "" {
			t.Fatal("no code in the message")
		}
		if r := newPhone.post("/victim/code", url.Values{"ref": {testRef}, "code": {code}}); r.status != http.StatusSeeOther {
			t.Fatalf("her new phone cannot sign in with the code: %d %s", r.status, text(r.body))
		}
		if r := newPhone.get("/victim"); r.status != http.StatusOK || !strings.Contains(r.body, "Your case") {
			t.Fatalf("signed in, her case: %d", r.status)
		}
		// The sending is in the consultation log, by the officer.
		cs, err := s.store.Consultations(context.Background(), throughline.ConsultationFilter{CaseRef: testRef, UserID: s.people["witness"].ID})
		found := false
		for _, c := range cs {
			found = found || strings.Contains(c.Target, "sign-in-code") && strings.Contains(strings.Join(c.Parts, " "), throughline.PartVictim)
		}
		if err != nil || !found {
			t.Errorf("no consultation for the code: %v %+v", err, cs)
		}
		// Within limits of its own: five an hour for her.
		for i := 1; ; i++ {
			r := wcu.post(action, url.Values{})
			if r.status == http.StatusConflict && strings.Contains(text(r.body), "Enough sign-in codes have been sent to her") {
				break
			}
			if r.status != http.StatusSeeOther || i > 5 {
				t.Fatalf("send %d: %d %s", i+1, r.status, text(r.body))
			}
		}
	})
}
