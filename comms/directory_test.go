package comms_test

import (
	"strings"
	"testing"

	"throughline"
	"throughline/comms"
)

// Her contacts: the named contact of the log with the directory's hours;
// without one, the Witness Care officer the log designates, else the
// unit's line; the officer in the case the log designates; the ISVA only
// with her consent standing. The case team (who has access) names no one:
// the directory's team has DC Priya Shah as its officer, but when the log
// designates DC Ruby Robinson, she is the one the victim is told of.
func TestContactsFromTheRecordAndTheDirectory(t *testing.T) {
	names := func(cs []comms.Contact) (out []string) {
		for _, c := range cs {
			out = append(out, c.Role+":"+c.Name+":"+c.Team+":"+c.Phone+":"+c.Hours)
		}
		return out
	}
	designated := func(role, name string) string {
		return `{"type":"case_team_changed","occurred_at":"2024-11-13","data":{"role":"` + role + `","name":"` + name + `","handover":"First designation"}}`
	}
	named := `{"type":"named_contact_changed","occurred_at":"2024-11-13","data":{"complainant_id":"C1","name":"gwen price","team":"West Yorkshire Witness Care Unit"}}`
	c := fold(t, "en", journeyTo(charged, named, designated("officer_in_case", "DC Priya Shah"))...)
	got := names(comms.Contacts(c, c.Complainant("C1"), "en", dir))
	want := []string{"witness_care:gwen price:West Yorkshire Witness Care Unit:0113 496 0000:Monday to Friday, 9am to 5pm",
		"officer:DC Priya Shah:West Yorkshire Police:0113 496 0101:weekdays, 8am to 4pm", "isva:Ana Lopes:Example ISVA Service:0113 496 0202:Monday to Friday"}
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("named contact with the directory:\n got %q\nwant %q", got, want)
	}

	c = fold(t, "en", journeyTo(charged, designated("witness_care_officer", "Gwen Price"), designated("officer_in_case", "DC Ruby Robinson"))...)
	got = names(comms.Contacts(c, c.Complainant("C1"), "en", dir))
	want = []string{"witness_care:Gwen Price:West Yorkshire Witness Care Unit:0113 496 0000:Monday to Friday, 9am to 5pm", "officer:DC Ruby Robinson:West Yorkshire Police::"}
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("no named contact: the Witness Care officer and the officer the log designates, got %q, want %q", got, want)
	}

	c = fold(t, "en", journeyTo(charged)...)
	if got := names(comms.Contacts(c, c.Complainant("C1"), "en", dir)); len(got) != 2 || got[0] != "witness_care::West Yorkshire Police Witness Care Unit:0113 496 0999:Monday to Friday, 8am to 6pm" {
		t.Errorf("nobody designated: the unit's line and the ISVA, whoever is on the case team, got %q", got)
	}

	withdrawn := dir
	withdrawn.Consents = append(append([]throughline.Consent{}, dir.Consents...), throughline.Consent{ComplainantID: "C1", ISVAAgency: "isva:example-isva", Given: false})
	if got := names(comms.Contacts(c, c.Complainant("C1"), "en", withdrawn)); len(got) != 1 {
		t.Errorf("consent withdrawn: no ISVA, got %q", got)
	}

	if got := names(comms.Contacts(c, c.Complainant("C1"), "en", comms.Directory{})); len(got) != 1 || got[0] != "witness_care::West Yorkshire Police Witness Care Unit::" {
		t.Errorf("an empty directory: the force's unit by name only, got %q", got)
	}
}

// The services of her area, for whom she chooses; national ones after.
func TestServicesForHerArea(t *testing.T) {
	c := fold(t, "en", journeyTo(charged)...)
	ids := func(ss []throughline.SupportService) (out string) {
		for _, s := range ss {
			out += s.ID + " "
		}
		return out
	}
	if got := ids(comms.ServicesFor(c, dir)); got != "s1 s2 s3 s4 " {
		t.Errorf("all of West Yorkshire's: %q", got)
	}
	if got := ids(comms.ServicesFor(c, dir, throughline.ForByAndFor)); got != "s2 " {
		t.Errorf("by and for: %q", got)
	}
	if got := ids(comms.ServicesFor(c, dir, throughline.ForWelshLanguage, throughline.ForMen)); got != "s4 " {
		t.Errorf("Welsh or men: %q", got)
	}
}

// Where the court is: a message telling her of a hearing gives the court's
// address from the directory, in English and Welsh; with no address in
// the directory, the court's name alone.
func TestHearingMessagesGiveTheCourtsAddress(t *testing.T) {
	withCourt := dir
	withCourt.Courts = []throughline.CourtAddress{{Court: "leeds", Address: "1 Oxford Row, Leeds, LS1 3BG", CheckedOn: "2024-11-01"}}
	req := comms.Request{Complainant: "C1", Kind: comms.KindTrialListed, Subject: "hearing:H3", Dir: withCourt}
	for lang, want := range map[string]string{"en": "Where: Leeds Crown Court, 1 Oxford Row, Leeds, LS1 3BG\n", "cy": "Ble: Llys y Goron Leeds, 1 Oxford Row, Leeds, LS1 3BG\n"} {
		c := fold(t, lang, journeyTo(charged, firstEarly, firstHeld, sent, ptphListed, ptphHeld, trialListed)...)
		m, err := comms.Compose(c, req, now)
		if err != nil || !strings.Contains(m.Body, want) {
			t.Errorf("%s: %v\n%s", lang, err, m.Body)
		}
		req.Dir = dir
		if m, _ := comms.Compose(c, req, now); !strings.Contains(m.Body, "Leeds Crown Court\n") && !strings.Contains(m.Body, "Llys y Goron Leeds\n") {
			t.Errorf("%s, no address known:\n%s", lang, m.Body)
		}
		req.Dir = withCourt
	}
}
