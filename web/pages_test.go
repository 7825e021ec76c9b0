package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"throughline"
	"throughline/sqlstore/storetest"
	"throughline/web"
)

func TestSignInAndCasePage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		ctx := context.Background()
		// Wrong password and unknown account read the same.
		b := s.browser()
		wrong := b.post("/sign-in", url.Values{"login": {"officer@example.gov.uk"}, "password": {"not the password at all"}})
		unknown := b.post("/sign-in", url.Values{"login": {"nobody@example.gov.uk"}, "password": {"not the password at all"}})
		if wrong.status != http.StatusUnauthorized || unknown.status != http.StatusUnauthorized ||
			!strings.Contains(wrong.body, "The sign-in name or password is not right") ||
			strings.ReplaceAll(wrong.body, "officer@example.gov.uk", "X") != strings.ReplaceAll(unknown.body, "nobody@example.gov.uk", "X") {
			t.Fatalf("failures differ:\n%s\n%s", text(wrong.body), text(unknown.body))
		}
		// Pages need a session.
		if r := s.browser().get("/cases/" + url.PathEscape(testRef)); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/sign-in") {
			t.Fatalf("signed out: %d %s", r.status, r.header.Get("Location"))
		}
		// The list names whom the log designates (ADR 0326).
		s.appendAs(testRef, s.people["officer"].ID, "police:13", `{"type":"case_team_changed","occurred_at":"2024-07-02","data":{"role":"officer_in_case","name":"DC Priya Shah","handover":"First designation"}}`)
		s.appendAs(testRef, s.people["prosecutor"].ID, "cps:yorkshire_humberside", `{"type":"case_team_changed","occurred_at":"2024-07-02","data":{"role":"reviewing_prosecutor","name":"Ruth Adeyemi","handover":"First designation"}}`)
		officer := s.signIn("officer")
		r := officer.get("/cases")
		if r.status != 200 || !strings.Contains(r.body, testRef) || !strings.Contains(r.body, "Amelia Hart v Daniel Ross") || !strings.Contains(r.body, "Priya Shah") || !strings.Contains(r.body, "Ruth Adeyemi") {
			t.Fatalf("cases: %d %s", r.status, text(r.body))
		}
		r = officer.get("/cases/" + url.PathEscape(testRef))
		if r.status != 200 || !strings.Contains(r.body, "Amelia Hart") || !strings.Contains(r.body, "Daniel Ross") || !strings.Contains(r.body, "moj-timeline") {
			t.Fatalf("case page: %d %s", r.status, text(r.body))
		}
		log, _ := s.store.Consultations(ctx, throughline.ConsultationFilter{CaseRef: testRef})
		// Newest first: the case page, then the list, which names the
		// people too.
		if len(log) != 2 || log[0].UserID != s.people["officer"].ID || log[0].Basis != throughline.BasisTeam || log[0].Channel != "page" || !strings.Contains(strings.Join(log[0].Parts, ","), "timeline") ||
			log[1].Target != "GET /cases" || !strings.Contains(strings.Join(log[1].Parts, ","), "parties") {
			t.Fatalf("consultation log: %+v", log)
		}
		// Others: 404, exactly as a case that does not exist.
		for _, key := range []string{"outsider", "colleague", "admin", "isva", "inspector"} {
			b := s.signIn(key)
			got := b.get("/cases/" + url.PathEscape(testRef))
			none := b.get("/cases/NO-SUCH-CASE")
			if got.status != http.StatusNotFound || none.status != http.StatusNotFound || strings.Contains(got.body, "Amelia") {
				t.Errorf("%s: %d / %d", key, got.status, none.status)
			}
		}
	})
}

// fakeDeadlines stands in for the deadlines projection.
type fakeDeadlines struct{ due []throughline.CaseDeadline }

func (f fakeDeadlines) DeadlinesDue(ctx context.Context, _ throughline.DeadlineFilter) ([]throughline.CaseDeadline, error) {
	return f.due, nil
}

func TestCaseListFiltersAndSorts(t *testing.T) {
	s := newSite(t, storetest.DSNs(t)["sqlite"])
	ctx := context.Background()
	s.loadJourney("13RS0000102/24", 12)
	s.store.SetCaseMember(ctx, "test", "13RS0000102/24", "user", s.people["officer"].ID, true)
	today := s.clock.Now()
	overdue := throughline.CaseDeadline{Case: "13RS0000102/24"}
	overdue.Rule, overdue.Due = "victim_told_charge", today.AddDate(0, 0, -3)
	soon := throughline.CaseDeadline{Case: testRef}
	soon.Rule, soon.Due = "victim_told_charge", today.AddDate(0, 0, 1)
	s.configure(func(ws *web.Server) { ws.Deadlines = fakeDeadlines{due: []throughline.CaseDeadline{overdue, soon}} })
	b := s.signIn("officer")
	all := b.get("/cases?sort=ref")
	if !strings.Contains(all.body, testRef) || !strings.Contains(all.body, "13RS0000102/24") || strings.Index(all.body, testRef) > strings.Index(all.body, "13RS0000102/24") {
		t.Fatalf("list by ref: %s", text(all.body))
	}
	if r := b.get("/cases?sort=ref&dir=desc"); strings.Index(r.body, testRef) < strings.Index(r.body, "13RS0000102/24") {
		t.Fatal("descending sort")
	}
	if r := b.get("/cases?due=overdue"); !strings.Contains(r.body, "13RS0000102/24") || strings.Contains(r.body, ">"+testRef+"<") {
		t.Fatalf("overdue filter: %s", text(r.body))
	}
	if r := b.get("/cases?due=soon"); strings.Contains(r.body, "13RS0000102/24") || !strings.Contains(r.body, testRef) {
		t.Fatalf("due soon filter: %s", text(r.body))
	}
	if r := b.get("/cases?stage=charged"); !strings.Contains(r.body, "13RS0000102/24") || strings.Contains(r.body, ">"+testRef+"<") {
		t.Fatalf("stage filter: %s", text(r.body))
	}
	if r := b.get("/cases?force=01"); strings.Contains(r.body, "13RS") {
		t.Fatal("force filter")
	}
}
