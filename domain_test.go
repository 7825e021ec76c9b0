package throughline_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"throughline"
	"throughline/jsonl"
)

// journey is a whole case from report to closure, in log order.
func journey(t *testing.T) []throughline.Event {
	t.Helper()
	f, err := os.Open("testdata/journey.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines, bad, err := jsonl.Read(f)
	if err != nil || len(bad) > 0 {
		t.Fatal(err, bad)
	}
	evs := make([]throughline.Event, len(lines))
	for i, l := range lines {
		evs[i] = l.Event
	}
	return evs
}

// fold decides and applies events, failing on any refusal.
func fold(t *testing.T, evs []throughline.Event) *throughline.Case {
	t.Helper()
	c := &throughline.Case{}
	for _, e := range evs {
		if _, err := throughline.Decide(c, e); err != nil {
			t.Fatalf("%s refused: %v", e.Type, err)
		}
		c.Apply(e)
	}
	return c
}

func TestJourneyStages(t *testing.T) {
	evs := journey(t)
	want := map[string]string{ // stage after the event of this type first appears
		"case_opened": "investigation", "file_submitted": "investigation", "charging_decision": "pre_charge",
		"charged": "charged", "sent_to_crown_court": "crown_court", "trial_started": "trial",
		"verdict": "convicted", "sentenced": "sentenced", "case_closed": "closed",
	}
	c := &throughline.Case{}
	seen := map[string]bool{}
	for _, e := range evs {
		if _, err := throughline.Decide(c, e); err != nil {
			t.Fatalf("%s refused: %v", e.Type, err)
		}
		c.Apply(e)
		if w, ok := want[e.Type]; ok && !seen[e.Type] {
			seen[e.Type] = true
			if c.Stage() != w {
				t.Errorf("after %s: stage %s, want %s", e.Type, c.Stage(), w)
			}
		}
	}
	d := c.Defendants[0]
	if d.Remand != "custody" || d.CTLExpires.String() != "2025-06-30" || d.Court != "leeds" {
		t.Errorf("defendant: %+v", d)
	}
	if cp := c.Complainants[0]; cp.Preferences == nil || cp.Preferences.Channels[0] != "email" || !cp.IsEnhanced() {
		t.Errorf("complainant: %+v", cp)
	}
}

// Illegal sequences are refused with a message a caseworker understands.
func TestDecideRefusals(t *testing.T) {
	evs := journey(t)
	ev := func(typ, when string, d throughline.Data) throughline.Event {
		w, err := throughline.ParseWhen(when)
		if err != nil {
			t.Fatal(err)
		}
		return throughline.Event{Case: "13RS0000101/24", Type: typ, OccurredAt: w, RecordedAt: w, Data: d}
	}
	cases := []struct {
		name  string
		upTo  int                 // events of the journey applied first
		setup []throughline.Event // then these, each decided and applied as any event
		e     throughline.Event
		code  string
		want  string
	}{
		{"verdict before trial", 13, nil, ev("verdict", "2025-01-01", &throughline.Verdict{DefendantID: "D1", Result: "guilty"}), throughline.EINVALID, "verdict for defendant D1: no trial has started"},
		{"charge without decision", 7, nil, ev("charged", "2024-09-03", &throughline.Charged{DefendantID: "D1", Offences: []throughline.Offence{{HOCode: "19C", CJSCode: "SX03002"}}, Method: "bail"}), throughline.EINVALID, "suspect D1 cannot be charged: the CPS has not decided to charge"},
		{"event on a closed case", 24, nil, ev("hearing_listed", "2025-08-01", &throughline.HearingListed{HearingID: "H9", Kind: "mention", Court: "leeds", StartsAt: "2025-08-10", Listing: "fixture"}), throughline.EINVALID, "case 13RS0000101/24 was closed on 2025-07-01"},
		{"trial before the report", 1, nil, ev("file_submitted", "2023-05-01", &throughline.FileSubmitted{SuspectID: "D1", Purpose: "early_advice"}), throughline.EINVALID, "is before the report to the police on 2024-01-15"},
		{"unknown party", 1, nil, ev("file_submitted", "2024-05-01", &throughline.FileSubmitted{SuspectID: "D7", Purpose: "early_advice"}), throughline.EINVALID, "case 13RS0000101/24 has no suspect D7"},
		{"sentence before conviction", 18, nil, ev("sentenced", "2025-05-13", &throughline.Sentenced{DefendantID: "D1"}), throughline.EINVALID, "defendant D1 cannot be sentenced: not convicted (trial)"},
		{"first appearance after the sending", 13, nil, ev("hearing_listed", "2024-11-15", &throughline.HearingListed{HearingID: "H9", Kind: "first_appearance", Court: "leeds_magistrates", StartsAt: "2024-11-16", Listing: "fixture"}), throughline.EINVALID, "a first appearance cannot be listed: no defendant is charged and awaiting it"},
		{"sent before the first appearance", 11, nil, ev("sent_to_crown_court", "2024-11-13", &throughline.SentToCrownCourt{DefendantID: "D1", Court: "leeds"}), throughline.EINVALID, "defendant D1 cannot be sent to the Crown Court on 2024-11-13, before the first appearance on 2024-11-14"},
		{"ptph before sending", 11, nil, ev("hearing_listed", "2024-11-13", &throughline.HearingListed{HearingID: "H2", Kind: "ptph", Court: "leeds", StartsAt: "2024-12-12", Listing: "fixture"}), throughline.EINVALID, "a ptph cannot be listed: no defendant has been sent to the Crown Court"},
		{"hearing held before its day", 14, nil, ev("hearing_held", "2024-12-01", &throughline.HearingHeld{HearingID: "H2", Outcome: "effective"}), throughline.EINVALID, "hearing H2 cannot have been held on 2024-12-01: it is listed for 2024-12-12T10:00:00Z"},
		{"vacate a held hearing", 15, nil, ev("hearing_vacated", "2024-12-13", &throughline.HearingVacated{HearingID: "H2", Reason: "x"}), throughline.EINVALID, "hearing H2 was already held"},
		{"close while prosecuting", 13, nil, ev("case_closed", "2024-12-01", &throughline.CaseClosed{Reason: "x"}), throughline.EINVALID, "defendant D1 is still being prosecuted (crown_court)"},
		{"same remand again", 9, nil, ev("remand_status_changed", "2024-11-14", &throughline.RemandStatusChanged{DefendantID: "D1", Status: "custody"}), throughline.EINVALID, "defendant D1 is already remanded in custody"},
		{"CTL for a bailed defendant", 9, []throughline.Event{ev("remand_status_changed", "2024-11-14", &throughline.RemandStatusChanged{DefendantID: "D1", Status: "bail"})},
			ev("ctl_extended", "2024-11-14", &throughline.CTLExtended{DefendantID: "D1", ExpiresOn: "2025-01-01", Decision: "x"}), throughline.EINVALID, "custody time limit for defendant D1: not remanded in custody"},
		{"allocate an offence triable only on indictment", 9, nil, ev("allocation_decided", "2024-11-14", &throughline.AllocationDecided{DefendantID: "D1", Venue: "magistrates_court"}), throughline.EINVALID, "charged only with offences triable on indictment"},
		{"allocate after sending", 13, nil, ev("allocation_decided", "2024-12-01", &throughline.AllocationDecided{DefendantID: "D1", Venue: "magistrates_court"}), throughline.EINVALID, "allocation is before sending"},
		{"erase an open case", 23, nil, ev("case_erased", "2025-07-01", &throughline.CaseErased{Reason: "x"}), throughline.EINVALID, "case 13RS0000101/24 is still open: personal data is erased only once the case is closed"},
		{"erase before closing", 24, nil, ev("case_erased", "2025-06-30", &throughline.CaseErased{Reason: "x"}), throughline.EINVALID, "case_erased on 2025-06-30 is before the case was closed on 2025-07-01"},
		{"opened twice", 1, nil, evs[0], throughline.ECONFLICT, "case 13RS0000101/24 already exists"},
		{"no such case", 0, nil, evs[2], throughline.ENOTFOUND, "no case 13RS0000101/24"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := fold(t, append(append([]throughline.Event{}, evs[:tc.upTo]...), tc.setup...))
			if tc.want == "" {
				t.Fatal("every refusal names the message it must give")
			}
			before, _ := json.Marshal(c)
			_, err := throughline.Decide(c, tc.e)
			if throughline.ErrorCode(err) != tc.code || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v (%s), want %s containing %q", err, throughline.ErrorCode(err), tc.code, tc.want)
			}
			if after, _ := json.Marshal(c); string(after) != string(before) {
				t.Fatal("Decide changed the case")
			}
		})
	}
}

// Once a closed case's personal data is erased, nothing that carries
// personal data can be recorded on it, and it cannot be erased again; the
// victim can still be told of things.
func TestErasure(t *testing.T) {
	evs := journey(t)
	c := fold(t, evs)
	at := throughline.On(2032, 7, 1)
	erase := throughline.Event{Case: c.Ref, Type: "case_erased", OccurredAt: at, RecordedAt: at, Data: &throughline.CaseErased{Reason: "retention review: no further retention justified"}}
	if _, err := throughline.Decide(c, erase); err != nil {
		t.Fatal(err)
	}
	c.Apply(erase)
	if c.Erased != at || c.Stage() != throughline.StageClosed {
		t.Fatalf("erased %s, stage %s", c.Erased, c.Stage())
	}
	prefs := throughline.Event{Case: c.Ref, Type: "contact_preferences_set", OccurredAt: at, RecordedAt: at, Data: &throughline.ContactPreferencesSet{ComplainantID: "C1", Channels: []string{"email"}, Email: "someone@example.org", Language: "en"}}
	for _, e := range []throughline.Event{prefs, erase} {
		if _, err := throughline.Decide(c, e); throughline.ErrorCode(err) != throughline.EINVALID || !strings.Contains(err.Error(), "its personal data was erased on 2032-07-01") {
			t.Errorf("%s after erasure: %v", e.Type, err)
		}
	}
	told := throughline.Event{Case: c.Ref, Type: "victim_informed", OccurredAt: at, RecordedAt: at, Data: &throughline.VictimInformed{ComplainantID: "C1", About: "case_closed", Channel: "email"}}
	if _, err := throughline.Decide(c, told); err != nil {
		t.Errorf("victim_informed after erasure: %v", err)
	}
	// What erased payloads read as.
	opened := throughline.Erase(evs[0].Data).(*throughline.CaseOpened)
	if opened.Complainants[0].Name != throughline.Erased || evs[0].Data.(*throughline.CaseOpened).Complainants[0].Name == throughline.Erased {
		t.Errorf("Erase: %+v", opened.Complainants[0])
	}
}

// A hung jury allows a retrial; a guilty plea needs no trial.
func TestRetrialAndPlea(t *testing.T) {
	evs := journey(t)
	c := fold(t, evs[:18]) // trial started
	hung := throughline.Event{Case: c.Ref, Type: "verdict", OccurredAt: throughline.On(2025, 5, 20), Data: &throughline.Verdict{DefendantID: "D1", Result: "hung_jury"}}
	if _, err := throughline.Decide(c, hung); err != nil {
		t.Fatal(err)
	}
	c.Apply(hung)
	if c.Defendants[0].Stage != throughline.StageRetrial {
		t.Fatalf("after a hung jury: %s", c.Defendants[0].Stage)
	}
	relist := throughline.Event{Case: c.Ref, Type: "hearing_listed", OccurredAt: throughline.On(2025, 5, 21), Data: &throughline.HearingListed{HearingID: "H5", Kind: "trial", Court: "leeds", StartsAt: "2025-09-01", Listing: "fixture"}}
	if _, err := throughline.Decide(c, relist); err != nil {
		t.Fatalf("retrial listing refused: %v", err)
	}
	c2 := fold(t, evs[:16]) // PTPH held
	plea := throughline.Event{Case: c2.Ref, Type: "verdict", OccurredAt: throughline.On(2024, 12, 12), Data: &throughline.Verdict{DefendantID: "D1", Result: "guilty_plea"}}
	if _, err := throughline.Decide(c2, plea); err != nil {
		t.Fatalf("guilty plea at PTPH refused: %v", err)
	}
}

func TestWhen(t *testing.T) {
	for _, tc := range []struct{ in, out string }{
		{"2024-02-29", "2024-02-29"},
		{"2024-03-31T01:30:00+01:00", "2024-03-31T01:30:00+01:00"},
		{"2024-06-01T10:00:00Z", "2024-06-01T10:00:00Z"},
	} {
		w, err := throughline.ParseWhen(tc.in)
		if err != nil || w.String() != tc.out {
			t.Errorf("ParseWhen(%q) = %q, %v", tc.in, w, err)
		}
	}
	for _, bad := range []string{"2023-02-29", "2024-13-01", "yesterday", "2024-06-01 10:00", ""} {
		if _, err := throughline.ParseWhen(bad); err == nil {
			t.Errorf("ParseWhen(%q) accepted", bad)
		}
	}
	// 23:30 UTC on 30 June is 1 July in London (BST).
	late, _ := throughline.ParseWhen("2024-06-30T23:30:00Z")
	if d := late.Date().Format("2006-01-02"); d != "2024-07-01" {
		t.Errorf("London date of 2024-06-30T23:30Z = %s", d)
	}
	if !throughline.On(2024, 6, 30).Before(late) {
		t.Error("30 June should be before an instant on 1 July (London)")
	}
}

func TestReferences(t *testing.T) {
	for ref, ok := range map[string]bool{"13RS0000101/24": true, "ABC": true, "AB": false, "has space": false, "a_b_c": false,
		strings.Repeat("A", 40): true, strings.Repeat("A", 41): false, "01/ÄB": false} {
		if throughline.ValidReference(ref) != ok {
			t.Errorf("ValidReference(%q) = %t", ref, !ok)
		}
	}
}

// Personal fields leave the public payload, come back whole, and read as
// erased once the key is gone.
func TestPersonalSplit(t *testing.T) {
	opened := journey(t)[0].Data
	public, personal, err := throughline.SplitPersonal(opened)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Amelia", "Daniel", "1998-04-02"} {
		if strings.Contains(string(public), s) {
			t.Errorf("public payload holds %q: %s", s, public)
		}
	}
	if personal["complainants.0.name"] != "Amelia Hart" || personal["suspects.0.name"] != "Daniel Ross" {
		t.Errorf("personal: %v", personal)
	}
	back, err := throughline.DecodeStored("case_opened", public, personal)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(opened)
	b, _ := json.Marshal(back)
	if string(a) != string(b) {
		t.Errorf("round trip:\n%s\n%s", a, b)
	}
	erased, _ := throughline.DecodeStored("case_opened", public, nil)
	if d := erased.(*throughline.CaseOpened); d.Complainants[0].Name != throughline.Erased || d.Force != "13" {
		t.Errorf("erased: %+v", d)
	}
	if _, p, _ := throughline.SplitPersonal(&throughline.Sentenced{DefendantID: "D1"}); p != nil {
		t.Error("a sentence carries no personal data")
	}
}

func TestUsersAndAgencies(t *testing.T) {
	ok := [][3]string{{"A", "officer", "police:13"}, {"B", "prosecutor", "cps:london_north"}, {"C", "witness_care", "wcu:63"}, {"D", "isva", "isva:rape-crisis-leeds"}, {"E", "inspector", "inspectorate"}}
	for _, u := range ok {
		if err := throughline.ValidateUser(u[0], u[1], u[2]); err != nil {
			t.Errorf("%v: %v", u, err)
		}
	}
	bad := [][3]string{{"", "officer", "police:13"}, {"A", "sheriff", "police:13"}, {"A", "officer", "police:99"}, {"A", "prosecutor", "police:13"}, {"A", "officer", "cps:nowhere"}, {"A", "inspector", "inspectorate:x"}}
	for _, u := range bad {
		if err := throughline.ValidateUser(u[0], u[1], u[2]); err == nil {
			t.Errorf("%v accepted", u)
		}
	}
}

// FuzzParseWhen: no input panics, and what parses prints back to itself.
func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{"2024-02-29", "2024-11-13T09:30:00Z", "2024-03-31T01:30:00+01:00", "2024-13-01", "", "0000-00-00", "2024-11-13T09:30:00.123456789-05:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, err := throughline.ParseWhen(s)
		if err != nil {
			return
		}
		again, err := throughline.ParseWhen(w.String())
		if err != nil || again.String() != w.String() || again.DateOnly() != w.DateOnly() {
			t.Fatalf("%q → %q → %q (%v)", s, w, again, err)
		}
	})
}
