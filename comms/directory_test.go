package comms_test

import (
	"strings"
	"testing"

	"throughline"
	"throughline/comms"
)

// Her contacts: the named contact of the log with the directory's hours;
// without one, the Witness Care officer on the team, else the unit's line;
// the ISVA only with her consent standing.
func TestContactsFromTheRecordAndTheDirectory(t *testing.T) {
	names := func(cs []comms.Contact) (out []string) {
		for _, c := range cs {
			out = append(out, c.Role+":"+c.Name+":"+c.Phone+":"+c.Hours)
		}
		return out
	}
	named := `{"type":"named_contact_changed","occurred_at":"2024-11-13","data":{"complainant_id":"C1","name":"gwen price","team":"West Yorkshire Witness Care Unit"}}`
	c := fold(t, "en", journeyTo(charged, named)...)
	got := names(comms.Contacts(c, c.Complainant("C1"), "en", dir))
	want := []string{"witness_care:gwen price:0113 496 0000:Monday to Friday, 9am to 5pm", "officer:DC Priya Shah:0113 496 0101:weekdays, 8am to 4pm", "isva:Ana Lopes:0113 496 0202:Monday to Friday"}
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("named contact with the directory:\n got %q\nwant %q", got, want)
	}

	c = fold(t, "en", journeyTo(charged)...)
	if got := names(comms.Contacts(c, c.Complainant("C1"), "en", dir)); got[0] != "witness_care:Gwen Price:0113 496 0000:Monday to Friday, 9am to 5pm" {
		t.Errorf("no named contact: the Witness Care officer on the team, got %q", got)
	}

	noTeam := dir
	noTeam.Team = nil
	if got := names(comms.Contacts(c, c.Complainant("C1"), "en", noTeam)); len(got) != 1 || got[0] != "witness_care::0113 496 0999:Monday to Friday, 8am to 6pm" {
		t.Errorf("nobody on the team: the unit's line, got %q", got)
	}

	withdrawn := dir
	withdrawn.Consents = append(append([]throughline.Consent{}, dir.Consents...), throughline.Consent{ComplainantID: "C1", ISVAAgency: "isva:example-isva", Given: false})
	if got := names(comms.Contacts(c, c.Complainant("C1"), "en", withdrawn)); len(got) != 2 {
		t.Errorf("consent withdrawn: no ISVA, got %q", got)
	}

	if got := names(comms.Contacts(c, c.Complainant("C1"), "en", comms.Directory{})); len(got) != 1 || got[0] != "witness_care:::" {
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
