package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"throughline"
	"throughline/sqlstore/storetest"
)

// Her voice, counted: victims' answers roll up per stage for everyone who
// may see the measures (small numbers withheld from the commissioner);
// a police supervisor also reads what the victims of their force's cases
// wrote, never another force's, and each case whose comment they read is
// in the consultation log; an officer may not see the page.
func TestVictimsFeedbackRollsUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		ctx := context.Background()
		s.addPerson("commissioner", "Grace Whitfield", throughline.RoleCommissioner, "commissioner")
		s.openCase("01RS0000900/25", "01", "london_north")
		for _, f := range []throughline.Feedback{
			{CaseRef: testRef, ComplainantID: "C1", Stage: "charge", Rating: 2, Comment: "Nobody told me about the hearing."},
			{CaseRef: testRef, ComplainantID: "C1", Stage: "verdict", Rating: 5},
			{CaseRef: "01RS0000900/25", ComplainantID: "C1", Stage: "charge", Rating: 4, Comment: "A London victim's words."},
		} {
			if err := s.store.GiveFeedback(ctx, f); err != nil {
				t.Fatal(err)
			}
		}
		q := "/dashboard/feedback?" + url.Values{"from": {"2026Q4"}, "to": {"2026Q4"}}.Encode()

		sup := s.signIn("supervisor")
		r := sup.get(q)
		page := html.UnescapeString(text(r.body))
		for _, want := range []string{
			"Victims' feedback: West Yorkshire Police and England and Wales",
			"After the charge 1 0 1 0 0 0 2.0 0%",  // West Yorkshire
			"After the charge 2 0 1 0 1 0 3.0 50%", // England and Wales
			"After the verdict 1 0 0 0 0 1 5.0 100%",
			"After the sentence 0 0 0 0 0 0 No answers No answers",
			"What victims wrote: West Yorkshire Police", "Nobody told me about the hearing.", "2 – Poorly", "Case " + testRef,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("the supervisor's page lacks %q:\n%s", want, page)
			}
		}
		if r.status != http.StatusOK || strings.Contains(page, "A London victim's words.") {
			t.Errorf("%d; another force's comment shown", r.status)
		}
		cs, err := s.store.Consultations(ctx, throughline.ConsultationFilter{CaseRef: testRef, UserID: s.people["supervisor"].ID})
		if err != nil || len(cs) != 1 || !slices.Contains(cs[0].Parts, throughline.PartVictim) {
			t.Errorf("reading the comments is not logged against the case: %v %+v", err, cs)
		}

		com := html.UnescapeString(text(s.signIn("commissioner").get(q).body))
		if !strings.Contains(com, "After the charge Fewer than 5") || strings.Contains(com, "Nobody told me") || strings.Contains(com, "What victims wrote") {
			t.Errorf("the commissioner's page:\n%s", com)
		}
		if r := s.signIn("officer").get(q); r.status == http.StatusOK {
			t.Errorf("an officer sees the measures: %d", r.status)
		}
		if r := sup.get("/dashboard/feedback?from=1999Q1"); r.status != http.StatusUnprocessableEntity {
			t.Errorf("a quarter out of range: %d", r.status)
		}
	})
}
