package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"throughline"
	"throughline/sqlstore/storetest"
)

// A case-file review gives its reviewers, and nobody else, a relation to
// the cases of its sample while its window is open, and none the moment it
// closes; it is never changed, and drawing it is in the administrators' log.
func TestReviewWindow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, m := openAt(t, dsn)
		lead := throughline.User{ID: "u_lead", Role: throughline.RoleInspector, Agency: "inspectorate"}
		other := throughline.User{ID: "u_other", Role: throughline.RoleInspector, Agency: "inspectorate"}
		id, err := s.CreateReview(ctx, throughline.CaseReview{Title: "Thematic 2026", By: "force", PerStratum: 2, Seed: 7,
			CreatedBy: lead.ID, CreatedAt: m.Now(), Ends: m.Now().Add(30 * 24 * time.Hour), Reviewers: []string{lead.ID},
			Cases:     []throughline.ReviewCase{{Case: "13RS0000001/24", Stratum: "13|convicted"}, {Case: "13RS0000002/24", Stratum: "13|not_charged"}},
			Questions: throughline.DefaultReviewQuestions[:2]})
		if err != nil {
			t.Fatal(err)
		}
		rel := func(u throughline.User, ref string) throughline.Relation {
			r, err := s.Relation(ctx, u, ref)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		if r := rel(lead, "13RS0000001/24"); r.Review != id || r.ReviewTitle != "Thematic 2026" {
			t.Errorf("the reviewer's relation to a sampled case: %+v", r)
		}
		if r := rel(lead, "13RS0000003/24"); r.Review != "" {
			t.Errorf("a case not drawn: %+v", r)
		}
		if r := rel(other, "13RS0000001/24"); r.Review != "" {
			t.Errorf("an inspector not on the review: %+v", r)
		}
		m.advance(30*24*time.Hour - time.Second)
		if r := rel(lead, "13RS0000002/24"); r.Review != id {
			t.Errorf("a second before the window closes: %+v", r)
		}
		m.advance(time.Second)
		if r := rel(lead, "13RS0000002/24"); r.Review != "" {
			t.Errorf("the window has closed, yet: %+v", r)
		}
		got, err := s.Reviews(ctx, lead.ID)
		if err != nil || len(got) != 1 || len(got[0].Cases) != 2 || got[0].Seed != 7 || got[0].Reviewers[0] != lead.ID {
			t.Fatalf("reviews: %+v %v", got, err)
		}
		if mine, _ := s.Reviews(ctx, other.ID); len(mine) != 0 {
			t.Errorf("another inspector lists %d reviews", len(mine))
		}
		for _, q := range []string{`UPDATE case_reviews SET ends_at = '2099-01-01T00:00:00.000000Z'`, `DELETE FROM case_review_cases`, `DELETE FROM case_review_reviewers`} {
			if _, err := s.DB().ExecContext(ctx, q); err == nil {
				t.Errorf("%s: allowed", q)
			}
		}
		log, err := s.AdminActions(ctx, 10)
		if err != nil || len(log) == 0 || log[0].Action != "case_review_drawn" || log[0].Subject != id {
			t.Errorf("the administrators' log: %+v %v", log, err)
		}
		if q := got[0].Questions; len(q) != 2 || q[1] != throughline.DefaultReviewQuestions[1] {
			t.Errorf("questions: %q", q)
		}
		// Answers: a later answer to the same question stands; each is logged.
		at := m.Now()
		for _, a := range []throughline.ReviewAnswer{
			{Case: "13RS0000001/24", Question: 1, UserID: lead.ID, Answer: throughline.AnswerNo, Finding: "Told of the charge 9 days late", At: at},
			{Case: "13RS0000001/24", Question: 1, UserID: lead.ID, Answer: throughline.AnswerPartly, Finding: "Told late once, on time after", At: at.Add(time.Minute)},
			{Case: "13RS0000001/24", Question: 2, UserID: lead.ID, Answer: throughline.AnswerYes, At: at},
		} {
			if err := s.RecordAnswers(ctx, id, []throughline.ReviewAnswer{a}); err != nil {
				t.Fatal(err)
			}
		}
		answers, err := s.ReviewAnswers(ctx, id)
		if err != nil || len(answers) != 2 || answers[0].Answer != throughline.AnswerPartly || answers[0].Finding != "Told late once, on time after" || answers[1].Question != 2 {
			t.Errorf("answers standing: %+v %v", answers, err)
		}
		if _, err := s.DB().ExecContext(ctx, `UPDATE case_review_answers SET answer = 'yes'`); err == nil {
			t.Error("an answer was changed")
		}
		if log, _ := s.AdminActions(ctx, 1); len(log) == 0 || log[0].Action != "case_review_answered" {
			t.Errorf("the answers are not in the administrators' log: %+v", log)
		}
	})
}
