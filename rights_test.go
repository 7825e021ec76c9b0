package throughline_test

import (
	"strings"
	"testing"

	"throughline"
)

// The events of data_rights.go are checked against the case: each refusal
// says why, and the case is unchanged.
func TestDecideRights(t *testing.T) {
	evs := journey(t)
	ev := func(when string, d throughline.Data) throughline.Event {
		w, err := throughline.ParseWhen(when)
		if err != nil {
			t.Fatal(err)
		}
		return throughline.Event{Case: "13RS0000101/24", Type: d.EventType(), OccurredAt: w, RecordedAt: w, Data: d}
	}
	stopped := ev("2024-11-19", &throughline.ProsecutionStopped{DefendantID: "D1", How: "discontinued"})
	asked := ev("2024-11-20", &throughline.ReviewRequested{ComplainantID: "C1", Scheme: "cps"})
	decided := ev("2024-12-20", &throughline.ReviewDecided{ComplainantID: "C1", Scheme: "cps", Result: "decision_upheld"})
	for _, tc := range []struct {
		name  string
		upTo  int
		setup []throughline.Event
		e     throughline.Event
		want  string // "" for accepted
	}{
		{"review decided without a request", 9, nil, decided, "asked for no review by the cps scheme"},
		{"review decided after its request", 9, []throughline.Event{stopped, asked}, decided, ""},
		{"review asked twice", 9, []throughline.Event{stopped, asked}, asked, "already has a review by the cps scheme"},
		{"review asked again once decided", 9, []throughline.Event{stopped, asked, decided}, ev("2025-01-06", &throughline.ReviewRequested{ComplainantID: "C1", Scheme: "cps"}), ""},
		{"review while the prosecution goes on", 9, nil, asked, "no decision of the cps scheme to review"},
		{"police review of a CPS decision", 9, []throughline.Event{stopped}, ev("2024-11-20", &throughline.ReviewRequested{ComplainantID: "C1", Scheme: "police"}), "no decision of the police scheme to review"},
		{"police no further action after charge", 9, nil, ev("2024-11-20", &throughline.PoliceNoFurtherAction{SuspectID: "D1"}), "a decision after charge is the CPS's"},
		{"police no further action before charge", 3, nil, ev("2024-06-10", &throughline.PoliceNoFurtherAction{SuspectID: "D1"}), ""},
		{"bail conditions of a defendant in custody", 9, nil, ev("2024-11-20", &throughline.BailConditionsChanged{DefendantID: "D1"}), "is not on bail (remanded in custody)"},
		{"warrant for a suspect", 3, nil, ev("2024-06-10", &throughline.WarrantIssued{DefendantID: "D1"}), "D1 is a suspect, not yet charged"},
		{"news of an unknown hearing", 9, nil, ev("2024-11-20", &throughline.NewsReceived{About: "hearing_listed", From: "court", HearingID: "H9"}), "no hearing H9"},
		{"a letter home she asked never to have, without a reason", 9, nil, ev("2024-11-20", &throughline.VictimInformed{ComplainantID: "C1", About: "charged", Channel: "letter"}), "complainant C1 asked never to be written to at home: say why"},
		{"a letter home she asked never to have, with a reason", 9, nil, ev("2024-11-20", &throughline.VictimInformed{ComplainantID: "C1", About: "charged", Channel: "letter", AgainstPreferences: "she asked for it in writing this once, by phone"}), ""},
		{"a call outside her safe times, without a reason", 9, nil, ev("2024-11-20", &throughline.VictimInformed{ComplainantID: "C1", About: "charged", Channel: "phone", OutsideSafeTimes: true}), "complainant C1 was called outside the safe times she gave: say why"},
		{"a call outside her safe times, with a reason", 9, nil, ev("2024-11-20", &throughline.VictimInformed{ComplainantID: "C1", About: "charged", Channel: "phone", OutsideSafeTimes: true, AgainstPreferences: "the defendant was released at noon: she had to know at once"}), ""},
		{"a call within her safe times", 9, nil, ev("2024-11-20", &throughline.VictimInformed{ComplainantID: "C1", About: "charged", Channel: "phone"}), ""},
		{"told of an unknown hearing", 9, nil, ev("2024-11-20", &throughline.VictimInformed{ComplainantID: "C1", About: "hearing_held", Channel: "phone", HearingID: "H9"}), "no hearing H9"},
		{"notice exception for no request", 9, nil, ev("2024-11-20", &throughline.InformationNoticeException{ComplainantID: "C1", RequestID: "R1", Exception: "later_notice", Reason: "she was in hospital for a week"}), "complainant C1 has no information request R1"},
	} {
		c := fold(t, append(append([]throughline.Event(nil), evs[:tc.upTo]...), tc.setup...))
		before := c.Version
		_, err := throughline.Decide(c, tc.e)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: refused: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || throughline.ErrorCode(err) != throughline.EINVALID):
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		case c.Version != before:
			t.Errorf("%s: the case changed", tc.name)
		}
	}
}

// A telling names a hearing only for news of a hearing.
func TestTellingNamesAHearingOnlyForHearingNews(t *testing.T) {
	_, err := throughline.ParseEvent([]byte(`{"case":"13RS0000101/24","type":"victim_informed","occurred_at":"2024-11-20","data":{"complainant_id":"C1","about":"charged","channel":"phone","hearing_id":"H1"}}`))
	if err == nil || !strings.Contains(err.Error(), "names a hearing: only for news of a hearing") {
		t.Errorf("a hearing named for the charge: %v", err)
	}
	if _, err := throughline.ParseEvent([]byte(`{"case":"13RS0000101/24","type":"victim_informed","occurred_at":"2024-11-20","data":{"complainant_id":"C1","about":"hearing_held","channel":"phone","hearing_id":"H1"}}`)); err != nil {
		t.Errorf("a hearing named for its outcome: %v", err)
	}
}
