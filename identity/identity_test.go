package identity_test

import (
	"context"
	"testing"
	"time"

	"throughline"
	"throughline/identity"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
	"throughline/wire"
)

// identity's rules are tested over the real store, on every dialect.
var _ identity.Store = (*sqlstore.Store)(nil)

var clock = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

// movable is a clock the test moves.
type movable struct{ now time.Time }

func (m *movable) Now() time.Time          { return m.now }
func (m *movable) advance(d time.Duration) { m.now = m.now.Add(d) }

// openStore opens and migrates a store on dsn, on the clock clk.
func openStore(t *testing.T, dsn string, clk *movable) *sqlstore.Store {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, dsn, wire.Rules())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	st.Now = clk.Now
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return st
}

// openAt is an identity service over a fresh store, on a clock the test moves.
func openAt(t *testing.T, dsn string) (*identity.Service, *movable) {
	t.Helper()
	clk := &movable{now: clock}
	return identity.New(openStore(t, dsn, clk), clk.Now), clk
}

func code(t *testing.T, err error) string {
	t.Helper()
	return throughline.ErrorCode(err)
}

func TestAccountsPasswordsAndRateLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, clk := openAt(t, dsn)
		u, _, err := s.AddUser(ctx, "Priya Shah", "officer", "police:13")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetPassword(ctx, u.ID, "short", "short"); code(t, err) != throughline.EINVALID {
			t.Fatalf("short password accepted: %v", err)
		}
		if err := s.SetPassword(ctx, u.ID, "Priya@Example.Police.UK", "a long enough passphrase"); err != nil {
			t.Fatal(err)
		}
		other, _, _ := s.AddUser(ctx, "Tom Hughes", "police_supervisor", "police:13")
		if err := s.SetPassword(ctx, other.ID, "priya@example.police.uk", "another long passphrase"); code(t, err) != throughline.ECONFLICT {
			t.Fatalf("duplicate sign-in name: %v", err)
		}
		a, err := s.CheckPassword(ctx, "  PRIYA@example.police.uk ", "a long enough passphrase", "192.0.2.1")
		if err != nil || a.ID != u.ID || a.TOTPEnrolled {
			t.Fatalf("sign in: %+v %v", a, err)
		}
		// Unknown name and wrong password: the same answer.
		_, e1 := s.CheckPassword(ctx, "nobody@example.police.uk", "a long enough passphrase", "192.0.2.1")
		_, e2 := s.CheckPassword(ctx, "priya@example.police.uk", "the wrong passphrase!", "192.0.2.1")
		if e1 != throughline.ErrSignIn || e2 != throughline.ErrSignIn {
			t.Fatalf("failures differ: %v / %v", e1, e2)
		}
		// Five failures lock the account name, even with the right password next.
		for range throughline.SignInPerAccount - 1 {
			s.CheckPassword(ctx, "priya@example.police.uk", "wrong wrong wrong", "192.0.2.2")
		}
		if _, err := s.CheckPassword(ctx, "priya@example.police.uk", "a long enough passphrase", "192.0.2.3"); err != throughline.ErrTooMany {
			t.Fatalf("not rate limited: %v", err)
		}
		// An unknown name is limited the same way.
		for range throughline.SignInPerAccount {
			s.CheckPassword(ctx, "ghost@example.police.uk", "wrong wrong wrong", "192.0.2.4")
		}
		if _, err := s.CheckPassword(ctx, "ghost@example.police.uk", "wrong wrong wrong", "192.0.2.5"); err != throughline.ErrTooMany {
			t.Fatalf("unknown name not limited alike: %v", err)
		}
		clk.advance(throughline.SignInWindow + time.Second)
		if _, err := s.CheckPassword(ctx, "priya@example.police.uk", "a long enough passphrase", "192.0.2.3"); err != nil {
			t.Fatalf("after the window: %v", err)
		}
		// Per address: many names from one address.
		for i := range throughline.SignInPerAddress {
			s.CheckPassword(ctx, "spray"+string(rune('a'+i%26))+string(rune('a'+i/26))+"@x", "wrong wrong wrong", "198.51.100.7")
		}
		if _, err := s.CheckPassword(ctx, "priya@example.police.uk", "a long enough passphrase", "198.51.100.7"); err != throughline.ErrTooMany {
			t.Fatalf("address not limited: %v", err)
		}
		// A disabled account cannot sign in, with the same answer.
		if err := s.UpdateUser(ctx, "admin", u.ID, u.Name, u.Role, u.Agency, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CheckPassword(ctx, "priya@example.police.uk", "a long enough passphrase", "192.0.2.9"); err != throughline.ErrSignIn {
			t.Fatalf("disabled: %v", err)
		}
		acts, _ := s.AdminActions(ctx, 10)
		if len(acts) == 0 || acts[0].Action != "update_user" {
			t.Fatalf("admin log: %+v", acts)
		}
	})
}

func TestTOTPCodesAreGoodOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, clk := openAt(t, dsn)
		u, _, _ := s.AddUser(ctx, "Ruth Adeyemi", "prosecutor", "cps:yorkshire_humberside")
		s.SetPassword(ctx, u.ID, "ruth", "a long enough passphrase")
		secret, _ := identity.NewTOTPSecret()
		step, ok := identity.CheckTOTP(secret, identity.TOTP(secret, clk.now), clk.now, 0)
		if !ok {
			t.Fatal("code")
		}
		if err := s.EnrolTOTP(ctx, u.ID, secret, step); err != nil {
			t.Fatal(err)
		}
		// The enrolment code cannot be used to sign in.
		if err := s.CheckCode(ctx, u.ID, identity.TOTP(secret, clk.now), "192.0.2.1"); err != throughline.ErrCode {
			t.Fatalf("enrolment code reused: %v", err)
		}
		clk.advance(30 * time.Second)
		c := identity.TOTP(secret, clk.now)
		if err := s.CheckCode(ctx, u.ID, c, "192.0.2.1"); err != nil {
			t.Fatalf("good code: %v", err)
		}
		if err := s.CheckCode(ctx, u.ID, c, "192.0.2.1"); err != throughline.ErrCode {
			t.Fatalf("replayed code: %v", err)
		}
		if err := s.CheckCode(ctx, u.ID, "000000", "192.0.2.1"); err != throughline.ErrCode {
			t.Fatalf("wrong code: %v", err)
		}
		a, _ := s.Account(ctx, u.ID)
		if !a.TOTPEnrolled || a.Login != "ruth" {
			t.Fatalf("account %+v", a)
		}
		if err := s.ResetTOTP(ctx, "admin", u.ID); err != nil {
			t.Fatal(err)
		}
		if a, _ := s.Account(ctx, u.ID); a.TOTPEnrolled {
			t.Fatal("reset kept the secret")
		}
	})
}

func TestSessionsExpireAndEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, clk := openAt(t, dsn)
		u, _, _ := s.AddUser(ctx, "Gwen Price", "witness_care", "wcu:13")
		pending, err := s.CreateSession(ctx, u, throughline.SessionCode, "password")
		if err != nil {
			t.Fatal(err)
		}
		tok, err := s.PromoteSession(ctx, pending, throughline.SessionActive)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, pending); err != throughline.ErrNoSession {
			t.Fatal("the pre-sign-in token still works")
		}
		// Idle: a request every 29 minutes keeps it alive…
		for range 5 {
			clk.advance(29 * time.Minute)
			se, err := s.Session(ctx, tok)
			if err != nil || se.State != throughline.SessionActive || se.User.ID != u.ID {
				t.Fatalf("active session refused: %v", err)
			}
		}
		// …30 minutes without one ends it.
		clk.advance(throughline.SessionIdle)
		if _, err := s.Session(ctx, tok); err != throughline.ErrNoSession {
			t.Fatalf("idle session alive: %v", err)
		}
		// Absolute: 12 hours however busy.
		tok, _ = s.CreateSession(ctx, u, throughline.SessionActive, "password")
		for elapsed := time.Duration(0); elapsed < throughline.SessionAbsolute-20*time.Minute; elapsed += 20 * time.Minute {
			clk.advance(20 * time.Minute)
			if _, err := s.Session(ctx, tok); err != nil {
				t.Fatalf("after %s: %v", elapsed, err)
			}
		}
		clk.advance(20 * time.Minute)
		if _, err := s.Session(ctx, tok); err != throughline.ErrNoSession {
			t.Fatalf("session past 12 hours alive: %v", err)
		}
		// A half-signed-in session lasts minutes, not hours.
		pending, _ = s.CreateSession(ctx, u, throughline.SessionCode, "password")
		clk.advance(11 * time.Minute)
		if _, err := s.Session(ctx, pending); err != throughline.ErrNoSession {
			t.Fatal("pending session outlived its limit")
		}
		// A role change or disabling ends sessions at once.
		tok, _ = s.CreateSession(ctx, u, throughline.SessionActive, "password")
		if err := s.UpdateUser(ctx, "admin", u.ID, u.Name, "witness_care", "wcu:01", false); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, tok); err != throughline.ErrNoSession {
			t.Fatal("session survived an agency change")
		}
		u.Agency = "wcu:01"
		tok, _ = s.CreateSession(ctx, u, throughline.SessionActive, "password")
		if err := s.UpdateUser(ctx, "admin", u.ID, u.Name, u.Role, u.Agency, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, tok); err != throughline.ErrNoSession {
			t.Fatal("session survived disabling")
		}
		tok2, _ := s.CreateSession(ctx, u, throughline.SessionActive, "password")
		s.EndSession(ctx, tok2)
		if _, err := s.Session(ctx, tok2); err != throughline.ErrNoSession {
			t.Fatal("signed-out session alive")
		}
	})
}

func TestOIDCLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, _ := openAt(t, dsn)
		u, _, _ := s.AddUser(ctx, "Priya Shah", "officer", "police:13")
		s.SetLogin(ctx, u.ID, "priya@wyp.police.uk")
		if _, err := s.UserByOIDC(ctx, "https://idp", "sub-1", "priya@wyp.police.uk", false); code(t, err) != throughline.EUNAUTHORIZED {
			t.Fatalf("unverified email linked: %v", err)
		}
		got, err := s.UserByOIDC(ctx, "https://idp", "sub-1", "Priya@WYP.police.uk", true)
		if err != nil || got.ID != u.ID {
			t.Fatalf("link by email: %v", err)
		}
		// Once linked, the subject finds them whatever the email says.
		if got, err := s.UserByOIDC(ctx, "https://idp", "sub-1", "changed@wyp.police.uk", true); err != nil || got.ID != u.ID {
			t.Fatalf("by subject: %v", err)
		}
		if _, err := s.UserByOIDC(ctx, "https://idp", "sub-2", "priya@wyp.police.uk", true); code(t, err) != throughline.EUNAUTHORIZED {
			t.Fatal("a second subject took over a linked account")
		}
	})
}

// A person sees their own live sessions, names the one they use, and ends
// another — by its handle, never anyone else's.
func TestListAndEndOwnSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, clk := openAt(t, dsn)
		u, _, _ := s.AddUser(ctx, "Gwen Price", "witness_care", "wcu:13")
		other, _, _ := s.AddUser(ctx, "Tom Hughes", "police_supervisor", "police:13")
		laptop, _ := s.CreateSession(ctx, u, throughline.SessionActive, "password")
		clk.advance(time.Hour)
		phone, _ := s.CreateSession(ctx, u, throughline.SessionActive, "oidc")
		clk.advance(time.Minute)
		someone, _ := s.CreateSession(ctx, u, throughline.SessionCode, "password") // a password typed elsewhere
		theirs, _ := s.CreateSession(ctx, other, throughline.SessionActive, "password")
		if _, err := s.Session(ctx, phone); err != nil {
			t.Fatal(err)
		}

		list, err := s.Sessions(ctx, u.ID, phone)
		if err != nil {
			t.Fatal(err)
		}
		// The laptop's session went idle an hour ago: not listed.
		if len(list) != 2 || list[0].State != throughline.SessionCode || list[1].Method != "oidc" || !list[1].Current || list[0].Current {
			t.Fatalf("sessions = %+v, want the pending one then the current phone", list)
		}
		for _, se := range list {
			if se.Key != nil || len(se.Handle) != 20 {
				t.Fatalf("a listed session shows its key or lacks a handle: %+v", se)
			}
		}
		if _, err := s.Session(ctx, laptop); err != throughline.ErrNoSession {
			t.Fatal("idle session alive")
		}

		// Nobody ends another person's session by its handle.
		theirList, _ := s.Sessions(ctx, other.ID, theirs)
		if err := s.EndSessionByHandle(ctx, u.ID, theirList[0].Handle); code(t, err) != throughline.ENOTFOUND {
			t.Fatalf("ending another's session: %v", err)
		}
		if _, err := s.Session(ctx, theirs); err != nil {
			t.Fatalf("another person's session ended: %v", err)
		}
		// Ending the pending one leaves the current one.
		if err := s.EndSessionByHandle(ctx, u.ID, list[0].Handle); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PromoteSession(ctx, someone, throughline.SessionActive); err != throughline.ErrNoSession {
			t.Fatalf("an ended session signed in: %v", err)
		}
		if _, err := s.Session(ctx, phone); err != nil {
			t.Fatalf("the current session ended: %v", err)
		}
		if err := s.EndSessionByHandle(ctx, u.ID, list[0].Handle); code(t, err) != throughline.ENOTFOUND {
			t.Fatalf("ending it twice: %v", err)
		}

		// Signing out everywhere else keeps only this one.
		tablet, _ := s.CreateSession(ctx, u, throughline.SessionActive, "password")
		if err := s.EndOtherSessions(ctx, u.ID, phone); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, tablet); err != throughline.ErrNoSession {
			t.Fatal("another session survived signing out everywhere else")
		}
		if list, _ := s.Sessions(ctx, u.ID, phone); len(list) != 1 || !list[0].Current {
			t.Fatalf("after ending the others: %+v", list)
		}
		if _, err := s.Session(ctx, theirs); err != nil {
			t.Fatalf("another person's session ended: %v", err)
		}
	})
}
