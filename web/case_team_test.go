package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"throughline/sqlstore/storetest"
	"throughline/web"
)

// Who is on a case has one answer, the log's (case_team_changed, ADR
// 0326): the case page, the case list and the victim's portal all name
// the officer and the Witness Care officer it designates, not the people
// who merely have access. Here the officer with access is Priya Shah and
// the Witness Care officer with access is Gwen Price, but the log
// designates DC Ruby Robinson and Freya Wilson.
func TestCasePageListAndPortalNameTheSameTeam(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		codes := make(chan string, 2)
		s.configure(func(w *web.Server) {
			w.PortalSend = func(ctx context.Context, channel, to, subject, body string) error {
				codes <- sixDigits.FindString(body)
				return nil
			}
		})
		designate := func(role, name, agency string) {
			s.appendAs(testRef, "import", agency, `{"type":"case_team_changed","occurred_at":"2026-11-24","data":{"role":"`+role+`","name":"`+name+`","handover":"Taking the case over"}}`)
		}
		designate("officer_in_case", "DC Ruby Robinson", "police:13")
		designate("witness_care_officer", "Freya Wilson", "wcu:13")
		designate("reviewing_prosecutor", "Ruth Adeyemi", "cps:yorkshire_humberside")

		officer := s.signIn("officer")
		page := text(officer.get("/cases/" + url.PathEscape(testRef)).body)
		for _, want := range []string{"Officer in the case DC Ruby Robinson", "Witness Care officer Freya Wilson", "Reviewing prosecutor Ruth Adeyemi"} {
			if !strings.Contains(page, want) {
				t.Errorf("the case page lacks %q:\n%s", want, page)
			}
		}
		list := officer.get("/cases").body
		table := text(list[strings.Index(list, "<table"):])
		if !strings.Contains(table, testRef) || !strings.Contains(table, "DC Ruby Robinson Ruth Adeyemi") || strings.Contains(table, "Priya Shah") {
			t.Errorf("the case list's row names another officer or prosecutor than the case page:\n%s", table)
		}

		victim := s.browser()
		victim.post("/victim/sign-in", url.Values{"ref": {testRef}})
		if r := victim.post("/victim/code", url.Values{"ref": {testRef}, "code": {<-codes}}); r.status != http.StatusSeeOther {
			t.Fatalf("victim sign-in: %d %s", r.status, text(r.body))
		}
		portal := text(victim.get("/victim/case").body)
		for _, want := range []string{"Freya Wilson", "DC Ruby Robinson"} {
			if !strings.Contains(portal, want) {
				t.Errorf("her portal lacks %q:\n%s", want, portal)
			}
		}
		for _, not := range []string{"Priya Shah", "Gwen Price"} {
			if strings.Contains(portal, not) {
				t.Errorf("her portal names %q, who has access but is not designated:\n%s", not, portal)
			}
		}
	})
}
