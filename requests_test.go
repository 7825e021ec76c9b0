package throughline_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"throughline"
)

// lawfulRequest is a request that answers every condition of s.44A.
func lawfulRequest(id, material string) *throughline.InformationRequested {
	return &throughline.InformationRequested{ComplainantID: "C1", RequestID: id, Material: material, Holder: "Leeds Rape Crisis",
		HolderBelief:   "She told the officer in her ABE interview that she saw a counsellor there in March 2026.",
		LineOfEnquiry:  "Whether her first account of the night was given before the suspect contacted her: his defence is fabrication.",
		Necessity:      "Only the date of the first session is sought, not its content; no other record shows when she first spoke of it.",
		ProbativeValue: "The date of her first disclosure is the one fact that meets the suspect's account of a later invention.",
		Reason:         "To check when you first told someone about what happened, because he says you made it up later.",
		Handling:       "Only the officer and the prosecutor will read it; nothing else in it will be used, and it is kept locked.",
	}
}

// TestRequestConditions: from 12 January 2026 a request is refused unless
// it answers each condition of s.44A(3), and for a counselling information
// request s.44A(4), naming every missing one; before it, the Chapter did not
// apply.
func TestRequestConditions(t *testing.T) {
	c := fold(t, journey(t)[:2])
	at := collab(t)
	fields := func(err error) []string {
		var out []string
		if e, ok := err.(*throughline.Error); ok {
			for _, f := range e.Fields {
				out = append(out, f.Field)
			}
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		blank   func(r *throughline.InformationRequested)
		missing []string
	}{
		{"no conditions answered", func(r *throughline.InformationRequested) {
			r.HolderBelief, r.LineOfEnquiry, r.Necessity, r.ProbativeValue, r.Handling = "", "", "", "", ""
		}, []string{"holder_belief", "line_of_enquiry", "necessity", "probative_value", "handling"}},
		{"s.44A(3)(a) only", func(r *throughline.InformationRequested) { r.HolderBelief = " " }, []string{"holder_belief"}},
		{"s.44A(3)(b) only", func(r *throughline.InformationRequested) { r.LineOfEnquiry = "" }, []string{"line_of_enquiry"}},
		{"s.44A(3)(c) only", func(r *throughline.InformationRequested) { r.Necessity = "" }, []string{"necessity"}},
		{"counselling without s.44A(4)", func(r *throughline.InformationRequested) { r.ProbativeValue = "" }, []string{"probative_value"}},
		{"s.44B(2)(c) handling", func(r *throughline.InformationRequested) { r.Handling = "" }, []string{"handling"}},
	} {
		r := lawfulRequest("R1", "counselling_notes")
		tc.blank(r)
		_, err := throughline.Decide(c, at(throughline.TypeInformationRequested, "2026-03-02", police, r))
		if throughline.ErrorCode(err) != throughline.EINVALID || !slices.Equal(fields(err), tc.missing) {
			t.Errorf("%s: got %v (fields %v), want EINVALID naming %v", tc.name, err, fields(err), tc.missing)
		}
	}

	// A GP's records need no s.44A(4) answer; a GP who also counsels her does.
	gp := lawfulRequest("R2", "medical")
	gp.ProbativeValue = ""
	step(t, c, at(throughline.TypeInformationRequested, "2026-03-02", police, gp))
	counsels := lawfulRequest("R3", "medical")
	counsels.HolderCounselling, counsels.ProbativeValue = true, ""
	if _, err := throughline.Decide(c, at(throughline.TypeInformationRequested, "2026-03-02", police, counsels)); !slices.Equal(fields(err), []string{"probative_value"}) {
		t.Errorf("a request to a holder who provides counselling is a counselling information request (s.44A(5)): got %v", err)
	}

	// The day before the Chapter came into force, a bare request stands.
	old := &throughline.InformationRequested{ComplainantID: "C1", RequestID: "R4", Material: "counselling_notes", Holder: "Leeds Rape Crisis",
		Reason: "The account given in counselling may differ."}
	step(t, c, at(throughline.TypeInformationRequested, "2026-01-11", police, old))
	old.RequestID = "R5"
	if _, err := throughline.Decide(c, at(throughline.TypeInformationRequested, "2026-01-12", police, old)); throughline.ErrorCode(err) != throughline.EINVALID {
		t.Errorf("on the day the Chapter came into force a bare request must be refused, got %v", err)
	}
}

// TestRequestAnswersValidated: an answer too short to be a reason, and an
// s.44A(4) answer on a request that is not for counselling information,
// are refused at the edge.
func TestRequestAnswersValidated(t *testing.T) {
	r := lawfulRequest("R1", "education")
	r.Necessity = "yes"
	b, _ := json.Marshal(map[string]any{"case": "13RS0000101/24", "type": "information_requested", "occurred_at": "2026-03-02", "data": r})
	_, err := throughline.ParseEvent(b)
	for _, want := range []string{"necessity", "probative_value"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %s refused, got %v", want, err)
		}
	}
}

// TestRequestSealed: the holder, every reason and the handling are sealed
// with the case's personal data; the kind of material is not.
func TestRequestSealed(t *testing.T) {
	r := lawfulRequest("R1", "counselling_notes")
	public, personal, err := throughline.SplitPersonal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Rape Crisis", "ABE", "fabrication", "first session", "probative", "made it up", "locked"} {
		if strings.Contains(string(public), s) {
			t.Errorf("public payload holds %q: %s", s, public)
		}
	}
	if !strings.Contains(string(public), "counselling_notes") || len(personal) != 7 {
		t.Errorf("public %s, personal %v", public, personal)
	}
	back, _ := throughline.DecodeStored("information_requested", public, personal)
	if *back.(*throughline.InformationRequested) != *r {
		t.Errorf("round trip: %+v", back)
	}
	erased, _ := throughline.DecodeStored("information_requested", public, nil)
	if e := erased.(*throughline.InformationRequested); e.Holder != throughline.Erased || e.Reason != throughline.Erased || e.Necessity != "" || e.Material != "counselling_notes" {
		t.Errorf("erased: %+v", e)
	}
	// A request stored before the fields were sealed keeps them public.
	legacy := []byte(`{"complainant_id":"C1","request_id":"R1","material":"medical","holder":"GP","reason":"to establish the timeline"}`)
	if d, _ := throughline.DecodeStored("information_requested", legacy, map[string]string{}); d.(*throughline.InformationRequested).Holder != "GP" {
		t.Errorf("legacy request lost its holder: %+v", d)
	}
}

// TestNoNoticeRecorded: an s.44B(5) exception marks the request as one of
// which she is given no notice; a later-notice exception does not.
func TestNoNoticeRecorded(t *testing.T) {
	c := fold(t, journey(t)[:2])
	at := collab(t)
	step(t, c, at(throughline.TypeInformationRequested, "2026-03-02", police, lawfulRequest("R1", "counselling_notes")))
	step(t, c, at(throughline.TypeInformationRequested, "2026-03-02", police, lawfulRequest("R2", "counselling_notes")))
	step(t, c, at(throughline.TypeInformationNoticeException, "2026-03-02", police, &throughline.InformationNoticeException{ComplainantID: "C1", RequestID: "R1",
		Exception: throughline.NoticeLater, Reason: "She is abroad until Friday with no safe address."}))
	step(t, c, at(throughline.TypeInformationNoticeException, "2026-03-02", police, &throughline.InformationNoticeException{ComplainantID: "C1", RequestID: "R2",
		Exception: throughline.NoticeNone, Reason: "Telling her now would alert the suspect, who reads her post."}))
	if got := c.Complainant("C1").NoNotice; !slices.Equal(got, []string{"R2"}) {
		t.Errorf("NoNotice = %v, want [R2]", got)
	}
}

// TestNoticeNamesARequestOfHers: a notice may name only a request about
// her, and only as news of an information request.
func TestNoticeNamesARequestOfHers(t *testing.T) {
	c := fold(t, journey(t)[:2])
	at := collab(t)
	r := lawfulRequest("R1", "medical")
	r.ProbativeValue = ""
	step(t, c, at(throughline.TypeInformationRequested, "2026-03-02", police, r))
	step(t, c, at(throughline.TypeVictimInformed, "2026-03-02", police, &throughline.VictimInformed{ComplainantID: "C1", About: throughline.TypeInformationRequested, Channel: "email", RequestID: "R1"}))
	refused(t, c, at(throughline.TypeVictimInformed, "2026-03-02", police, &throughline.VictimInformed{ComplainantID: "C1", About: throughline.TypeInformationRequested, Channel: "email", RequestID: "R9"}), "no information request R9")
	b, _ := json.Marshal(map[string]any{"case": "13RS0000101/24", "type": "victim_informed", "occurred_at": "2026-03-02",
		"data": map[string]string{"complainant_id": "C1", "about": "charged", "channel": "letter", "request_id": "R1"}})
	if _, err := throughline.ParseEvent(b); err == nil || !strings.Contains(err.Error(), "request_id") {
		t.Errorf("news of a charge naming a request: %v", err)
	}
}
