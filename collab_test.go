package throughline_test

import (
	"strings"
	"testing"

	"throughline"
)

// collab builds events of the journey's case as an agency records them.
func collab(t *testing.T) func(typ, when, agency string, d throughline.Data) throughline.Event {
	return func(typ, when, agency string, d throughline.Data) throughline.Event {
		t.Helper()
		w, err := throughline.ParseWhen(when)
		if err != nil {
			t.Fatal(err)
		}
		return throughline.Event{Case: "13RS0000101/24", Type: typ, OccurredAt: w, RecordedAt: w, Agency: agency, Data: d}
	}
}

const (
	police = "police:13"
	cps    = "cps:yorkshire_humberside"
)

// step decides and applies e, failing on a refusal; refused checks that e
// is refused with a message containing want and changes nothing.
func step(t *testing.T, c *throughline.Case, e throughline.Event) {
	t.Helper()
	if _, err := throughline.Decide(c, e); err != nil {
		t.Fatalf("%s refused: %v", e.Type, err)
	}
	c.Apply(e)
}

func refused(t *testing.T, c *throughline.Case, e throughline.Event, want string) {
	t.Helper()
	_, err := throughline.Decide(c, e)
	if throughline.ErrorCode(err) != throughline.EINVALID || !strings.Contains(err.Error(), want) {
		t.Fatalf("%s: got %v, want a refusal containing %q", e.Type, err, want)
	}
}

// A file is assessed as not acceptable with two reasons; the police accept
// one and dispute the other; a police supervisor and a CPS manager settle
// the dispute only when both have recorded the same outcome.
func TestFileQualityAndItsDispute(t *testing.T) {
	ev := collab(t)
	c := fold(t, journey(t)[:2]) // opened; preferences
	assess := ev("file_quality_assessed", "2024-06-05", cps, &throughline.FileQualityAssessed{AssessmentID: "Q1", SuspectID: "D1", Outcome: "not_acceptable",
		Reasons: []throughline.QualityReason{{Code: "missing_statements", Comment: "No statement from the first-account witness"}, {Code: "no_digital_review"}}})
	refused(t, c, assess, "no file has been submitted on suspect D1")
	step(t, c, ev("file_submitted", "2024-06-03", police, &throughline.FileSubmitted{SuspectID: "D1", Purpose: "charging_decision",
		Contents: []throughline.FileContent{{Item: "mg3", Status: "attached"}, {Item: "witness_statements", Status: "outstanding"}}}))
	step(t, c, assess)
	refused(t, c, assess, "assessment Q1 already exists")

	step(t, c, ev("file_quality_answered", "2024-06-06", police, &throughline.FileQualityAnswered{AssessmentID: "Q1", Reason: "missing_statements", Answer: "accepted"}))
	refused(t, c, ev("file_quality_answered", "2024-06-06", police, &throughline.FileQualityAnswered{AssessmentID: "Q1", Reason: "missing_statements", Answer: "disputed", Comment: "x"}), "already accepted")
	refused(t, c, ev("file_quality_answered", "2024-06-06", police, &throughline.FileQualityAnswered{AssessmentID: "Q1", Reason: "forensic_outstanding", Answer: "accepted"}), "gives no reason forensic_outstanding")
	step(t, c, ev("file_quality_answered", "2024-06-06", police, &throughline.FileQualityAnswered{AssessmentID: "Q1", Reason: "no_digital_review", Answer: "disputed", Comment: "The download report is at tab 7"}))

	a := c.Assessment("Q1")
	if got := []string{a.Reason("missing_statements").Status(), a.Reason("no_digital_review").Status()}; got[0] != throughline.ReasonAccepted || got[1] != throughline.ReasonDisputed {
		t.Fatalf("reason statuses %v", got)
	}
	settle := func(agency, outcome string) throughline.Event {
		return ev("dispute_resolved", "2024-06-10", agency, &throughline.DisputeResolved{AssessmentID: "Q1", Reason: "no_digital_review", Outcome: outcome, Note: "Reviewed together"})
	}
	refused(t, c, ev("dispute_resolved", "2024-06-10", "synthetic", &throughline.DisputeResolved{AssessmentID: "Q1", Reason: "no_digital_review", Outcome: "withdrawn", Note: "x"}), "police supervisor and a CPS manager together")
	refused(t, c, ev("dispute_resolved", "2024-06-10", cps, &throughline.DisputeResolved{AssessmentID: "Q1", Reason: "missing_statements", Outcome: "withdrawn", Note: "x"}), "not in dispute")
	step(t, c, settle(police, "withdrawn"))
	refused(t, c, settle(police, "withdrawn"), "the other side's supervisor must now record theirs")
	step(t, c, settle(cps, "upheld")) // they disagree: still disputed
	if s := a.Reason("no_digital_review").Status(); s != throughline.ReasonDisputed {
		t.Fatalf("sides disagree, status %s", s)
	}
	step(t, c, settle(cps, "withdrawn"))
	if s := c.Assessment("Q1").Reason("no_digital_review").Status(); s != throughline.ReasonWithdrawn {
		t.Fatalf("settled status %s", s)
	}
	refused(t, c, settle(police, "upheld"), "not in dispute")
}

// An action plan's items: done, disputed and settled, cancelled by the
// issuer only; the plan is complete when every item is done or cancelled.
func TestActionPlanItems(t *testing.T) {
	ev := collab(t)
	c := fold(t, journey(t)[:1])
	step(t, c, ev("action_plan_issued", "2024-03-01", cps, &throughline.ActionPlanIssued{PlanID: "P1", Items: []throughline.ActionItem{
		{ItemID: "1", Category: "digital", Description: "Download the complainant's phone", Owner: "police", OwnerName: "DC Priya Shah", Due: "2024-03-29"},
		{ItemID: "2", Category: "third_party_material", Description: "Obtain the counselling records", Owner: "police", Due: "2024-04-12"},
		{ItemID: "3", Category: "other", Description: "Advise on bad character", Owner: "cps", Due: "2024-03-15"}}}))
	p := c.Plan("P1")
	if p.IssuedBy != "cps" || p.Complete() {
		t.Fatalf("plan %+v", p)
	}
	step(t, c, ev("action_item_completed", "2024-03-20", police, &throughline.ActionItemCompleted{PlanID: "P1", ItemID: "1"}))
	refused(t, c, ev("action_item_disputed", "2024-03-21", cps, &throughline.ActionItemDisputed{PlanID: "P1", ItemID: "2", Reason: "x"}), "only they dispute it")
	step(t, c, ev("action_item_disputed", "2024-03-21", police, &throughline.ActionItemDisputed{PlanID: "P1", ItemID: "2", Reason: "Not relevant to an issue in the case: a fishing expedition"}))
	step(t, c, ev("action_item_commented", "2024-03-22", cps, &throughline.ActionItemCommented{PlanID: "P1", ItemID: "2", Comment: "Let us discuss at the conference"}))
	refused(t, c, ev("action_item_cancelled", "2024-03-22", police, &throughline.ActionItemCancelled{PlanID: "P1", ItemID: "3", Reason: "x"}), "only they cancel its items")
	step(t, c, ev("action_item_cancelled", "2024-03-22", cps, &throughline.ActionItemCancelled{PlanID: "P1", ItemID: "3", Reason: "Advice given at the conference"}))
	step(t, c, ev("dispute_resolved", "2024-03-25", police, &throughline.DisputeResolved{PlanID: "P1", ItemID: "2", Outcome: "withdrawn", Note: "Agreed: not a reasonable line of enquiry"}))
	if s := p.Item("2").Status(); s != throughline.ItemDisputed || p.Complete() {
		t.Fatalf("one side only: %s", s)
	}
	step(t, c, ev("dispute_resolved", "2024-03-26", cps, &throughline.DisputeResolved{PlanID: "P1", ItemID: "2", Outcome: "withdrawn", Note: "Agreed"}))
	got := []string{p.Item("1").Status(), p.Item("2").Status(), p.Item("3").Status()}
	if got[0] != throughline.ItemDone || got[1] != throughline.ItemCancelled || got[2] != throughline.ItemCancelled || !p.Complete() {
		t.Fatalf("statuses %v, complete %t", got, p.Complete())
	}
	if len(p.Item("2").Comments) != 1 || p.Item("2").Comments[0].Agency != cps {
		t.Fatalf("comments %+v", p.Item("2").Comments)
	}
	refused(t, c, ev("action_item_completed", "2024-03-27", police, &throughline.ActionItemCompleted{PlanID: "P1", ItemID: "2"}), "was cancelled on 2024-03-26")

	// The police issue items to the CPS too; an upheld dispute puts the
	// item back to pending.
	step(t, c, ev("action_plan_issued", "2024-04-01", police, &throughline.ActionPlanIssued{PlanID: "P2", Items: []throughline.ActionItem{
		{ItemID: "1", Category: "witness", Description: "Advise whether the neighbour is a witness of fact", Owner: "cps", Due: "2024-04-15"}}}))
	step(t, c, ev("action_item_disputed", "2024-04-02", cps, &throughline.ActionItemDisputed{PlanID: "P2", ItemID: "1", Reason: "Already advised on 1 March"}))
	for _, a := range []string{police, cps} {
		step(t, c, ev("dispute_resolved", "2024-04-03", a, &throughline.DisputeResolved{PlanID: "P2", ItemID: "1", Outcome: "upheld", Note: "The advice did not cover the neighbour"}))
	}
	if s := c.Plan("P2").Item("1").Status(); s != throughline.ItemPending {
		t.Fatalf("upheld: %s", s)
	}
}

// Designations on the case are events, by the agency the role belongs to,
// each with a hand-over note; a case conference's items are a plan.
func TestTeamChangesAndConferences(t *testing.T) {
	ev := collab(t)
	c := fold(t, journey(t)[:1])
	oic := func(agency, name string) throughline.Event {
		return ev("case_team_changed", "2024-02-01", agency, &throughline.CaseTeamChanged{Role: "officer_in_case", Name: name, Phone: "01132 000000", Handover: "Phone download outstanding; complainant prefers email"})
	}
	refused(t, c, oic(cps, "DC Priya Shah"), "the officer in the case is designated by the police")
	step(t, c, oic(police, "DC Priya Shah"))
	refused(t, c, oic(police, "DC Priya Shah"), "already the officer in the case")
	step(t, c, oic(police, "DC Lee Marsh"))
	if d := c.Designated("officer_in_case"); d == nil || d.Name != "DC Lee Marsh" || len(c.Team) != 1 {
		t.Fatalf("team %+v", c.Team)
	}
	conf := ev("case_conference_held", "2024-02-10", police, &throughline.CaseConferenceHeld{ConferenceID: "CC1",
		Attendees: []throughline.Attendee{{Agency: "police", Name: "DC Lee Marsh"}, {Agency: "cps", Name: "Ruth Adeyemi"}},
		Decisions: "Obtain the neighbour's statement before a charging decision",
		Items:     []throughline.ActionItem{{ItemID: "1", Category: "statements", Description: "Neighbour's statement", Owner: "police", Due: "2024-03-01"}}})
	step(t, c, conf)
	refused(t, c, conf, "case conference CC1 already exists")
	if p := c.Plan("CC1"); p == nil || p.IssuedBy != "conference" || len(p.Items) != 1 {
		t.Fatalf("conference plan %+v", c.Plans)
	}
}

// Payloads are checked on their own before the case is asked.
func TestCollabPayloads(t *testing.T) {
	for typ, data := range map[string]string{
		"file_quality_assessed": `{"assessment_id": "Q1", "suspect_id": "D1", "outcome": "not_acceptable"}`,
		"file_quality_answered": `{"assessment_id": "Q1", "reason": "other", "answer": "disputed"}`,
		"dispute_resolved":      `{"assessment_id": "Q1", "plan_id": "P1", "outcome": "upheld", "note": "x"}`,
		"case_team_changed":     `{"role": "officer_in_case", "name": "DC Shah"}`,
		"case_conference_held":  `{"conference_id": "CC1", "attendees": [{"agency": "police", "name": "DC Shah"}], "decisions": "x"}`,
		"action_plan_issued":    `{"plan_id": "P1", "items": [{"item_id": "1", "category": "gossip", "description": "x", "owner": "police", "due": "2024-01-01"}]}`,
		"file_submitted":        `{"suspect_id": "D1", "purpose": "early_advice", "contents": [{"item": "mg3", "status": "lost"}]}`,
	} {
		if _, err := throughline.DecodeData(typ, []byte(data)); throughline.ErrorCode(err) != throughline.EINVALID {
			t.Errorf("%s %s: %v", typ, data, err)
		}
	}
}
