package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"throughline"
	"throughline/sqlstore/storetest"
)

// seedAdminToday gives the administrator something to do: a colleague
// locked out by wrong passwords, a new account whose authenticator is not
// set up, and an addition to a case team that waits for a second person.
func (s *site) seedAdminToday() {
	t := s.t
	t.Helper()
	ctx := context.Background()
	kim := s.people["colleague"]
	for range throughline.SignInPerAccount {
		b := s.browser()
		if r := b.post("/sign-in", url.Values{"login": {kim.login}, "password": {"not her password at all"}}); r.status == http.StatusSeeOther {
			t.Fatalf("a wrong password signed in: %s", r.header.Get("Location"))
		}
	}
	u, _, err := s.store.AddUser(ctx, "Lee Grant", "officer", "police:13")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.store.SetPassword(ctx, u.ID, "lee@example.gov.uk", "a long enough passphrase lee"); err != nil {
		t.Fatal(err)
	}
	admin := s.signIn("admin")
	if r := admin.post("/cases/"+url.PathEscape(testRef)+"/team", url.Values{"member": {"user:" + s.people["outsider"].ID}}); r.status != http.StatusSeeOther {
		t.Fatalf("ask to add to the team: %d %s", r.status, text(r.body))
	}
}

// The administrator lands on a today page of their own (issue 12): who is
// locked out, which accounts are not set up, which case team additions
// wait and for how long, and whether messages and checkpoints are on time,
// each person by name and linked to the page that deals with them. Lifting
// a lock is logged, takes the person off the list, and lets them sign in.
func TestAdminToday(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		s.seedAdminToday()
		kim := s.people["colleague"]
		admin := s.signIn("admin")
		if r := admin.get("/"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/today" {
			t.Fatalf("signed in, / answers %d %s; want the administrator's today page", r.status, r.header.Get("Location"))
		}
		r := admin.get("/admin/today")
		if r.status != http.StatusOK {
			t.Fatalf("GET /admin/today: %d %s", r.status, text(r.body))
		}
		page := text(r.body)
		locked, rest, _ := strings.Cut(page, "Accounts not set up yet")
		setUp, rest, _ := strings.Cut(rest, "Case team requests waiting for a second person")
		teams, system, _ := strings.Cut(rest, "Messages and checkpoints")
		for _, c := range []struct{ list, want string }{
			{locked, "Kim Lee officer in the case West Yorkshire Police Unlock their sign-in"},
			{setUp, "Lee Grant officer in the case West Yorkshire Police Them to set up their authenticator app"},
			{teams, testRef + " Jo Bloggs Metropolitan Police Service Ada Admin 0"},
			{system, "Latest signed checkpoint of the record None taken yet Late"},
		} {
			if !strings.Contains(c.list, c.want) {
				t.Errorf("the today page does not say %q:\n%s", c.want, page)
			}
		}
		for _, no := range []string{"Priya Shah", "Amelia", kim.ID, "police:13"} {
			if strings.Contains(page, no) {
				t.Errorf("the administrator's today page shows %q:\n%s", no, page)
			}
		}
		if !strings.Contains(r.body, `href="/admin/users/`+url.PathEscape(kim.ID)+`"`) || !strings.Contains(r.body, `href="/cases/`+url.PathEscape(testRef)+`/team"`) {
			t.Errorf("the rows do not link to the pages that deal with them:\n%s", r.body)
		}

		// Kim cannot sign in with her right password while locked.
		if p := s.browser().post("/sign-in", url.Values{"login": {kim.login}, "password": {kim.password}}); p.header.Get("Location") == "/sign-in/code" {
			t.Fatal("a locked sign-in went on to the code")
		}
		userPage := "/admin/users/" + url.PathEscape(kim.ID)
		if r := admin.get(userPage); !strings.Contains(r.body, "Unlock their sign-in") {
			t.Fatalf("her page offers no unlock: %s", text(r.body))
		}
		if r := admin.post(userPage, url.Values{"unlock": {"yes"}}); r.status != http.StatusSeeOther {
			t.Fatalf("unlock: %d %s", r.status, text(r.body))
		}
		if r := admin.get(userPage + "?unlocked=1"); !strings.Contains(r.body, "Kim Lee can sign in again") || strings.Contains(r.body, "Unlock their sign-in") {
			t.Errorf("after unlocking, her page: %s", text(r.body))
		}
		locked, _, _ = strings.Cut(text(admin.get("/admin/today").body), "Accounts not set up yet")
		if strings.Contains(locked, "Kim Lee") || !strings.Contains(locked, "No one is locked out.") {
			t.Errorf("after unlocking, the list: %s", locked)
		}
		s.signIn("colleague")
		acts, err := s.store.AdminActions(context.Background(), 50)
		if err != nil {
			t.Fatal(err)
		}
		logged := false
		for _, a := range acts {
			logged = logged || (a.Action == "unlock_sign_in" && a.Subject == kim.ID && a.ActorID == s.people["admin"].ID)
		}
		if !logged {
			t.Errorf("the unlock is not in the administrators' log: %+v", acts)
		}
	})
}
