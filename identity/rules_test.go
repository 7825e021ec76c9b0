package identity_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"throughline"
	"throughline/identity"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
)

// Adding a user with a sign-in is one transaction with its audit entry: a
// sign-in name already taken leaves neither a user nor a log entry behind.
func TestCreateAccountIsOneTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clk := &movable{now: clock}
		st := openStore(t, dsn, clk)
		s := identity.New(st, clk.Now)
		secret, _ := identity.NewTOTPSecret()
		u, token, err := s.CreateAccount(ctx, "u_admin", identity.NewAccount{Name: "Priya Shah", Role: "officer", Agency: "police:13", Login: "Priya@WYP.police.uk", Password: "a long enough passphrase", TOTPSecret: secret})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.UserByToken(ctx, token); err != nil || got.ID != u.ID {
			t.Fatalf("API token: %+v %v", got, err)
		}
		a, err := s.CheckPassword(ctx, "priya@wyp.police.uk", "a long enough passphrase", "192.0.2.1")
		if err != nil || a.ID != u.ID || !a.TOTPEnrolled {
			t.Fatalf("sign in: %+v %v", a, err)
		}
		if err := s.CheckCode(ctx, u.ID, identity.TOTP(secret, clk.now), "192.0.2.1"); err != nil {
			t.Fatalf("code: %v", err)
		}
		acts, _ := s.AdminActions(ctx, 10)
		if len(acts) != 1 || acts[0].Action != "add_user" || acts[0].ActorID != "u_admin" || acts[0].Subject != u.ID || !acts[0].At.Equal(clock) {
			t.Fatalf("admin log: %+v", acts)
		}

		_, _, err = s.CreateAccount(ctx, "u_admin", identity.NewAccount{Name: "Tom Hughes", Role: "police_supervisor", Agency: "police:13", Login: "priya@wyp.police.uk", Password: "another long passphrase"})
		if code(t, err) != throughline.ECONFLICT {
			t.Fatalf("taken sign-in name: %v", err)
		}
		all, _ := s.Accounts(ctx)
		if len(all) != 1 {
			t.Fatalf("a refused user was left behind: %+v", all)
		}
		if acts, _ := s.AdminActions(ctx, 10); len(acts) != 1 {
			t.Fatalf("a refused user was logged: %+v", acts)
		}

		// Every field is checked before anything is written.
		_, _, err = s.CreateAccount(ctx, "u_admin", identity.NewAccount{Name: "", Role: "officer", Agency: "police:13", Login: "x", Password: "short"})
		if te, ok := err.(*throughline.Error); !ok || te.Code != throughline.EINVALID || len(te.Fields) != 3 {
			t.Fatalf("invalid account: %v", err)
		}
		if _, _, err := s.CreateAccount(ctx, "u_admin", identity.NewAccount{Name: "Jo", Role: "officer", Agency: "police:13", Password: "a long enough passphrase"}); code(t, err) != throughline.EINVALID {
			t.Fatalf("password without a sign-in name: %v", err)
		}
		// OpenID Connect only: a sign-in name and no password.
		oidc, _, err := s.CreateAccount(ctx, "u_admin", identity.NewAccount{Name: "Ana Lopes", Role: "isva", Agency: "isva:rape-crisis-leeds", Login: "ana@rcl.org.uk"})
		if err != nil {
			t.Fatal(err)
		}
		if a, _ := s.Account(ctx, oidc.ID); a.Login != "ana@rcl.org.uk" || a.HasPassword {
			t.Fatalf("OIDC-only account: %+v", a)
		}
	})
}

// Resetting an authenticator and changing a user end their sessions and
// are logged.
func TestAdminChangesEndSessionsAndAreLogged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, clk := openAt(t, dsn)
		u, _, _ := s.AddUser(ctx, "Gwen Price", "witness_care", "wcu:13")
		if err := s.SetPassword(ctx, u.ID, "gwen", "a long enough passphrase"); err != nil {
			t.Fatal(err)
		}
		secret, _ := identity.NewTOTPSecret()
		if err := s.EnrolTOTP(ctx, u.ID, secret, 0); err != nil {
			t.Fatal(err)
		}
		tok, _ := s.CreateSession(ctx, u, throughline.SessionActive, "password")
		clk.advance(time.Minute)
		if err := s.ResetTOTP(ctx, "u_admin", u.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, tok); err != throughline.ErrNoSession {
			t.Fatalf("session survived an authenticator reset: %v", err)
		}
		acts, _ := s.AdminActions(ctx, 10)
		if len(acts) != 1 || acts[0].Action != "reset_totp" || acts[0].Subject != u.ID || !acts[0].At.Equal(clk.now) {
			t.Fatalf("admin log: %+v", acts)
		}
		// A change of name alone keeps the session.
		tok, _ = s.CreateSession(ctx, u, throughline.SessionActive, "password")
		if err := s.UpdateUser(ctx, "u_admin", u.ID, "Gwen Price-Evans", u.Role, u.Agency, false); err != nil {
			t.Fatal(err)
		}
		if se, err := s.Session(ctx, tok); err != nil || se.User.Name != "Gwen Price-Evans" {
			t.Fatalf("session after a change of name: %+v %v", se, err)
		}
		acts, _ = s.AdminActions(ctx, 10)
		if len(acts) != 2 || acts[0].Action != "update_user" || !strings.Contains(acts[0].Detail, `name "Gwen Price"→"Gwen Price-Evans"`) {
			t.Fatalf("admin log: %+v", acts)
		}
		if err := s.UpdateUser(ctx, "u_admin", "u_nobody", "X", u.Role, u.Agency, false); code(t, err) != throughline.ENOTFOUND {
			t.Fatalf("update of a missing user: %v", err)
		}
		if err := s.UpdateUser(ctx, "u_admin", u.ID, "", u.Role, u.Agency, false); code(t, err) != throughline.EINVALID {
			t.Fatalf("invalid update: %v", err)
		}
		if acts, _ := s.AdminActions(ctx, 10); len(acts) != 2 {
			t.Fatalf("refused changes were logged: %+v", acts)
		}
	})
}

// A new API token replaces the old; an unknown token is refused.
func TestAPITokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, _ := openAt(t, dsn)
		u, old, err := s.AddUser(ctx, "Sam Okoro", "inspector", "inspectorate")
		if err != nil || !strings.HasPrefix(old, "tl_") {
			t.Fatalf("add: %q %v", old, err)
		}
		fresh, err := s.IssueToken(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.UserByToken(ctx, old); code(t, err) != throughline.EUNAUTHORIZED {
			t.Fatalf("old token still works: %v", err)
		}
		if got, err := s.UserByToken(ctx, fresh); err != nil || got.ID != u.ID {
			t.Fatalf("new token: %+v %v", got, err)
		}
		if _, err := s.IssueToken(ctx, "u_nobody"); code(t, err) != throughline.ENOTFOUND {
			t.Fatalf("token for a missing user: %v", err)
		}
		if _, _, err := s.AddUser(ctx, "Sam", "inspector", "police:13"); code(t, err) != throughline.EINVALID {
			t.Fatalf("invalid user: %v", err)
		}
	})
}

func appendLine(t *testing.T, st *sqlstore.Store, ref, line string) {
	t.Helper()
	e, err := throughline.ParseEvent([]byte(`{"case":"` + ref + `",` + line[1:]))
	if err != nil {
		t.Fatal(err)
	}
	e.Actor, e.Agency = "u_officer", "police:13"
	if _, _, err := st.Append(context.Background(), e, throughline.AnyVersion); err != nil {
		t.Fatalf("%s: %v", line, err)
	}
}

// Portal codes go to the channel the complainant chose, work once and for
// ten minutes; requests are limited per reference and wrong codes per
// address; a portal session ends when idle.
func TestPortalCodesAndSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clk := &movable{now: clock}
		st := openStore(t, dsn, clk)
		s := identity.New(st, clk.Now)
		s.PortalFloor = 0
		ref := "PORTAL-1"
		for _, l := range []string{
			`{"type":"case_opened","occurred_at":"2025-03-03","data":{"force":"62","cps_area":"cymru_wales","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"Cerys Morgan","language":"cy"},{"id":"C2","name":"Beth Jones"}],"suspects":[{"id":"D1","name":"Daniel Ross"}]}}`,
			`{"type":"contact_preferences_set","occurred_at":"2025-03-04","data":{"complainant_id":"C1","channels":["letter","email"],"email":"cerys@example.org","language":"cy","address":"1 Heol y Wennol, Abertawe"}}`,
		} {
			appendLine(t, st, ref, l)
		}
		// An unknown reference: no codes, no error.
		if codes, err := s.PortalIssueCodes(ctx, "NO-SUCH", "192.0.2.1", ""); err != nil || len(codes) != 0 {
			t.Fatalf("unknown reference: %+v %v", codes, err)
		}
		codes, err := s.PortalIssueCodes(ctx, ref, "192.0.2.1", "")
		if err != nil || len(codes) != 1 {
			t.Fatalf("codes: %+v %v", codes, err)
		}
		c := codes[0]
		if c.Complainant != "C1" || c.Channel != "email" || c.To != "cerys@example.org" || c.Lang != "cy" || len(c.Code) != 6 {
			t.Fatalf("code: %+v", c)
		}
		wrong := "000000"
		if c.Code == wrong {
			wrong = "000001"
		}
		if _, _, err := s.PortalVerify(ctx, ref, wrong, "192.0.2.1"); code(t, err) != throughline.EUNAUTHORIZED {
			t.Fatalf("wrong code: %v", err)
		}
		if _, _, err := s.PortalVerify(ctx, "OTHER-1", c.Code, "192.0.2.1"); code(t, err) != throughline.EUNAUTHORIZED {
			t.Fatalf("code of another case: %v", err)
		}
		token, who, err := s.PortalVerify(ctx, ref, c.Code, "192.0.2.1")
		if err != nil || who != "C1" || token == "" {
			t.Fatalf("good code: %q %v", who, err)
		}
		if _, _, err := s.PortalVerify(ctx, ref, c.Code, "192.0.2.1"); code(t, err) != throughline.EUNAUTHORIZED {
			t.Fatalf("code used twice: %v", err)
		}
		if r, who, err := s.PortalSession(ctx, token); err != nil || r != ref || who != "C1" {
			t.Fatalf("session: %s %s %v", r, who, err)
		}
		clk.advance(identity.PortalSessionIdle + time.Second)
		if _, _, err := s.PortalSession(ctx, token); code(t, err) != throughline.EUNAUTHORIZED {
			t.Fatalf("idle portal session alive: %v", err)
		}
		// A code expires after ten minutes.
		codes, _ = s.PortalIssueCodes(ctx, ref, "192.0.2.1", "")
		clk.advance(identity.PortalCodeTTL + time.Second)
		if _, _, err := s.PortalVerify(ctx, ref, codes[0].Code, "192.0.2.1"); code(t, err) != throughline.EUNAUTHORIZED {
			t.Fatalf("expired code: %v", err)
		}
		// Signing out ends the session.
		codes, _ = s.PortalIssueCodes(ctx, ref, "192.0.2.2", "")
		token, _, err = s.PortalVerify(ctx, ref, codes[0].Code, "192.0.2.2")
		if err != nil {
			t.Fatal(err)
		}
		s.PortalSignOut(ctx, token)
		if _, _, err := s.PortalSession(ctx, token); code(t, err) != throughline.EUNAUTHORIZED {
			t.Fatalf("signed-out portal session alive: %v", err)
		}
		// Five requests per reference per hour, whatever the address.
		for i := 0; ; i++ {
			_, err := s.PortalIssueCodes(ctx, ref, "198.51.100."+string(rune('1'+i)), "")
			if err == throughline.ErrPortalLimited {
				if i != 2 { // three requests above, and two more here
					t.Fatalf("limited after %d more requests", i)
				}
				break
			}
			if err != nil || i > 5 {
				t.Fatalf("request %d: %v", i, err)
			}
		}
		// Wrong codes are limited per address: the thirty-first from one
		// address is refused, whatever the reference.
		clk.advance(time.Hour)
		for i := 0; ; i++ {
			_, _, err := s.PortalVerify(ctx, fmt.Sprintf("GUESS-%d", i), wrong, "203.0.113.9")
			if err == throughline.ErrPortalLimited {
				if i != 30 {
					t.Fatalf("address limited after %d wrong codes", i)
				}
				break
			}
			if i > 30 {
				t.Fatal("wrong codes from one address are not limited")
			}
		}
	})
}

// Wrong authenticator codes are limited per account: signing in again with
// the right password, from address after address, never buys more guesses.
func TestCodeFailuresAreLimitedPerAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clk := &movable{now: clock}
		s := identity.New(openStore(t, dsn, clk), clk.Now)
		secret, _ := identity.NewTOTPSecret()
		u, _, err := s.CreateAccount(ctx, "u_admin", identity.NewAccount{Name: "Priya Shah", Role: "officer", Agency: "police:13", Login: "priya@wyp.police.uk", Password: "a long enough passphrase", TOTPSecret: secret})
		if err != nil {
			t.Fatal(err)
		}
		wrong := func() string { // a code that is not the current one
			if identity.TOTP(secret, clk.now) == "000000" {
				return "111111"
			}
			return "000000"
		}
		for i := 0; i < identity.CodeFailuresPerAccount; i++ {
			ip := fmt.Sprintf("192.0.2.%d", i+1)
			// The attacker knows the password: each success must not clear
			// the count of wrong codes.
			if _, err := s.CheckPassword(ctx, "priya@wyp.police.uk", "a long enough passphrase", ip); err != nil {
				t.Fatalf("password %d: %v", i, err)
			}
			if err := s.CheckCode(ctx, u.ID, wrong(), ip); err != throughline.ErrCode {
				t.Fatalf("wrong code %d: %v", i, err)
			}
		}
		if _, err := s.CheckPassword(ctx, "priya@wyp.police.uk", "a long enough passphrase", "198.51.100.7"); err != nil {
			t.Fatalf("password after: %v", err)
		}
		// Locked: even the right code, from a fresh address, is refused.
		if err := s.CheckCode(ctx, u.ID, identity.TOTP(secret, clk.now), "198.51.100.7"); err != throughline.ErrTooMany {
			t.Fatalf("after %d wrong codes: %v, want ErrTooMany", identity.CodeFailuresPerAccount, err)
		}
		// The lock lasts the window, then lifts.
		clk.advance(identity.CodeFailureWindow + time.Minute)
		if err := s.CheckCode(ctx, u.ID, identity.TOTP(secret, clk.now), "198.51.100.7"); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}

// portalCase opens a case whose complainant C1 gets codes by email.
func portalCase(t *testing.T, st *sqlstore.Store, ref string) {
	t.Helper()
	for _, l := range []string{
		`{"type":"case_opened","occurred_at":"2025-03-03","data":{"force":"62","cps_area":"cymru_wales","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"Cerys Morgan","language":"cy"}],"suspects":[{"id":"D1","name":"Daniel Ross"}]}}`,
		`{"type":"contact_preferences_set","occurred_at":"2025-03-04","data":{"complainant_id":"C1","channels":["email"],"email":"cerys@example.org"}}`,
	} {
		appendLine(t, st, ref, l)
	}
}

func notCode(c string) string {
	if c == "000000" {
		return "000001"
	}
	return "000000"
}

// Asking for a code again ends the earlier ones: only the newest works.
func TestPortalOnlyTheNewestCodeWorks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clk := &movable{now: clock}
		st := openStore(t, dsn, clk)
		s := identity.New(st, clk.Now)
		s.PortalFloor = 0
		portalCase(t, st, "PORTAL-2")
		var all []string
		for range 3 {
			codes, err := s.PortalIssueCodes(ctx, "PORTAL-2", "192.0.2.1", "")
			if err != nil || len(codes) != 1 {
				t.Fatalf("codes: %v %v", codes, err)
			}
			all = append(all, codes[0].Code)
			clk.advance(time.Second)
		}
		for _, old := range all[:2] {
			if old == all[2] {
				continue
			}
			if _, _, err := s.PortalVerify(ctx, "PORTAL-2", old, "192.0.2.1"); code(t, err) != throughline.EUNAUTHORIZED {
				t.Fatalf("an earlier code still works: %v", err)
			}
		}
		if _, who, err := s.PortalVerify(ctx, "PORTAL-2", all[2], "192.0.2.1"); err != nil || who != "C1" {
			t.Fatalf("the newest code: %q %v", who, err)
		}
	})
}

// Nobody who knows a reference can lock its victim out: wrong codes from
// many addresses never stop the victim signing in with a new code. They
// do end the live code after a few guesses, so a code cannot be guessed.
func TestPortalGuessesNeverLockTheVictimOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clk := &movable{now: clock}
		st := openStore(t, dsn, clk)
		s := identity.New(st, clk.Now)
		s.PortalFloor = 0
		portalCase(t, st, "PORTAL-3")
		codes, _ := s.PortalIssueCodes(ctx, "PORTAL-3", "192.0.2.1", "")
		live := codes[0].Code
		// An attacker tries 40 codes from 40 addresses.
		for i := range 40 {
			_, _, err := s.PortalVerify(ctx, "PORTAL-3", notCode(live), fmt.Sprintf("203.0.113.%d", i+1))
			if err == throughline.ErrPortalLimited {
				t.Fatalf("guess %d: the reference is locked", i+1)
			}
		}
		// The code they guessed at is ended after five guesses...
		if _, _, err := s.PortalVerify(ctx, "PORTAL-3", live, "192.0.2.1"); code(t, err) != throughline.EUNAUTHORIZED {
			t.Fatalf("a code guessed at 40 times still works: %v", err)
		}
		// ...and the victim, asking for a new code, signs in.
		codes, err := s.PortalIssueCodes(ctx, "PORTAL-3", "192.0.2.1", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, who, err := s.PortalVerify(ctx, "PORTAL-3", codes[0].Code, "192.0.2.1"); err != nil || who != "C1" {
			t.Fatalf("the victim is locked out: %q %v", who, err)
		}
	})
}

// Nobody who knows a reference can stop its victim asking for codes: once
// her browser has signed in, its requests have a limit of their own. An
// attacker from many addresses uses up the reference's shared limit; her
// phone still gets its codes; a forged device token, or one for another
// reference, shares the reference's limit like any stranger.
func TestPortalRequestsNeverLockTheVictimOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clk := &movable{now: clock}
		st := openStore(t, dsn, clk)
		s := identity.New(st, clk.Now)
		s.PortalFloor = 0
		portalCase(t, st, "PORTAL-4")
		portalCase(t, st, "PORTAL-5")
		codes, _ := s.PortalIssueCodes(ctx, "PORTAL-4", "192.0.2.1", "")
		if _, _, err := s.PortalVerify(ctx, "PORTAL-4", codes[0].Code, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		phone, err := s.PortalDeviceToken(ctx, "PORTAL-4")
		if err != nil {
			t.Fatal(err)
		}
		other, _ := s.PortalDeviceToken(ctx, "PORTAL-5")
		// The attacker asks from address after address until refused: the
		// reference's shared limit (one request above, four more).
		n := 0
		for ; n < 10; n++ {
			if _, err := s.PortalIssueCodes(ctx, "PORTAL-4", fmt.Sprintf("203.0.113.%d", n+1), ""); err == throughline.ErrPortalLimited {
				break
			}
		}
		if n != 4 {
			t.Fatalf("the shared limit refused after %d requests", n)
		}
		nonce, mac, _ := strings.Cut(phone, ".")
		flip := func(x string) string {
			return strings.Map(func(r rune) rune { return map[bool]rune{true: 'B', false: 'A'}[r == 'A'] }, x[:1]) + x[1:]
		}
		for _, forged := range []string{other, nonce + "." + flip(mac), flip(nonce) + "." + mac, phone + "x", "garbage"} {
			if _, err := s.PortalIssueCodes(ctx, "PORTAL-4", "203.0.113.99", forged); err != throughline.ErrPortalLimited {
				t.Fatalf("device token %q has a limit of its own: %v", forged, err)
			}
		}
		// Her phone: five codes an hour of its own, and the newest signs in.
		for i := range 5 {
			codes, err = s.PortalIssueCodes(ctx, "PORTAL-4", "192.0.2.1", phone)
			if err != nil || len(codes) != 1 {
				t.Fatalf("her phone's request %d: %v", i+1, err)
			}
		}
		if _, who, err := s.PortalVerify(ctx, "PORTAL-4", codes[0].Code, "192.0.2.1"); err != nil || who != "C1" {
			t.Fatalf("the victim is locked out: %q %v", who, err)
		}
		// Its own limit still bounds the messages to her phone.
		if _, err := s.PortalIssueCodes(ctx, "PORTAL-4", "192.0.2.1", phone); err != throughline.ErrPortalLimited {
			t.Fatalf("a sixth request from her phone: %v", err)
		}
	})
}

// A reference that exists and one that does not take the same time to
// ask a code for, and to try a code against.
func TestPortalEqualTiming(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clk := &movable{now: clock}
		st := openStore(t, dsn, clk)
		s := identity.New(st, clk.Now)
		s.PortalFloor = 150 * time.Millisecond
		portalCase(t, st, "PORTAL-4")
		timed := func(f func()) time.Duration {
			start := time.Now()
			f()
			return time.Since(start)
		}
		for i, ref := range []string{"PORTAL-4", "NO-SUCH-4"} {
			addr := fmt.Sprintf("192.0.2.%d", i+1)
			d1 := timed(func() { s.PortalIssueCodes(ctx, ref, addr, "") })
			d2 := timed(func() { s.PortalVerify(ctx, ref, "123456", addr) })
			for _, d := range []time.Duration{d1, d2} {
				if d < s.PortalFloor || d > s.PortalFloor+120*time.Millisecond {
					t.Errorf("%s took %v, want %v (plus a little)", ref, d, s.PortalFloor)
				}
			}
		}
	})
}

// API tokens expire after TokenLifetime; rotating one ends the old at once
// and is logged; the list shows owners and dates, never a token.
func TestAPITokensExpireRotateAndList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, clk := openAt(t, dsn)
		u, old, err := s.AddUser(ctx, "Priya Shah", "officer", "police:13")
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.UserByToken(ctx, old); err != nil || got.ID != u.ID {
			t.Fatalf("new token: %v", err)
		}
		fresh, err := s.RotateToken(ctx, "u_admin", u.ID)
		if err != nil || fresh == old {
			t.Fatalf("rotate: %v", err)
		}
		if _, err := s.UserByToken(ctx, old); code(t, err) != throughline.EUNAUTHORIZED {
			t.Fatalf("the old token works after rotation: %v", err)
		}
		if acts, _ := s.AdminActions(ctx, 1); len(acts) != 1 || acts[0].Action != "rotate_token" || acts[0].Subject != u.ID {
			t.Fatalf("rotation not logged: %+v", acts)
		}
		ts, err := s.APITokens(ctx)
		if err != nil || len(ts) != 1 || ts[0].User.ID != u.ID || !ts[0].Expires.Equal(clk.now.Add(identity.TokenLifetime)) {
			t.Fatalf("list: %+v %v", ts, err)
		}
		clk.advance(identity.TokenLifetime - time.Minute)
		if _, err := s.UserByToken(ctx, fresh); err != nil {
			t.Fatalf("a token before its expiry: %v", err)
		}
		clk.advance(time.Minute)
		if _, err := s.UserByToken(ctx, fresh); code(t, err) != throughline.EUNAUTHORIZED {
			t.Fatalf("an expired token works: %v", err)
		}
	})
}
