package sqlstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"throughline"
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

// addUser stores a user without a sign-in, as identity's AddUser would.
func addUser(t *testing.T, s *sqlstore.Store, name, role, agency string) throughline.User {
	t.Helper()
	b := make([]byte, 8)
	rand.Read(b)
	u := throughline.User{ID: "u_" + hex.EncodeToString(b), Name: name, Role: role, Agency: agency}
	if err := s.InsertUser(context.Background(), throughline.NewUser{User: u, TokenHash: b, Created: s.Now()}, nil); err != nil {
		t.Fatal(err)
	}
	return u
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
		officer := addUser(t, s, "Priya Shah", "officer", "police:13")
		sup := addUser(t, s, "Tom Hughes", "police_supervisor", "police:13")
		pros := addUser(t, s, "Ruth Adeyemi", "prosecutor", "cps:yorkshire_humberside")
		isva := addUser(t, s, "Ana Lopes", "isva", "isva:rape-crisis-leeds")
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
		// A CPS manager lists every case of their area, and none of another.
		if got := refs(addUser(t, s, "Hannah Mills", "cps_manager", "cps:yorkshire_humberside")); len(got) != 2 {
			t.Fatalf("CPS manager lists %v", got)
		}
		if got := refs(addUser(t, s, "Omar Reid", "cps_manager", "cps:london_north")); len(got) != 0 {
			t.Fatalf("CPS manager of another area lists %v", got)
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
		// Several cases at once say what each says alone.
		rels, err := s.RelationsOf(ctx, officer, []string{"13RS0000101/24", "13RS0000102/24", "13RS9999999/99"})
		if err != nil || !rels["13RS0000101/24"].OnTeam || rels["13RS0000101/24"].BreakGlass != "" ||
			rels["13RS0000102/24"].OnTeam || rels["13RS0000102/24"].BreakGlass != g.ID || len(rels) != 2 {
			t.Fatalf("relations to three cases: %+v, %v; want on the team of the first, by break-glass on the second", rels, err)
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
		u := addUser(t, s, "Priya Shah", "officer", "police:13")
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

func TestSecretsAndMissingUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, _ := openAt(t, dsn)
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

// An export logs a consultation of every case it holds, in one write: more
// chains than any database takes parameters in one statement. Found by
// exporting the national set ("too many SQL variables").
func TestConsultationsOfEveryCase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, _ := openAt(t, dsn)
		u := addUser(t, s, "Priya Shah", "officer", "police:13")
		var cs []throughline.Consultation
		for i := range 20000 {
			c := throughline.Consultation{UserID: u.ID, UserName: u.Name, Role: u.Role, Agency: u.Agency, CaseRef: fmt.Sprintf("13RS%07d/24", i), Parts: []string{"events"}, Purpose: "bulk export by an operator", Basis: "admin", Channel: "export", Target: "export"}
			cs = append(cs, c)
			if i%5000 == 0 { // a case consulted twice in the write keeps its order
				c.Parts = []string{"personal data"}
				cs = append(cs, c)
			}
		}
		if err := s.LogConsultations(ctx, cs...); err != nil {
			t.Fatal(err)
		}
		got, err := s.Consultations(ctx, throughline.ConsultationFilter{CaseRef: "13RS0005000/24"})
		if err != nil || len(got) != 2 || got[0].Parts[0] != "personal data" || got[1].Parts[0] != "events" {
			t.Fatalf("case consulted twice: %+v %v", got, err)
		}
		problems, n, err := s.VerifyLogs(ctx)
		if err != nil || len(problems) != 0 || n < int64(len(cs)) {
			t.Fatalf("verify: %v %d %v", problems, n, err)
		}
	})
}
