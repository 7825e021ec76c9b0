package oversight

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"throughline"
)

// The conditions every request below answers (s.44A(3), (4), s.44B(2)).
const answers = `"holder":"Leeds Rape Crisis","holder_belief":"She told the officer in interview she saw a counsellor there.","line_of_enquiry":"Whether her first account came before the suspect contacted her.","necessity":"Only the date of the first session is sought, nothing of its content.","reason":"To check when you first told someone about what happened to you.","handling":"Only the officer and the prosecutor will read it, and it is kept locked."`

const probative = `,"probative_value":"The date of her first disclosure is the one fact that meets his account."`

// caseRequests: an adult in West Yorkshire. In the first quarter of 2026
// six requests are drafted and five made, with her notice before (two, one
// of them given the same day, later in the day, than the request), after,
// under an s.44B(5) exception, and not given (a phone call is not notice,
// s.44B(2)); one is withdrawn before it is made, another after. She agrees
// to one device extraction in March and withdraws it; in April she refuses
// another.
const caseRequests = `
case_opened 2026-02-02 {"force":"13","cps_area":"yorkshire_humberside","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"Amelia Hart","date_of_birth":"1998-04-02","sex":"female","ethnicity":"white","language":"en"}],"suspects":[{"id":"D1","name":"Daniel Ross"}]}
device_extraction_requested 2026-03-01 {"complainant_id":"C1","request_id":"E1","device":"your mobile phone","information_sought":"The messages between you and him in the week after.","scope_from":"2026-01-01","scope_to":"2026-01-31","data_kinds":["messages"],"reason":"He says you stayed friendly afterwards; the messages can show it.","handling":"Only the officer and the prosecutor will read them; the rest is deleted.","line_of_enquiry":"Whether her messages after the night support his account.","necessity":"The messages are the only record of what was said that week.","other_means":"His phone was not seized and the provider keeps no content."}
information_requested 2026-03-02 {"complainant_id":"C1","request_id":"R1","material":"counselling_notes",` + answers + probative + `}
victim_informed 2026-03-02 {"complainant_id":"C1","about":"device_extraction_requested","channel":"letter","request_id":"E1"}
victim_informed 2026-03-03 {"complainant_id":"C1","about":"information_requested","channel":"email","request_id":"R1"}
device_extraction_answered 2026-03-03 {"complainant_id":"C1","request_id":"E1","answer":"agreed","confirmed_in_writing":true,"data_kinds":["messages"]}
information_request_approved 2026-03-03 {"complainant_id":"C1","request_id":"R1","note":"The date of first disclosure is all that is sought here."}
information_request_sent 2026-03-04 {"complainant_id":"C1","request_id":"R1"}
information_requested 2026-03-05 {"complainant_id":"C1","request_id":"R2","material":"medical",` + answers + `}
information_notice_exception 2026-03-05 {"complainant_id":"C1","request_id":"R2","exception":"no_notice","reason":"The suspect lives with her and reads her post and her messages."}
information_notice_exception_approved 2026-03-06 {"complainant_id":"C1","request_id":"R2","note":"Telling her now would put her at risk from him at home."}
information_request_sent 2026-03-06 {"complainant_id":"C1","request_id":"R2"}
information_requested 2026-03-10 {"complainant_id":"C1","request_id":"R3","material":"education",` + answers + `}
information_notice_exception 2026-03-10 {"complainant_id":"C1","request_id":"R3","exception":"later_notice","reason":"She is abroad and out of reach until April; the records are due to be destroyed."}
information_notice_exception_approved 2026-03-11 {"complainant_id":"C1","request_id":"R3","note":"The school destroys the records on 15 March; she is told on return."}
information_request_sent 2026-03-12 {"complainant_id":"C1","request_id":"R3"}
information_requested 2026-03-15 {"complainant_id":"C1","request_id":"R4","material":"social_care",` + answers + `}
information_request_withdrawn 2026-03-16 {"complainant_id":"C1","request_id":"R4","reason":"The suspect admitted the contact; nothing is needed now."}
device_extraction_withdrawn 2026-03-20 {"complainant_id":"C1","request_id":"E1"}
information_request_response 2026-03-20 {"complainant_id":"C1","request_id":"R2","result":"received"}
information_requested 2026-03-20 {"complainant_id":"C1","request_id":"R5","material":"medical",` + answers + `}
information_notice_exception 2026-03-20 {"complainant_id":"C1","request_id":"R5","exception":"later_notice","reason":"She is in hospital and cannot be reached for some weeks."}
information_notice_exception_approved 2026-03-21 {"complainant_id":"C1","request_id":"R5","note":"The records are needed before the suspect's bail hearing."}
victim_informed 2026-03-24 {"complainant_id":"C1","about":"information_requested","channel":"phone","request_id":"R5"}
information_request_sent 2026-03-25 {"complainant_id":"C1","request_id":"R5"}
information_requested 2026-03-25 {"complainant_id":"C1","request_id":"R6","material":"medical",` + answers + `}
information_notice_exception 2026-03-25 {"complainant_id":"C1","request_id":"R6","exception":"later_notice","reason":"The GP closes the practice tomorrow morning and its records go to storage."}
information_notice_exception_approved 2026-03-25 {"complainant_id":"C1","request_id":"R6","note":"The records would be out of reach for months otherwise."}
information_request_sent 2026-03-26T09:00:00Z {"complainant_id":"C1","request_id":"R6"}
victim_informed 2026-03-26T15:00:00Z {"complainant_id":"C1","about":"information_requested","channel":"email","request_id":"R6"}
device_extraction_requested 2026-04-01 {"complainant_id":"C1","request_id":"E2","device":"your laptop","information_sought":"The emails you sent your sister that night and the day after.","scope_from":"2026-01-01","scope_to":"2026-01-02","data_kinds":["messages"],"reason":"To show what you told your sister when it happened.","handling":"Only the officer and the prosecutor will read them; the rest is deleted.","line_of_enquiry":"Whether her account to her sister was given that night.","necessity":"Her sister deleted her copies; no other record holds them.","other_means":"Screenshots would not show the times the emails were sent."}
information_request_response 2026-04-02 {"complainant_id":"C1","request_id":"R3","result":"received"}
victim_informed 2026-04-02 {"complainant_id":"C1","about":"information_requested","channel":"letter","request_id":"R3"}
device_extraction_answered 2026-04-02 {"complainant_id":"C1","request_id":"E2","answer":"refused"}
information_request_response 2026-04-10 {"complainant_id":"C1","request_id":"R1","result":"refused","note":"The service declines to release any notes."}
information_request_withdrawn 2026-04-20 {"complainant_id":"C1","request_id":"R5","reason":"The records were found to hold nothing of the night."}
`

// caseChild: a girl of 15 in London. Her notice emailed to her own
// address is not notice (s.44B(4)); the request goes under a later-notice
// exception, and her mother is told two days after.
const caseChild = `
case_opened 2026-05-01 {"force":"01","cps_area":"london_north","offences":[{"ho_code":"19G","cjs_code":"SX03003"}],"complainants":[{"id":"C1","name":"Kira K","date_of_birth":"2010-09-09","sex":"female","ethnicity":"black","language":"en"}],"suspects":[{"id":"D1","name":"Kai K"}]}
information_requested 2026-05-04 {"complainant_id":"C1","request_id":"R1","material":"education",` + answers + `}
victim_informed 2026-05-04 {"complainant_id":"C1","about":"information_requested","channel":"email","request_id":"R1"}
information_notice_exception 2026-05-04 {"complainant_id":"C1","request_id":"R1","exception":"later_notice","reason":"Her mother is away until Friday and the school deletes its logs weekly."}
information_notice_exception_approved 2026-05-05 {"complainant_id":"C1","request_id":"R1","note":"The logs would be gone before her mother can be told."}
information_request_sent 2026-05-06 {"complainant_id":"C1","request_id":"R1"}
victim_informed 2026-05-08 {"complainant_id":"C1","about":"information_requested","channel":"letter","request_id":"R1","recipient":"parent_or_guardian"}
`

// TestInformationRequestFigures: each request counts on its own days —
// drafted, approved, made, answered, withdrawn — and each request made
// counts once by the kind of material and once by where her notice stood:
// before on the same date though later in the day (s.44B(3)(a) says "on or
// before the date"), after, excepted under s.44B(5), or not given (a phone
// call is not notice in writing, and a child's notice to her own address
// is not notice to her).
func TestInformationRequestFigures(t *testing.T) {
	facts := []Facts{Extract(build(t, "13RS0000201/26", caseRequests)), Extract(build(t, "01RS0000202/26", caseChild))}
	measure := func(from, to string, by string) Report {
		t.Helper()
		r, err := Aggregate(facts, Params{From: date(from), To: date(to), By: by})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	q1 := measure("2026-01-01", "2026-03-31", "")
	want := InformationRequests{Recorded: 6, Counselling: 1, Approved: 1, Sent: 5,
		Material: map[string]int{"counselling_notes": 1, "medical": 3, "education": 1},
		Notice:   map[string]int{NoticeBefore: 2, NoticeAfter: 1, NoticeExcepted: 1, NoticeNotGiven: 1},
		Received: 1, Withdrawn: 1, WithdrawnBeforeSent: 1}
	if d := cmp.Diff(want, q1.InformationRequests); d != "" {
		t.Errorf("first quarter of 2026 (-want +got):\n%s", d)
	}
	zero := 0.0
	if d := cmp.Diff(DeviceExtraction{Requested: 1, Agreed: 1, RefusalRate: &zero, Withdrawn: 1}, q1.DeviceExtraction); d != "" {
		t.Errorf("devices, first quarter (-want +got):\n%s", d)
	}

	april := measure("2026-04-01", "2026-04-30", "")
	want = InformationRequests{Material: map[string]int{}, Notice: map[string]int{NoticeBefore: 0, NoticeAfter: 0, NoticeExcepted: 0, NoticeNotGiven: 0},
		Received: 1, HolderRefused: 1, Withdrawn: 1}
	if d := cmp.Diff(want, april.InformationRequests); d != "" {
		t.Errorf("April 2026 (-want +got):\n%s", d)
	}
	one := 1.0
	if d := cmp.Diff(DeviceExtraction{Requested: 1, Refused: 1, RefusalRate: &one}, april.DeviceExtraction); d != "" {
		t.Errorf("devices, April (-want +got):\n%s", d)
	}

	// The child's request: made on 6 May, her mother told on 8 May.
	may := measure("2026-05-01", "2026-05-31", ByForce)
	if n := may.InformationRequests.Notice; n[NoticeAfter] != 1 || may.InformationRequests.Sent != 1 {
		t.Errorf("May: %+v, want the one request made, its notice after", may.InformationRequests)
	}
	if len(may.Groups) != 2 || may.Groups[0].Key != "01" || may.Groups[0].InformationRequests.Sent != 1 || may.Groups[1].InformationRequests.Sent != 0 {
		t.Errorf("May by force: %+v", may.Groups)
	}

	// By month, the months add up to the period: each request's days put it
	// in the right bucket.
	months := measure("2026-01-01", "2026-05-31", ByMonth)
	sent, refused := 0, 0
	for _, g := range months.Groups {
		sent += g.InformationRequests.Sent
		refused += g.DeviceExtraction.Refused
	}
	if sent != 6 || months.InformationRequests.Sent != 6 || refused != 1 {
		t.Errorf("by month: %d made (report %d), %d refusals; want 6, 6, 1", sent, months.InformationRequests.Sent, refused)
	}

	// Nothing that could identify her is in the facts: no holder, no reason.
	b, _ := json.Marshal(facts)
	for _, s := range []string{"Leeds Rape Crisis", "counsellor", "abroad", "laptop"} {
		if strings.Contains(string(b), s) {
			t.Errorf("the facts hold %q", s)
		}
	}
}

// RequestCases are the two cases above, as the product would have recorded
// them: for the roll-up's agreement with the reference (rollup_test.go).
func RequestCases(t *testing.T) [][]throughline.Event {
	return [][]throughline.Event{build(t, "13RS0000201/26", caseRequests), build(t, "01RS0000202/26", caseChild)}
}
