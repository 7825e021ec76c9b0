package throughline

import (
	"slices"
	"strings"
	"time"
)

// Digital device extraction: Chapter 3 of Part 2 of the Police, Crime,
// Sentencing and Courts Act 2022 (ss.37–44), in force 8 November 2022. An
// authorised person may extract information from an electronic device that
// its user voluntarily provided and agreed to the extraction of (s.37(1)),
// only for a reasonable line of enquiry and only where necessary and
// proportionate (s.37(5)), having considered other means where there is a
// risk of obtaining other information (s.37(7)–(8)), without undue pressure
// (s.39(2)), after a written notice to her (s.39(3)) and with her written
// confirmation (s.39(4)). Each is answered in its own field, as the
// information request's conditions are (data_requests.go). ADR 0401.
//
// The text of s.37(1)–(4) and s.39(1)–(3) was read in the Act (legislation.gov.uk);
// s.37(5), (7)–(8) and s.39(4) are modelled on the commonly published
// summary of the Act and the Extraction of Information from Electronic
// Devices Code of Practice (in force 8 November 2022, SI 2022/1054), whose
// text could not be read here: assumptions, marked as such in ADR 0401.

// Chapter3InForce is the day the rest of Chapter 3 of Part 2 came into force
// (Home Office Circular 007/2022; s.42(1)–(7) from 12 May 2022). An
// extraction before it was not governed by the Chapter, so the record need
// not answer its conditions.
var Chapter3InForce = On(2022, time.November, 8)

// DeviceDataKinds are the kinds of data an extraction may take: the scope
// agreed names them, so that she knows what is and is not looked at.
var DeviceDataKinds = []string{"messages", "photos_and_videos", "call_log", "contacts", "location", "social_media", "internet_history", "other"}

// DeviceAnswers are her answers to a request to extract from her device.
var DeviceAnswers = []string{DeviceAgreed, DeviceRefused}

// Her answers.
const (
	DeviceAgreed  = "agreed"
	DeviceRefused = "refused"
)

// DeviceExtractionRequested records that the police asked the complainant to
// provide a device and agree to extraction from it (s.37(1)), and the
// answer to each condition the Chapter sets. Everything but the ids, the
// dates and the kinds of data is sealed with the case's personal data: the
// device, what is sought and why say what she has told the police.
type DeviceExtractionRequested struct {
	ComplainantID string `json:"complainant_id"`
	RequestID     string `json:"request_id"`
	// Device is the device, in words for her: "your mobile phone".
	Device string `json:"device"`
	// InformationSought specifies or describes the information sought
	// (s.39(3)(a)), in words for her.
	InformationSought string `json:"information_sought,omitempty"`
	// ScopeFrom and ScopeTo limit the extraction to a date range (YYYY-MM-DD,
	// either or both optional); DataKinds to kinds of data (at least one).
	ScopeFrom string   `json:"scope_from,omitempty"`
	ScopeTo   string   `json:"scope_to,omitempty"`
	DataKinds []string `json:"data_kinds"`
	// Reason specifies why the information is sought (s.39(3)(b)), in words
	// for her.
	Reason string `json:"reason"`
	// Handling specifies how it will be dealt with once extracted
	// (s.39(3)(c)), in words for her.
	Handling string `json:"handling,omitempty"`
	// LineOfEnquiry: the reasonable line of enquiry the information is
	// relevant to (s.37(5)(a)).
	LineOfEnquiry string `json:"line_of_enquiry,omitempty"`
	// Necessity: why extraction is necessary and proportionate to achieve
	// the purpose (s.37(5)(b)).
	Necessity string `json:"necessity,omitempty"`
	// OtherMeans: the other means of obtaining the information considered,
	// and why they are not reasonably practicable (s.37(7)–(8)). A phone
	// always holds other information than that sought, so Throughline
	// always asks it.
	OtherMeans string `json:"other_means,omitempty"`
	// SelfSelection says she was offered to select the material herself
	// (screenshots, or choosing the messages) instead of a full extraction.
	SelfSelection bool `json:"self_selection,omitempty"`
}

func (*DeviceExtractionRequested) EventType() string { return TypeDeviceExtractionRequested }
func (d *DeviceExtractionRequested) validate(fe *fieldErrors) {
	partyID(fe, "complainant_id", d.ComplainantID)
	partyID(fe, "request_id", d.RequestID)
	required(fe, "device", d.Device)
	if len(strings.TrimSpace(d.Reason)) < minReasons {
		fe.add("reason", "Say, for her, why the information is sought (s.39(3)(b)), in at least %d characters", minReasons)
	}
	for _, c := range d.conditions() {
		if *c.v != "" && len(strings.TrimSpace(*c.v)) < minReasons {
			fe.add(c.field, "%s, in at least %d characters", c.ask, minReasons)
		}
	}
	validScope(fe, d.ScopeFrom, d.ScopeTo, d.DataKinds)
}

// validScope checks a date range and the kinds of data: real dates, the
// first not after the second, and at least one known kind, each once.
func validScope(fe *fieldErrors, from, to string, kinds []string) {
	var f, t time.Time
	for _, x := range []struct {
		field, v string
		t        *time.Time
	}{{"scope_from", from, &f}, {"scope_to", to, &t}} {
		if x.v == "" {
			continue
		}
		v, err := time.Parse(time.DateOnly, x.v)
		if err != nil {
			fe.add(x.field, "must be a date, YYYY-MM-DD, not %q", x.v)
			continue
		}
		*x.t = v
	}
	if !f.IsZero() && !t.IsZero() && t.Before(f) {
		fe.add("scope_to", "must not be before the start of the date range (%s)", from)
	}
	if len(kinds) == 0 {
		fe.add("data_kinds", "Select at least one kind of data")
	}
	for i, k := range kinds {
		switch {
		case !slices.Contains(DeviceDataKinds, k):
			fe.add("data_kinds", "must each be one of %s, not %q", strings.Join(DeviceDataKinds, ", "), k)
		case slices.Index(kinds, k) < i:
			fe.add("data_kinds", "names %q twice", k)
		}
	}
}

// conditions are the questions a request on or after Chapter3InForce must
// answer, in the order the Act asks them.
func (d *DeviceExtractionRequested) conditions() []condition {
	return []condition{
		{"information_sought", "Say what information is sought, for the notice to her (s.39(3)(a))", &d.InformationSought},
		{"handling", "Say how the information will be dealt with once extracted, for the notice to her (s.39(3)(c))", &d.Handling},
		{"line_of_enquiry", "Say which reasonable line of enquiry the information is relevant to (s.37(5)(a))", &d.LineOfEnquiry},
		{"necessity", "Say why extraction is necessary and proportionate (s.37(5)(b))", &d.Necessity},
		{"other_means", "Say which other means of getting the information you considered, and why they are not reasonably practicable (s.37(7) and (8))", &d.OtherMeans},
	}
}

// DeviceExtractionAnswered records her answer. An agreement is the
// written confirmation s.39(4) asks for, and the scope she agreed to: the
// kinds of data and the date range, within what was asked, never wider.
type DeviceExtractionAnswered struct {
	ComplainantID string `json:"complainant_id"`
	RequestID     string `json:"request_id"`
	Answer        string `json:"answer"`
	// ConfirmedInWriting: she confirmed in writing that she provided the
	// device voluntarily and agreed to the extraction (s.39(4)).
	ConfirmedInWriting bool `json:"confirmed_in_writing,omitempty"`
	// The scope she agreed to: empty dates mean the request's.
	ScopeFrom string   `json:"scope_from,omitempty"`
	ScopeTo   string   `json:"scope_to,omitempty"`
	DataKinds []string `json:"data_kinds,omitempty"`
	// SelfSelected: she chose the material herself.
	SelfSelected bool `json:"self_selected,omitempty"`
}

func (*DeviceExtractionAnswered) EventType() string { return TypeDeviceExtractionAnswered }
func (d *DeviceExtractionAnswered) validate(fe *fieldErrors) {
	partyID(fe, "complainant_id", d.ComplainantID)
	partyID(fe, "request_id", d.RequestID)
	oneOf(fe, "answer", d.Answer, DeviceAnswers)
	if d.Answer == DeviceAgreed {
		validScope(fe, d.ScopeFrom, d.ScopeTo, d.DataKinds)
		return
	}
	if d.ScopeFrom != "" || d.ScopeTo != "" || len(d.DataKinds) > 0 || d.ConfirmedInWriting || d.SelfSelected {
		fe.add("answer", "A refusal has no scope, confirmation or self-selection: record those only with her agreement")
	}
}

// DeviceExtractionWithdrawn records that she withdrew her agreement. The
// code of practice lets her at any time; extraction must then stop, and
// only a new request can start it again.
type DeviceExtractionWithdrawn struct {
	ComplainantID string `json:"complainant_id"`
	RequestID     string `json:"request_id"`
}

func (*DeviceExtractionWithdrawn) EventType() string { return TypeDeviceExtractionWithdrawn }
func (d *DeviceExtractionWithdrawn) validate(fe *fieldErrors) {
	partyID(fe, "complainant_id", d.ComplainantID)
	partyID(fe, "request_id", d.RequestID)
}

// DeviceExtraction is a request to extract from her device as it stands:
// the request, when the written notice reached her, and her answer.
type DeviceExtraction struct {
	DeviceExtractionRequested
	RequestedOn When `json:",omitzero"`
	// NoticeOn is when the written notice of s.39(3) was delivered to her.
	NoticeOn When `json:",omitzero"`
	// Answer is "", DeviceAgreed or DeviceRefused; AnsweredOn when.
	Answer     string                    `json:",omitzero"`
	AnsweredOn When                      `json:",omitzero"`
	Agreed     *DeviceExtractionAnswered `json:",omitzero"`
	// WithdrawnOn is when she withdrew her agreement.
	WithdrawnOn When `json:",omitzero"`
}

// Device returns her device extraction request id, or nil.
func (cp *Complainant) Device(id string) *DeviceExtraction {
	for i := range cp.Devices {
		if cp.Devices[i].RequestID == id {
			return &cp.Devices[i]
		}
	}
	return nil
}

// The device, what is sought, the reasons and the handling are sealed
// with the case's personal data. Once the case's key is destroyed the
// device and the reason read Erased, and the answers read empty.
func (d *DeviceExtractionRequested) splitPersonal() (Data, map[string]string) {
	pub := *d
	pub.DataKinds = slices.Clone(d.DataKinds)
	m := map[string]string{}
	for _, f := range pub.sealed() {
		take(m, f.key, f.v)
	}
	return &pub, m
}

func (d *DeviceExtractionRequested) mergePersonal(m map[string]string) {
	for _, f := range d.sealed() {
		restore(m, f.key, f.v, f.key == "device" || f.key == "reason")
	}
}

func (d *DeviceExtractionRequested) sealed() []struct {
	key string
	v   *string
} {
	return []struct {
		key string
		v   *string
	}{{"device", &d.Device}, {"information_sought", &d.InformationSought}, {"reason", &d.Reason}, {"handling", &d.Handling},
		{"line_of_enquiry", &d.LineOfEnquiry}, {"necessity", &d.Necessity}, {"other_means", &d.OtherMeans}}
}
