package throughline_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"throughline"
)

// lawfulDeviceRequest answers every condition of ss.37 and 39.
func lawfulDeviceRequest(id string) *throughline.DeviceExtractionRequested {
	return &throughline.DeviceExtractionRequested{ComplainantID: "C1", RequestID: id, Device: "your mobile phone, an iPhone 12",
		InformationSought: "The messages between you and him on WhatsApp in the week after the night.",
		ScopeFrom:         "2022-10-01", ScopeTo: "2022-10-31", DataKinds: []string{"messages", "photos_and_videos"},
		Reason:        "He says you stayed friendly afterwards. The messages can show what you said to each other.",
		Handling:      "Only the officer and the prosecutor will read them. Anything else found is not looked at and is deleted.",
		LineOfEnquiry: "Whether her messages to him after the night support his account of a friendly relationship.",
		Necessity:     "The messages are the only record of what was said that week; only that chat and month are sought.",
		OtherMeans:    "His phone was not seized and the provider keeps no content; screenshots would not show deleted messages.",
		SelfSelection: true}
}

// caseOn is a case reported on the given day, with one complainant.
func caseOn(t *testing.T, day string) *throughline.Case {
	t.Helper()
	w, err := throughline.ParseWhen(day)
	if err != nil {
		t.Fatal(err)
	}
	open := throughline.Event{Case: "13RS0000101/24", Type: throughline.TypeCaseOpened, OccurredAt: w, RecordedAt: w, Agency: police,
		Data: &throughline.CaseOpened{Force: "13", CPSArea: "yorkshire_humberside", Offences: []throughline.Offence{{HOCode: "19C", CJSCode: "SX03002"}},
			Complainants: []throughline.ComplainantRecord{{ID: "C1", Name: "Amelia Hart", Sex: "female", Ethnicity: "white", Language: "en"}},
			Suspects:     []throughline.SuspectRecord{{ID: "D1", Name: "Daniel Ross"}}}}
	return fold(t, []throughline.Event{open})
}

func fieldsOf(err error) []string {
	var out []string
	if e, ok := err.(*throughline.Error); ok {
		for _, f := range e.Fields {
			out = append(out, f.Field)
		}
	}
	return out
}

// TestDeviceRequestConditions: from 8 November 2022 a request to extract
// from her device is refused unless it answers s.37(5)(a) and (b), s.37(7)
// and (8), and s.39(3)(a) and (c), naming each missing one; the day before,
// the Chapter did not apply.
func TestDeviceRequestConditions(t *testing.T) {
	c := caseOn(t, "2022-10-01")
	at := collab(t)
	for _, tc := range []struct {
		name    string
		blank   func(r *throughline.DeviceExtractionRequested)
		missing []string
	}{
		{"nothing answered", func(r *throughline.DeviceExtractionRequested) {
			r.InformationSought, r.Handling, r.LineOfEnquiry, r.Necessity, r.OtherMeans = "", "", "", "", ""
		}, []string{"information_sought", "handling", "line_of_enquiry", "necessity", "other_means"}},
		{"s.39(3)(a)", func(r *throughline.DeviceExtractionRequested) { r.InformationSought = "  " }, []string{"information_sought"}},
		{"s.39(3)(c)", func(r *throughline.DeviceExtractionRequested) { r.Handling = "" }, []string{"handling"}},
		{"s.37(5)(a)", func(r *throughline.DeviceExtractionRequested) { r.LineOfEnquiry = "" }, []string{"line_of_enquiry"}},
		{"s.37(5)(b)", func(r *throughline.DeviceExtractionRequested) { r.Necessity = "" }, []string{"necessity"}},
		{"s.37(7)-(8)", func(r *throughline.DeviceExtractionRequested) { r.OtherMeans = "" }, []string{"other_means"}},
	} {
		r := lawfulDeviceRequest("D1")
		tc.blank(r)
		_, err := throughline.Decide(c, at(throughline.TypeDeviceExtractionRequested, "2022-11-08", police, r))
		if throughline.ErrorCode(err) != throughline.EINVALID || !slices.Equal(fieldsOf(err), tc.missing) {
			t.Errorf("%s: got %v (fields %v), want EINVALID naming %v", tc.name, err, fieldsOf(err), tc.missing)
		}
	}
	bare := &throughline.DeviceExtractionRequested{ComplainantID: "C1", RequestID: "D1", Device: "her phone", DataKinds: []string{"messages"},
		Reason: "To see the messages he sent her that week."}
	step(t, c, at(throughline.TypeDeviceExtractionRequested, "2022-11-07", police, bare))
	step(t, c, at(throughline.TypeDeviceExtractionRequested, "2022-11-08", police, lawfulDeviceRequest("D2")))
	refused(t, c, at(throughline.TypeDeviceExtractionRequested, "2022-11-08", police, lawfulDeviceRequest("D2")), "D2 already exists")
}

// TestDeviceRequestValidated: short answers, a backwards date range, no
// kinds of data and an unknown kind are refused at the edge.
func TestDeviceRequestValidated(t *testing.T) {
	r := lawfulDeviceRequest("D1")
	r.Necessity, r.ScopeFrom, r.ScopeTo, r.DataKinds = "yes", "2022-11-01", "2022-10-01", nil
	b, _ := json.Marshal(map[string]any{"case": "13RS0000101/24", "type": "device_extraction_requested", "occurred_at": "2023-03-02", "data": r})
	_, err := throughline.ParseEvent(b)
	for _, want := range []string{"necessity", "scope_to", "data_kinds"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %s refused, got %v", want, err)
		}
	}
	r = lawfulDeviceRequest("D1")
	r.DataKinds = []string{"messages", "diary"}
	b, _ = json.Marshal(map[string]any{"case": "13RS0000101/24", "type": "device_extraction_requested", "occurred_at": "2023-03-02", "data": r})
	if _, err := throughline.ParseEvent(b); err == nil || !strings.Contains(err.Error(), `"diary"`) {
		t.Errorf("an unknown kind of data: %v", err)
	}
}

// TestDeviceAgreement: her agreement is refused before the written notice
// reached her (s.39(3)), without her written confirmation (s.39(4)), and
// to a scope wider than asked; with all three it stands, and the scope is
// the one she agreed. A refusal needs no notice. Nothing follows a
// withdrawal but a new request.
func TestDeviceAgreement(t *testing.T) {
	c := caseOn(t, "2023-01-09")
	at := collab(t)
	step(t, c, at(throughline.TypeDeviceExtractionRequested, "2023-02-01", police, lawfulDeviceRequest("D1")))
	agree := func() *throughline.DeviceExtractionAnswered {
		return &throughline.DeviceExtractionAnswered{ComplainantID: "C1", RequestID: "D1", Answer: throughline.DeviceAgreed, ConfirmedInWriting: true,
			ScopeFrom: "2022-10-05", DataKinds: []string{"messages"}}
	}
	refused(t, c, at(throughline.TypeDeviceExtractionAnswered, "2023-02-02", police, agree()), "once the written notice has reached her")
	refused(t, c, at(throughline.TypeVictimInformed, "2023-02-03", police, &throughline.VictimInformed{ComplainantID: "C1", About: throughline.TypeDeviceExtractionRequested, Channel: "letter", RequestID: "D9"}), "no device extraction request D9")
	refused(t, c, at(throughline.TypeVictimInformed, "2023-02-03", police, &throughline.VictimInformed{ComplainantID: "C1", About: throughline.TypeDeviceExtractionRequested, Channel: "phone", RequestID: "D1"}), "in writing (PCSCA 2022 s.39(3))")
	step(t, c, at(throughline.TypeVictimInformed, "2023-02-03", police, &throughline.VictimInformed{ComplainantID: "C1", About: throughline.TypeDeviceExtractionRequested, Channel: "letter", RequestID: "D1"}))
	if got := c.Complainant("C1").Device("D1").NoticeOn.String(); got != "2023-02-03" {
		t.Fatalf("notice delivered on %q, want 2023-02-03", got)
	}
	refused(t, c, at(throughline.TypeDeviceExtractionAnswered, "2023-02-02", police, agree()), "before the written notice reached her")
	unconfirmed := agree()
	unconfirmed.ConfirmedInWriting = false
	refused(t, c, at(throughline.TypeDeviceExtractionAnswered, "2023-02-06", police, unconfirmed), "s.39(4)")
	for _, tc := range []struct {
		widen func(a *throughline.DeviceExtractionAnswered)
		field string
	}{
		{func(a *throughline.DeviceExtractionAnswered) { a.DataKinds = []string{"messages", "location"} }, "data_kinds"},
		{func(a *throughline.DeviceExtractionAnswered) { a.ScopeFrom = "2022-09-30" }, "scope_from"},
		{func(a *throughline.DeviceExtractionAnswered) { a.ScopeTo = "2022-11-01" }, "scope_to"},
	} {
		a := agree()
		tc.widen(a)
		_, err := throughline.Decide(c, at(throughline.TypeDeviceExtractionAnswered, "2023-02-06", police, a))
		if !slices.Equal(fieldsOf(err), []string{tc.field}) || !strings.Contains(err.Error(), "wider than the request") {
			t.Errorf("a wider scope (%s) must be refused naming it: %v", tc.field, err)
		}
	}
	step(t, c, at(throughline.TypeDeviceExtractionAnswered, "2023-02-06", police, agree()))
	x := c.Complainant("C1").Device("D1")
	if x.Answer != throughline.DeviceAgreed || x.Agreed.ScopeFrom != "2022-10-05" || x.Agreed.ScopeTo != "2022-10-31" || !slices.Equal(x.Agreed.DataKinds, []string{"messages"}) {
		t.Errorf("agreed scope: %+v", x.Agreed)
	}
	refused(t, c, at(throughline.TypeDeviceExtractionAnswered, "2023-02-07", police, agree()), "already recorded")
	refused(t, c, at(throughline.TypeDeviceExtractionWithdrawn, "2023-02-05", police, &throughline.DeviceExtractionWithdrawn{ComplainantID: "C1", RequestID: "D1"}), "before her agreement")
	step(t, c, at(throughline.TypeDeviceExtractionWithdrawn, "2023-02-10", police, &throughline.DeviceExtractionWithdrawn{ComplainantID: "C1", RequestID: "D1"}))
	refused(t, c, at(throughline.TypeDeviceExtractionWithdrawn, "2023-02-11", police, &throughline.DeviceExtractionWithdrawn{ComplainantID: "C1", RequestID: "D1"}), "already withdrew")
	refused(t, c, at(throughline.TypeDeviceExtractionAnswered, "2023-02-11", police, agree()), "record a new request")

	// A refusal stands without a notice; there is then nothing to withdraw.
	step(t, c, at(throughline.TypeDeviceExtractionRequested, "2023-02-12", police, lawfulDeviceRequest("D2")))
	step(t, c, at(throughline.TypeDeviceExtractionAnswered, "2023-02-12", police, &throughline.DeviceExtractionAnswered{ComplainantID: "C1", RequestID: "D2", Answer: throughline.DeviceRefused}))
	refused(t, c, at(throughline.TypeDeviceExtractionWithdrawn, "2023-02-13", police, &throughline.DeviceExtractionWithdrawn{ComplainantID: "C1", RequestID: "D2"}), "no agreement to withdraw")
	refused(t, c, at(throughline.TypeDeviceExtractionAnswered, "2023-02-13", police, &throughline.DeviceExtractionAnswered{ComplainantID: "C1", RequestID: "D3", Answer: throughline.DeviceRefused}), "no device extraction request D3")
}

// TestDeviceAgreementBeforeChapter3: before 8 November 2022 an agreement
// needed neither the notice nor written confirmation.
func TestDeviceAgreementBeforeChapter3(t *testing.T) {
	c := caseOn(t, "2022-10-01")
	at := collab(t)
	step(t, c, at(throughline.TypeDeviceExtractionRequested, "2022-11-01", police, lawfulDeviceRequest("D1")))
	agree := &throughline.DeviceExtractionAnswered{ComplainantID: "C1", RequestID: "D1", Answer: throughline.DeviceAgreed, DataKinds: []string{"messages"}}
	if _, err := throughline.Decide(c, at(throughline.TypeDeviceExtractionAnswered, "2022-11-08", police, agree)); throughline.ErrorCode(err) != throughline.EINVALID {
		t.Errorf("on 8 November 2022 an agreement without the notice must be refused: %v", err)
	}
	step(t, c, at(throughline.TypeDeviceExtractionAnswered, "2022-11-07", police, agree))
}

// TestDeviceRequestSealed: the device, what is sought, every reason and the
// handling are sealed; the kinds of data and the dates are not.
func TestDeviceRequestSealed(t *testing.T) {
	r := lawfulDeviceRequest("D1")
	public, personal, err := throughline.SplitPersonal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"iPhone", "WhatsApp", "stayed friendly", "deleted", "relationship", "only record", "provider"} {
		if strings.Contains(string(public), s) {
			t.Errorf("public payload holds %q: %s", s, public)
		}
	}
	if !strings.Contains(string(public), "photos_and_videos") || !strings.Contains(string(public), "2022-10-31") || len(personal) != 7 {
		t.Errorf("public %s, personal %v", public, personal)
	}
	back, _ := throughline.DecodeStored(throughline.TypeDeviceExtractionRequested, public, personal)
	if b := back.(*throughline.DeviceExtractionRequested); b.Device != r.Device || b.OtherMeans != r.OtherMeans || !slices.Equal(b.DataKinds, r.DataKinds) {
		t.Errorf("round trip: %+v", b)
	}
	erased, _ := throughline.DecodeStored(throughline.TypeDeviceExtractionRequested, public, nil)
	if e := erased.(*throughline.DeviceExtractionRequested); e.Device != throughline.Erased || e.Reason != throughline.Erased || e.Necessity != "" {
		t.Errorf("erased: %+v", e)
	}
}
