package comms_test

import (
	"fmt"
	"strings"
	"testing"
	"throughline/comms"
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
	firstListed  = `{"type":"hearing_listed","occurred_at":"2024-11-13","data":{"hearing_id":"H1","kind":"first_appearance","court":"leeds_magistrates","starts_at":"2025-03-14T10:00:00Z","listing":"fixture"}}`
	firstEarly   = `{"type":"hearing_listed","occurred_at":"2024-11-13","data":{"hearing_id":"H1","kind":"first_appearance","court":"leeds_magistrates","starts_at":"2024-11-14T10:00:00Z","listing":"fixture"}}`
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

// dir is a directory with a Witness Care officer, an officer and an ISVA
// on the case team, and fictional services in and out of the case's area
// (West Yorkshire, force 13).
var dir = comms.Directory{
	Team: []throughline.CaseMember{
		{Kind: "user", ID: "u_wcu", Name: "Gwen Price (Witness Care)", Role: "witness_care", Agency: "wcu:13"},
		{Kind: "user", ID: "u_oic", Name: "Priya Shah (DC)", Role: "officer", Agency: "police:13"},
		{Kind: "user", ID: "u_isva", Name: "Ana Lopes (ISVA)", Role: "isva", Agency: "isva:example-isva"},
	},
	Consents: []throughline.Consent{{ComplainantID: "C1", ISVAAgency: "isva:example-isva", Given: true}},
	Staff: []throughline.StaffContact{
		{ID: "sc1", Name: "Gwen Price", Role: "witness_care", Team: "West Yorkshire Witness Care Unit", Agency: "wcu:13", UserID: "u_wcu", Phone: "0113 496 0000", Email: "gwen.price@wcu.example.gov.uk", Hours: "Monday to Friday, 9am to 5pm"},
		{ID: "sc2", Name: "DC Priya Shah", Role: "officer", Team: "West Yorkshire Police", Agency: "police:13", UserID: "u_oic", Phone: "0113 496 0101", Hours: "weekdays, 8am to 4pm"},
		{ID: "sc3", Name: "Ana Lopes", Role: "isva", Team: "Example ISVA Service", Agency: "isva:example-isva", UserID: "u_isva", Phone: "0113 496 0202", Hours: "Monday to Friday"},
		{ID: "sc4", Role: "witness_care", Team: "West Yorkshire Witness Care Unit", Agency: "wcu:13", Phone: "0113 496 0999", Hours: "Monday to Friday, 8am to 6pm"},
	},
	Services: []throughline.SupportService{
		{ID: "s1", Name: "Example Haven Support (fictional)", For: []string{"all"}, Areas: []string{"13"}, Phone: "0113 496 0300"},
		{ID: "s2", Name: "Example Sisters by and for (fictional)", For: []string{"black_minoritised", "women"}, Areas: []string{"13", "01"}, Phone: "0113 496 0301"},
		{ID: "s3", Name: "Example National Line (fictional)", For: []string{"all"}, Areas: []string{"national"}, Phone: "0800 496 0302", Web: "https://example.org/help"},
		{ID: "s4", Name: "Llinell Gymraeg Enghreifftiol (fictional)", For: []string{"all", "welsh_language"}, Areas: []string{"national"}, Phone: "0800 496 0303"},
		{ID: "s5", Name: "Example Dyfed Line (fictional)", For: []string{"all"}, Areas: []string{"63"}, Phone: "01632 960 304"},
	},
}
