package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"throughline/wire"

	"throughline"
	"throughline/identity"
	"throughline/sqlstore"
	"throughline/synth"
)

// `user add --login --password-file` makes a staff sign-in and prints the
// authenticator key once; both work.
func TestUserAddWithPasswordAndAuthenticator(t *testing.T) {
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "u.db")
	pw := filepath.Join(dir, "pw")
	os.WriteFile(pw, []byte("a long enough first password\n"), 0o600)
	code, out, errs := run(t, "", "user", "add", "--db", dsn, "--name", "Priya Shah", "--role", "officer", "--agency", "police:13", "--login", "Priya@WYP.police.uk", "--password-file", pw)
	if code != 0 || !strings.Contains(out, "otpauth://totp/Throughline:priya@wyp.police.uk?") {
		t.Fatalf("user add: %d %s %s", code, out, errs)
	}
	key := regexp.MustCompile(`setup key \(shown once\): ([A-Z2-7 ]+)`).FindStringSubmatch(out)
	if key == nil {
		t.Fatalf("no setup key: %s", out)
	}
	secret, err := identity.DecodeSecret(key[1])
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlstore.Open(context.Background(), dsn, wire.Rules())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	accounts := identity.New(s, s.Now)
	a, err := accounts.CheckPassword(context.Background(), "priya@wyp.police.uk", "a long enough first password", "127.0.0.1")
	if err != nil || !a.TOTPEnrolled {
		t.Fatalf("password sign-in: %+v %v", a, err)
	}
	if err := accounts.CheckCode(context.Background(), a.ID, identity.TOTP(secret, s.Now()), "127.0.0.1"); err != nil {
		t.Fatalf("code: %v", err)
	}
	// The user, their sign-in and the log entry were written together.
	if acts, _ := accounts.AdminActions(context.Background(), 10); len(acts) != 1 || acts[0].Action != "add_user" || acts[0].ActorID != "command-line" || acts[0].Subject != a.ID {
		t.Fatalf("admin log: %+v", acts)
	}
	os.WriteFile(pw, []byte("short\n"), 0o600)
	if code, _, _ := run(t, "", "user", "add", "--db", dsn, "--name", "X", "--role", "officer", "--agency", "police:13", "--login", "x@y", "--password-file", pw); code != 2 {
		t.Fatalf("short password: exit %d", code)
	}
	if code, _, _ := run(t, "", "user", "add", "--db", dsn, "--name", "X", "--role", "officer", "--agency", "police:13", "--password-file", pw); code != 2 {
		t.Fatalf("password without login: exit %d", code)
	}
}

// serve --demo finds its users again on each start and gives them new
// API tokens, through identity.
func TestDemoUserIsFoundAgainWithANewToken(t *testing.T) {
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "d.db"), wire.Rules())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	accounts := identity.New(s, s.Now)
	d := demoUsers[0]
	u1, t1, err := demoUser(ctx, accounts, d.name, d.role, d.agency)
	if err != nil {
		t.Fatal(err)
	}
	u2, t2, err := demoUser(ctx, accounts, d.name, d.role, d.agency)
	if err != nil || u2.ID != u1.ID || t2 == t1 {
		t.Fatalf("second start: %+v %v", u2, err)
	}
	if _, err := accounts.UserByToken(ctx, t1); err == nil {
		t.Fatal("the old demo token still works")
	}
	if got, err := accounts.UserByToken(ctx, t2); err != nil || got.ID != u1.ID {
		t.Fatalf("new demo token: %+v %v", got, err)
	}
	if all, _ := accounts.Accounts(ctx); len(all) != 1 {
		t.Fatalf("%d users", len(all))
	}
}

// `user token rotate` prints a new token and ends the old; `user token
// list` shows each token's owner and expiry, never a token.
func TestUserTokenRotateAndList(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "u.db")
	code, out, errs := run(t, "", "user", "add", "--db", dsn, "--name", "Priya Shah", "--role", "officer", "--agency", "police:13")
	m := regexp.MustCompile(`user (u_[0-9a-f]+) .*\nAPI token \(shown once\): (tl_\S+)`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("user add: %d %s %s", code, out, errs)
	}
	code, out, errs = run(t, "", "user", "token", "rotate", "--db", dsn, "--id", m[1])
	fresh := regexp.MustCompile(`tl_\S+`).FindString(out)
	if code != 0 || fresh == "" || fresh == m[2] {
		t.Fatalf("rotate: %d %s %s", code, out, errs)
	}
	code, out, _ = run(t, "", "user", "token", "list", "--db", dsn)
	if code != 0 || !strings.Contains(out, m[1]) || !strings.Contains(out, "expires ") || !strings.Contains(out, "live") || strings.Contains(out, "tl_") {
		t.Fatalf("list: %d %s", code, out)
	}
	s, err := sqlstore.Open(context.Background(), dsn, wire.Rules())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ids := identity.New(s, s.Now)
	if _, err := ids.UserByToken(context.Background(), m[2]); err == nil {
		t.Fatal("the old token works after rotation")
	}
}

// The demo's caseload has the demo officer on open cases at every stage
// she works on, from investigation to awaiting sentence.
func TestDemoCaseloadSpansTheStages(t *testing.T) {
	ctx := context.Background()
	s, users, _ := demoCaseload(t)
	mine, _, err := s.MyCases(ctx, users[throughline.RoleOfficer], throughline.MyCaseFilter{Open: true, Team: true, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	stages := map[string]int{}
	for _, c := range mine {
		stages[c.Stage]++
	}
	for _, st := range []string{throughline.StageInvestigation, throughline.StagePreCharge, throughline.StageCrownCourt} {
		if stages[st] == 0 {
			t.Errorf("the demo officer has no open case at stage %s: %v", st, stages)
		}
	}
	// Her caseload has the casework the pages show: action plans, victim
	// information requests and special measures.
	var plans, requests, measures int
	for _, m := range mine {
		c, err := s.Case(ctx, m.Ref)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Plans) > 0 {
			plans++
		}
		for _, cp := range c.Complainants {
			if len(cp.Requests) > 0 {
				requests++
			}
			if len(cp.MeasuresApplied) > 0 {
				measures++
			}
		}
	}
	if plans == 0 || requests == 0 || measures == 0 {
		t.Errorf("of the demo officer's %d open cases, %d have an action plan, %d an information request and %d special measures applied; want some of each", len(mine), plans, requests, measures)
	}
	t.Logf("the demo officer's %d open cases: %v; %d with an action plan, %d an information request, %d special measures", len(mine), stages, plans, requests, measures)
}

// demoCaseload is serve --demo's caseload on a smaller generated set, on
// the test's clock (testNow): the demo users, on their cases' teams.
func demoCaseload(t *testing.T) (*sqlstore.Store, map[string]throughline.User, *identity.Service) {
	t.Helper()
	ctx := context.Background()
	s, _ := storeWithClock(t, "sqlite:"+filepath.Join(t.TempDir(), "d.db"))
	if _, _, err := generateInto(ctx, s, synth.Options{Cases: 8000, Seed: 2022, FromYear: 2022, ToYear: 2026, Now: testNow}, func(int64) {}); err != nil {
		t.Fatal(err)
	}
	accounts := identity.New(s, s.Now)
	users := map[string]throughline.User{}
	for _, d := range demoUsers {
		u, _, err := demoUser(ctx, accounts, d.name, d.role, d.agency)
		if err != nil {
			t.Fatal(err)
		}
		users[d.role] = u
	}
	if _, err := demoTeams(ctx, s, users); err != nil {
		t.Fatal(err)
	}
	return s, users, accounts
}
