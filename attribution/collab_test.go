package attribution

import "testing"

// A police item disputed by the police waits on the CPS (who issued it)
// until both supervisors settle it; upheld, it is the police's again;
// withdrawn, it no longer holds the case. A cancelled item and a
// conference's items count like any other.
func TestDisputedAndCancelledItems(t *testing.T) {
	evs := history(t, opened1,
		`2024-02-01 action_plan_issued@cps:yorkshire_humberside {"plan_id":"P1","items":[{"item_id":"1","description":"Phone download","owner":"police","due":"2024-03-01"},{"item_id":"2","description":"Counselling records","owner":"police","due":"2024-03-01"}]}`,
		`2024-02-05 action_item_completed {"plan_id":"P1","item_id":"1"}`,
		`2024-02-10 action_item_disputed@police:13 {"plan_id":"P1","item_id":"2","reason":"Not a reasonable line of enquiry"}`,
		`2024-02-15 dispute_resolved@police:13 {"plan_id":"P1","item_id":"2","outcome":"upheld","note":"On reflection it stands"}`,
		`2024-02-20 dispute_resolved@cps:yorkshire_humberside {"plan_id":"P1","item_id":"2","outcome":"upheld","note":"It stands"}`,
		`2024-03-01 action_item_cancelled@cps:yorkshire_humberside {"plan_id":"P1","item_id":"2","reason":"The records were disclosed by the service"}`,
		`2024-03-05 case_conference_held@police:13 {"conference_id":"CC1","attendees":[{"agency":"police","name":"DC Shah"},{"agency":"cps","name":"R Adeyemi"}],"decisions":"One more statement","items":[{"item_id":"1","description":"Statement","owner":"cps","due":"2024-03-20"}]}`,
		`2024-03-12 action_item_completed {"plan_id":"CC1","item_id":"1"}`,
	)
	r := Spans(evs, at("2024-03-15"))
	checkSpans(t, r.Spans,
		span{"police", "2024-01-15", "2024-01-31", RuleInvestigation},
		span{"police", "2024-02-01", "2024-02-09", RulePoliceItem},
		span{"cps", "2024-02-10", "2024-02-19", RuleCPSItem},
		span{"police", "2024-02-20", "2024-02-29", RulePoliceItem},
		span{"police", "2024-03-01", "2024-03-04", RuleInvestigation},
		span{"cps", "2024-03-05", "2024-03-11", RuleCPSItem},
		span{"police", "2024-03-12", "2024-03-14", RuleInvestigation},
	)
	if total := r.Days.Police + r.Days.CPS; total != int(r.End-r.Reported) {
		t.Errorf("days %+v do not add up to %d", r.Days, int(r.End-r.Reported))
	}
}
