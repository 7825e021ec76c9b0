package comms_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"throughline"
)

// now is the moment the tests compose at.
var now = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

// fold builds a case from wire events, each checked by Decide as a live
// append would be.
func fold(t testing.TB, lang string, lines ...string) *throughline.Case {
	t.Helper()
	opened := fmt.Sprintf(`{"case":"13RS0000101/24","type":"case_opened","occurred_at":"2024-01-15","data":{"force":"13","cps_area":"yorkshire_humberside","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"Amelia Hart","language":%q}],"suspects":[{"id":"D1","name":"Daniel Ross"}]}}`, lang)
	c := &throughline.Case{}
	for i, l := range append([]string{opened}, lines...) {
		if !strings.HasPrefix(l, `{"case"`) {
			l = `{"case":"13RS0000101/24",` + l[1:]
		}
		e, err := throughline.ParseEvent([]byte(l))
		if err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		if e.RecordedAt.IsZero() {
			e.RecordedAt = e.OccurredAt
		}
		evs, err := throughline.Decide(c, e)
		if err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		for _, ev := range evs {
			ev.Version = c.Version + 1
			c.Apply(ev)
		}
	}
	return c
}

// The path to charge and a Crown Court trial listing.
var (
	prefs    = `{"type":"contact_preferences_set","occurred_at":"2024-01-16","data":{"complainant_id":"C1","channels":["email","sms"],"email":"amelia@example.org","mobile":"07700900123"}}`
	toCharge = []string{prefs,
		`{"type":"file_submitted","occurred_at":"2024-09-02","data":{"suspect_id":"D1","purpose":"charging_decision"}}`,
		`{"type":"charging_decision","occurred_at":"2024-11-12","data":{"suspect_id":"D1","decision":"charge"}}`,
	}
	charged      = `{"type":"charged","occurred_at":"2024-11-13T09:30:00Z","data":{"defendant_id":"D1","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"method":"custody"}}`
	chargedBail  = `{"type":"charged","occurred_at":"2024-11-13T09:30:00Z","data":{"defendant_id":"D1","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"method":"bail"}}`
	firstListed  = `{"type":"hearing_listed","occurred_at":"2024-11-13","data":{"hearing_id":"H1","kind":"first_appearance","court":"Leeds Magistrates' Court","starts_at":"2025-03-14T10:00:00Z","listing":"fixture"}}`
	firstEarly   = `{"type":"hearing_listed","occurred_at":"2024-11-13","data":{"hearing_id":"H1","kind":"first_appearance","court":"Leeds Magistrates' Court","starts_at":"2024-11-14T10:00:00Z","listing":"fixture"}}`
	firstHeld    = `{"type":"hearing_held","occurred_at":"2024-11-14","data":{"hearing_id":"H1","outcome":"effective"}}`
	contact      = `{"type":"named_contact_changed","occurred_at":"2024-11-13","data":{"complainant_id":"C1","name":"Gwen Price","team":"West Yorkshire Witness Care Unit","phone":"0113 496 0000"}}`
	wcoGwen      = `{"type":"case_team_changed","occurred_at":"2024-11-13","data":{"role":"witness_care_officer","name":"Gwen Price","handover":"First Witness Care officer on the case"}}`
	wcoLee       = `{"type":"case_team_changed","occurred_at":"2024-11-20","data":{"role":"witness_care_officer","name":"Lee Marsh","phone":"0113 496 0101","handover":"Amelia prefers email; PTPH date not yet known"}}`
	sent         = `{"type":"sent_to_crown_court","occurred_at":"2024-11-14","data":{"defendant_id":"D1","court":"leeds"}}`
	ptphListed   = `{"type":"hearing_listed","occurred_at":"2024-11-14","data":{"hearing_id":"H2","kind":"ptph","court":"leeds","starts_at":"2024-12-12T10:00:00Z","listing":"fixture"}}`
	ptphHeld     = `{"type":"hearing_held","occurred_at":"2024-12-12","data":{"hearing_id":"H2","outcome":"effective"}}`
	trialListed  = `{"type":"hearing_listed","occurred_at":"2024-12-12","data":{"hearing_id":"H3","kind":"trial","court":"leeds","starts_at":"2025-05-12T10:00:00+01:00","listing":"fixture"}}`
	trialWarned  = `{"type":"hearing_listed","occurred_at":"2025-01-10","data":{"hearing_id":"H3","kind":"trial","court":"leeds","starts_at":"2025-06-16","listing":"warned"}}`
	trialVacated = `{"type":"hearing_vacated","occurred_at":"2025-02-10","data":{"hearing_id":"H3","reason":"no judge available"}}`
	trialStarted = `{"type":"trial_started","occurred_at":"2025-05-12","data":{"hearing_id":"H3"}}`
)

func journeyTo(lines ...string) []string {
	out := append([]string{}, toCharge...)
	return append(out, lines...)
}
