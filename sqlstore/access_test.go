package sqlstore_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"throughline"
	"throughline/credential"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
)

// movable gives a store a clock the test moves.
type movable struct{ now time.Time }

func (m *movable) Now() time.Time          { return m.now }
func (m *movable) advance(d time.Duration) { m.now = m.now.Add(d) }
func openAt(t *testing.T, dsn string) (*sqlstore.Store, *movable) {
	t.Helper()
	s := open(t, dsn)
	m := &movable{now: clock}
	s.Now = m.Now
	return s, m
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
		if e1 != sqlstore.ErrSignIn || e2 != sqlstore.ErrSignIn {
			t.Fatalf("failures differ: %v / %v", e1, e2)
		}
		// Five failures lock the account name, even with the right password next.
		for range throughline.SignInPerAccount - 1 {
			s.CheckPassword(ctx, "priya@example.police.uk", "wrong wrong wrong", "192.0.2.2")
		}
		if _, err := s.CheckPassword(ctx, "priya@example.police.uk", "a long enough passphrase", "192.0.2.3"); err != sqlstore.ErrTooMany {
			t.Fatalf("not rate limited: %v", err)
		}
		// An unknown name is limited the same way.
		for range throughline.SignInPerAccount {
			s.CheckPassword(ctx, "ghost@example.police.uk", "wrong wrong wrong", "192.0.2.4")
		}
		if _, err := s.CheckPassword(ctx, "ghost@example.police.uk", "wrong wrong wrong", "192.0.2.5"); err != sqlstore.ErrTooMany {
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
		if _, err := s.CheckPassword(ctx, "priya@example.police.uk", "a long enough passphrase", "198.51.100.7"); err != sqlstore.ErrTooMany {
			t.Fatalf("address not limited: %v", err)
		}
		// A disabled account cannot sign in, with the same answer.
		if err := s.UpdateUser(ctx, "admin", u.ID, u.Name, u.Role, u.Agency, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CheckPassword(ctx, "priya@example.police.uk", "a long enough passphrase", "192.0.2.9"); err != sqlstore.ErrSignIn {
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
		secret, _ := credential.NewTOTPSecret()
		step, ok := credential.CheckTOTP(secret, credential.TOTP(secret, clk.now), clk.now, 0)
		if !ok {
			t.Fatal("code")
		}
		if err := s.EnrolTOTP(ctx, u.ID, secret, step); err != nil {
			t.Fatal(err)
		}
		// The enrolment code cannot be used to sign in.
		if err := s.CheckCode(ctx, u.ID, credential.TOTP(secret, clk.now), "192.0.2.1"); err != sqlstore.ErrCode {
			t.Fatalf("enrolment code reused: %v", err)
		}
		clk.advance(30 * time.Second)
		c := credential.TOTP(secret, clk.now)
		if err := s.CheckCode(ctx, u.ID, c, "192.0.2.1"); err != nil {
			t.Fatalf("good code: %v", err)
		}
		if err := s.CheckCode(ctx, u.ID, c, "192.0.2.1"); err != sqlstore.ErrCode {
			t.Fatalf("replayed code: %v", err)
		}
		if err := s.CheckCode(ctx, u.ID, "000000", "192.0.2.1"); err != sqlstore.ErrCode {
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
		pending, err := s.CreateSession(ctx, u, sqlstore.SessionCode, "password")
		if err != nil {
			t.Fatal(err)
		}
		tok, err := s.PromoteSession(ctx, pending, sqlstore.SessionActive)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, pending); err != sqlstore.ErrNoSession {
			t.Fatal("the pre-sign-in token still works")
		}
		// Idle: a request every 29 minutes keeps it alive…
		for range 5 {
			clk.advance(29 * time.Minute)
			se, err := s.Session(ctx, tok)
			if err != nil || se.State != sqlstore.SessionActive || se.User.ID != u.ID {
				t.Fatalf("active session refused: %v", err)
			}
		}
		// …30 minutes without one ends it.
		clk.advance(throughline.SessionIdle)
		if _, err := s.Session(ctx, tok); err != sqlstore.ErrNoSession {
			t.Fatalf("idle session alive: %v", err)
		}
		// Absolute: 12 hours however busy.
		tok, _ = s.CreateSession(ctx, u, sqlstore.SessionActive, "password")
		for elapsed := time.Duration(0); elapsed < throughline.SessionAbsolute-20*time.Minute; elapsed += 20 * time.Minute {
			clk.advance(20 * time.Minute)
			if _, err := s.Session(ctx, tok); err != nil {
				t.Fatalf("after %s: %v", elapsed, err)
			}
		}
		clk.advance(20 * time.Minute)
		if _, err := s.Session(ctx, tok); err != sqlstore.ErrNoSession {
			t.Fatalf("session past 12 hours alive: %v", err)
		}
		// A half-signed-in session lasts minutes, not hours.
		pending, _ = s.CreateSession(ctx, u, sqlstore.SessionCode, "password")
		clk.advance(11 * time.Minute)
		if _, err := s.Session(ctx, pending); err != sqlstore.ErrNoSession {
			t.Fatal("pending session outlived its limit")
		}
		// A role change or disabling ends sessions at once.
		tok, _ = s.CreateSession(ctx, u, sqlstore.SessionActive, "password")
		if err := s.UpdateUser(ctx, "admin", u.ID, u.Name, "witness_care", "wcu:01", false); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, tok); err != sqlstore.ErrNoSession {
			t.Fatal("session survived an agency change")
		}
		u.Agency = "wcu:01"
		tok, _ = s.CreateSession(ctx, u, sqlstore.SessionActive, "password")
		if err := s.UpdateUser(ctx, "admin", u.ID, u.Name, u.Role, u.Agency, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, tok); err != sqlstore.ErrNoSession {
			t.Fatal("session survived disabling")
		}
		tok2, _ := s.CreateSession(ctx, u, sqlstore.SessionActive, "password")
		s.EndSession(ctx, tok2)
		if _, err := s.Session(ctx, tok2); err != sqlstore.ErrNoSession {
			t.Fatal("signed-out session alive")
		}
	})
}

// A case of force 13 with complainant C1; and users around it.
func seedCase(t *testing.T, s *sqlstore.Store, ref string) {
	t.Helper()
	appendAll(t, s, withRef(journey(t)[:9], ref))
}

func TestTeamsRelationsAndLists(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, clk := openAt(t, dsn)
		seedCase(t, s, "13RS0000101/24")
		seedCase(t, s, "13RS0000102/24")
		officer, _, _ := s.AddUser(ctx, "Priya Shah", "officer", "police:13")
		sup, _, _ := s.AddUser(ctx, "Tom Hughes", "police_supervisor", "police:13")
		pros, _, _ := s.AddUser(ctx, "Ruth Adeyemi", "prosecutor", "cps:yorkshire_humberside")
		isva, _, _ := s.AddUser(ctx, "Ana Lopes", "isva", "isva:rape-crisis-leeds")
		if err := s.SetCaseMember(ctx, "admin", "NO-SUCH", "user", officer.ID, true); code(t, err) != throughline.ENOTFOUND {
			t.Fatalf("member of a missing case: %v", err)
		}
		if err := s.SetCaseMember(ctx, "admin", "13RS0000101/24", "user", officer.ID, true); err != nil {
			t.Fatal(err)
		}
		team, err := s.CreateTeam(ctx, "admin", "RASSO unit", "cps:yorkshire_humberside")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateTeam(ctx, "admin", "RASSO unit", "cps:yorkshire_humberside"); code(t, err) != throughline.ECONFLICT {
			t.Fatalf("duplicate team: %v", err)
		}
		s.SetTeamMember(ctx, "admin", team.ID, pros.ID, true)
		s.SetCaseMember(ctx, "admin", "13RS0000102/24", "team", team.ID, true)

		rel, _ := s.Relation(ctx, officer, "13RS0000101/24")
		if !rel.OnTeam {
			t.Fatal("officer not on team")
		}
		if rel, _ := s.Relation(ctx, officer, "13RS0000102/24"); rel.OnTeam {
			t.Fatal("officer on the other case's team")
		}
		if rel, _ := s.Relation(ctx, pros, "13RS0000102/24"); !rel.OnTeam {
			t.Fatal("prosecutor not on the team through their team")
		}
		refs := func(u throughline.User) []string {
			cs, _, err := s.MyCases(ctx, u, throughline.MyCaseFilter{Sort: "ref"})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, c := range cs {
				out = append(out, c.Ref)
			}
			return out
		}
		if got := refs(officer); !slices.Equal(got, []string{"13RS0000101/24"}) {
			t.Fatalf("officer lists %v", got)
		}
		if got := refs(pros); !slices.Equal(got, []string{"13RS0000102/24"}) {
			t.Fatalf("prosecutor lists %v", got)
		}
		if got := refs(sup); len(got) != 2 {
			t.Fatalf("supervisor lists %v", got)
		}
		ms, _ := s.CaseMembers(ctx, "13RS0000102/24")
		if len(ms) != 1 || ms[0].Kind != "team" || ms[0].Name != "RASSO unit" {
			t.Fatalf("members %+v", ms)
		}
		teams, _ := s.Teams(ctx)
		if len(teams) != 1 || len(teams[0].Members) != 1 {
			t.Fatalf("teams %+v", teams)
		}

		// Break-glass: live for four hours.
		sc, _ := s.CaseScope(ctx, "13RS0000102/24")
		g, err := s.BreakGlass(ctx, officer, sc, "too short")
		if code(t, err) != throughline.EINVALID {
			t.Fatalf("short justification: %v", err)
		}
		g, err = s.BreakGlass(ctx, officer, sc, "Suspect arrested overnight on a new allegation; need bail conditions")
		if err != nil {
			t.Fatal(err)
		}
		rel, _ = s.Relation(ctx, officer, "13RS0000102/24")
		if rel.BreakGlass != g.ID || !strings.Contains(rel.BreakGlassReason, "bail conditions") {
			t.Fatalf("relation %+v", rel)
		}
		if got := refs(officer); len(got) != 2 {
			t.Fatalf("break-glass case not listed: %v", got)
		}
		gs, _ := s.BreakGlassGrants(ctx, throughline.BreakGlassFilter{Force: "13", Unreviewed: true})
		if len(gs) != 1 {
			t.Fatalf("grants %+v", gs)
		}
		if err := s.ReviewBreakGlass(ctx, g.ID, sup, "justified", ""); err != nil {
			t.Fatal(err)
		}
		if gs, _ := s.BreakGlassGrants(ctx, throughline.BreakGlassFilter{Force: "13", Unreviewed: true}); len(gs) != 0 {
			t.Fatal("reviewed grant still unreviewed")
		}
		clk.advance(throughline.BreakGlassFor + time.Second)
		if rel, _ := s.Relation(ctx, officer, "13RS0000102/24"); rel.BreakGlass != "" {
			t.Fatal("break-glass outlived its time")
		}

		// ISVA consent: given, then withdrawn.
		s.SetCaseMember(ctx, "admin", "13RS0000101/24", "user", isva.ID, true)
		if rel, _ := s.Relation(ctx, isva, "13RS0000101/24"); !rel.OnTeam || len(rel.Consented) != 0 {
			t.Fatalf("isva before consent %+v", rel)
		}
		if err := s.RecordConsent(ctx, throughline.Consent{CaseRef: "13RS0000101/24", ComplainantID: "C9", ISVAAgency: isva.Agency, Given: true, RecordedBy: officer.ID}); code(t, err) != throughline.EINVALID {
			t.Fatalf("consent for an unknown complainant: %v", err)
		}
		s.RecordConsent(ctx, throughline.Consent{CaseRef: "13RS0000101/24", ComplainantID: "C1", ISVAAgency: isva.Agency, Given: true, Note: "signed form", RecordedBy: officer.ID})
		rel, _ = s.Relation(ctx, isva, "13RS0000101/24")
		if !slices.Equal(rel.Consented, []string{"C1"}) {
			t.Fatalf("isva after consent %+v", rel)
		}
		cs, _, _ := s.MyCases(ctx, isva, throughline.MyCaseFilter{})
		if len(cs) != 1 || !slices.Equal(cs[0].Relation.Consented, []string{"C1"}) {
			t.Fatalf("isva list %+v", cs)
		}
		s.RecordConsent(ctx, throughline.Consent{CaseRef: "13RS0000101/24", ComplainantID: "C1", ISVAAgency: isva.Agency, Given: false, RecordedBy: officer.ID})
		if rel, _ := s.Relation(ctx, isva, "13RS0000101/24"); len(rel.Consented) != 0 {
			t.Fatal("withdrawn consent stands")
		}
		if trail, _ := s.Consents(ctx, "13RS0000101/24"); len(trail) != 2 || !trail[0].Given || trail[1].Given {
			t.Fatalf("consent trail %+v", trail)
		}

		// Search: by reference, and by name among the user's cases only.
		hits, _ := s.SearchCases(ctx, officer, "13RS0000101", true, 10)
		if len(hits) != 1 || hits[0].PartyID != "" {
			t.Fatalf("ref search %+v", hits)
		}
		hits, _ = s.SearchCases(ctx, officer, "amelia", true, 10)
		if len(hits) != 1 || hits[0].Ref != "13RS0000101/24" || hits[0].PartyName != "Amelia Hart" {
			t.Fatalf("name search %+v", hits)
		}
		if hits, _ := s.SearchCases(ctx, officer, "amelia", false, 10); len(hits) != 0 {
			t.Fatalf("name search without names %+v", hits)
		}
		hits, _ = s.SearchCases(ctx, sup, "hart", true, 10)
		if len(hits) != 2 {
			t.Fatalf("supervisor search %+v", hits)
		}
	})
}

func TestConsultationLogIsAppendOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, _ := openAt(t, dsn)
		seedCase(t, s, "13RS0000101/24")
		u, _, _ := s.AddUser(ctx, "Priya Shah", "officer", "police:13")
		err := s.LogConsultations(ctx,
			throughline.Consultation{UserID: u.ID, UserName: u.Name, Role: u.Role, Agency: u.Agency, CaseRef: "13RS0000101/24", Parts: []string{"summary", "timeline"}, Purpose: "officer in the case (case team)", Basis: "case_team", Channel: "page", Target: "GET /cases/{ref}"},
			throughline.Consultation{UserID: u.ID, UserName: u.Name, Role: u.Role, Agency: u.Agency, CaseRef: "13RS0000101/24", Parts: []string{"events"}, Purpose: "officer in the case (case team)", Basis: "case_team", Channel: "api", Target: "GET /api/v1/cases/{ref}/events"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.LogConsultations(ctx, throughline.Consultation{UserID: u.ID, CaseRef: "x"}); err == nil {
			t.Fatal("an entry without purpose or parts was written")
		}
		got, err := s.Consultations(ctx, throughline.ConsultationFilter{CaseRef: "13RS0000101/24"})
		if err != nil || len(got) != 2 || got[0].Channel != "api" || !slices.Equal(got[1].Parts, []string{"summary", "timeline"}) || !got[0].At.Equal(clock) {
			t.Fatalf("log %+v %v", got, err)
		}
		// The database refuses to change or delete entries: of the log, the
		// break-glass accesses and the consents.
		s.RecordConsent(ctx, throughline.Consent{CaseRef: "13RS0000101/24", ComplainantID: "C1", ISVAAgency: "isva:x", Given: true, RecordedBy: u.ID})
		sc, _ := s.CaseScope(ctx, "13RS0000101/24")
		s.BreakGlass(ctx, u, sc, "a justification long enough to pass")
		s.AdminLog(ctx, "admin", "test", "x", "")
		for _, q := range []string{
			`UPDATE consultations SET purpose = 'nothing to see'`,
			`DELETE FROM consultations`,
			`UPDATE isva_consents SET given = ` + map[bool]string{true: "false", false: "0"}[s.Dialect() == "postgres"],
			`DELETE FROM isva_consents`,
			`UPDATE break_glass SET reason = 'x'`,
			`DELETE FROM break_glass`,
			`DELETE FROM admin_actions`,
		} {
			if _, err := s.DB().ExecContext(ctx, q); err == nil {
				t.Errorf("%s: allowed", q)
			}
		}
		if s.Dialect() == "postgres" {
			if _, err := s.DB().ExecContext(ctx, `TRUNCATE consultations`); err == nil {
				t.Error("TRUNCATE consultations allowed")
			}
		}
		if got, _ := s.Consultations(ctx, throughline.ConsultationFilter{}); len(got) != 2 {
			t.Fatalf("log has %d entries after the attempts", len(got))
		}
	})
}

func TestOIDCLinkAndSecrets(t *testing.T) {
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
		k1, err := s.Secret(ctx, "pseudonym", 32)
		if err != nil || len(k1) == 0 {
			t.Fatal(err)
		}
		if k2, _ := s.Secret(ctx, "pseudonym", 32); string(k1) != string(k2) {
			t.Fatal("secret changed")
		}
		var e *throughline.Error
		_, err = s.User(ctx, "u_nobody")
		if !errors.As(err, &e) || e.Code != throughline.ENOTFOUND {
			t.Fatalf("missing user: %v", err)
		}
	})
}
