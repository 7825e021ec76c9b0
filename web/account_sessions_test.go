package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"throughline/sqlstore/storetest"
)

var sessionHandleRE = regexp.MustCompile(`name="session" value="([0-9a-f]{20})"`)

// The account page lists where one is signed in and ends a session one
// does not recognise (ASVS 5.0 V7, Level 3); the session ended is refused at
// its next request, and signing out everywhere else keeps only this one.
func TestAccountListsAndEndsOwnSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		desk := s.signIn("officer")
		stolen := s.signIn("officer")
		other := s.signIn("prosecutor")

		r := desk.get("/account")
		if r.status != http.StatusOK {
			t.Fatalf("account: %d", r.status)
		}
		words := text(r.body)
		if strings.Count(words, "Password and authenticator app") < 3 || !strings.Contains(words, "This session") || !strings.Contains(words, "Sign out everywhere else") {
			t.Fatalf("account page does not list both sessions: %s", words)
		}
		handles := sessionHandleRE.FindAllStringSubmatch(r.body, -1)
		if len(handles) != 2 {
			t.Fatalf("want 2 sessions to end, got %d", len(handles))
		}
		// The newest is listed first: the stolen one, not this one.
		if r := desk.post("/account/sessions", url.Values{"session": {handles[0][1]}}); r.status != http.StatusSeeOther || r.header.Get("Location") != "/account?ended=one" {
			t.Fatalf("end a session: %d %s", r.status, r.header.Get("Location"))
		}
		if r := stolen.get("/cases"); r.status != http.StatusSeeOther {
			t.Fatalf("an ended session still reads cases: %d", r.status)
		}
		if r := desk.get("/account?ended=one"); r.status != http.StatusOK || !strings.Contains(text(r.body), "That session has ended") || len(sessionHandleRE.FindAllString(r.body, -1)) != 1 {
			t.Fatalf("after ending: %d %s", r.status, text(r.body))
		}
		// Another person's session cannot be ended from here.
		theirs := sessionHandleRE.FindStringSubmatch(other.get("/account").body)[1]
		if r := desk.post("/account/sessions", url.Values{"session": {theirs}}); r.status != http.StatusNotFound {
			t.Fatalf("ending another person's session: %d", r.status)
		}
		if r := other.get("/cases"); r.status != http.StatusOK {
			t.Fatalf("another person's session ended: %d", r.status)
		}

		// Everywhere else: only this one stays.
		laptop := s.signIn("officer")
		if r := desk.post("/account/sessions", url.Values{"session": {"others"}}); r.status != http.StatusSeeOther {
			t.Fatalf("sign out everywhere else: %d", r.status)
		}
		if r := laptop.get("/cases"); r.status != http.StatusSeeOther {
			t.Fatalf("another session survived: %d", r.status)
		}
		r = desk.get("/account")
		if r.status != http.StatusOK || strings.Contains(text(r.body), "Sign out everywhere else") {
			t.Fatalf("this session should be the only one: %d %s", r.status, text(r.body))
		}
		// Ending this one signs out.
		mine := sessionHandleRE.FindStringSubmatch(r.body)[1]
		if r := desk.post("/account/sessions", url.Values{"session": {mine}}); r.status != http.StatusSeeOther || r.header.Get("Location") != "/sign-in?out=1" {
			t.Fatalf("ending this session: %d %s", r.status, r.header.Get("Location"))
		}
		if r := desk.get("/cases"); r.status != http.StatusSeeOther {
			t.Fatalf("signed-out session still reads cases: %d", r.status)
		}
	})
}
