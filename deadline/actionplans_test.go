package deadline_test

import (
	"testing"

	"throughline"
	"throughline/deadline"
)

// Each item of a plan is due on its own date, for its owner: done late is
// met late, cancelled in time is not applicable, withdrawn by both
// supervisors in time is not applicable, left undone is missed and
// escalates; a conference's items are deadlines too.
func TestActionItemDeadlines(t *testing.T) {
	l := open("2025-01-06", false, "D1")
	l.add("2025-02-03", &throughline.ActionPlanIssued{PlanID: "P1", Items: []throughline.ActionItem{
		{ItemID: "1", Description: "Phone download", Owner: "police", Due: "2025-02-28"},
		{ItemID: "2", Description: "Counselling records", Owner: "police", Due: "2025-03-14"},
		{ItemID: "3", Description: "Advice on bad character", Owner: "cps", Due: "2025-02-17"},
		{ItemID: "4", Description: "Neighbour's statement", Owner: "police", Due: "2025-03-07"}}})
	l.add("2025-03-04", &throughline.ActionItemCompleted{PlanID: "P1", ItemID: "1"})
	l.add("2025-02-10", &throughline.ActionItemCancelled{PlanID: "P1", ItemID: "3", Reason: "Advised at the conference"})
	l.add("2025-03-01", &throughline.ActionItemDisputed{PlanID: "P1", ItemID: "2", Reason: "Not a reasonable line of enquiry"})
	police := throughline.Event{Case: "TL-1", Version: int64(len(l.evs) + 1), Type: throughline.TypeDisputeResolved, OccurredAt: when("2025-03-05"), RecordedAt: when("2025-03-05"),
		Agency: "police:13", Data: &throughline.DisputeResolved{PlanID: "P1", ItemID: "2", Outcome: "withdrawn", Note: "Agreed"}}
	cps := police
	cps.Version, cps.Agency = police.Version+1, "cps:yorkshire_humberside"
	l.evs = append(l.evs, police, cps)
	l.add("2025-03-10", &throughline.CaseConferenceHeld{ConferenceID: "CC1", Attendees: []throughline.Attendee{{Agency: "police", Name: "DC Shah"}, {Agency: "cps", Name: "R Adeyemi"}},
		Decisions: "Charge on receipt of the statement", Items: []throughline.ActionItem{{ItemID: "1", Description: "Statement", Owner: "police", Due: "2025-03-20"}}})

	asOf := day("2025-03-18")
	got := map[string]throughline.Deadline{}
	for _, d := range deadline.Compute(l.evs) {
		if d.Rule == deadline.ActionItem {
			got[d.Concerning] = d
		}
	}
	for item, want := range map[string]struct{ status, owner string }{
		"item:P1/1": {throughline.DeadlineMetLate, "police"}, "item:P1/2": {throughline.DeadlineNotApplicable, "police"},
		"item:P1/3": {throughline.DeadlineNotApplicable, "cps"}, "item:P1/4": {throughline.DeadlineMissed, "police"},
		"item:CC1/1": {throughline.DeadlineDueSoon, "police"},
	} {
		d, ok := got[item]
		if !ok {
			t.Errorf("no deadline for %s", item)
			continue
		}
		if s := d.Status(asOf); s != want.status || d.Owner != want.owner {
			t.Errorf("%s: %s for %s, want %s for %s (%+v)", item, s, d.Owner, want.status, want.owner, d)
		}
		if escalated := deadline.Escalated(d, asOf); escalated != (want.status == throughline.DeadlineMissed) {
			t.Errorf("%s escalated: %t", item, escalated)
		}
	}
	if w := got["item:CC1/1"].Warnings; len(w) != 2 || !w[0].Equal(day("2025-03-13")) || !w[1].Equal(day("2025-03-19")) {
		t.Errorf("reminders %v", w)
	}
	if len(got) != 5 {
		t.Errorf("%d item deadlines, want 5", len(got))
	}
}
