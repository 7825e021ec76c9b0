package staff

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"throughline"
	"throughline/web/page"
)

// The forms of a digital device extraction (PCSCA 2022 Part 2 Chapter 3):
// the request with each condition of ss.37 and 39 in its own question, her
// answer, and her withdrawal. Their field kinds are read here (buildDevice)
// and drawn here (deviceControls); record.go asks these after the
// collaboration forms'. ADR 0401.

var deviceForms = []eventForm{
	{typ: throughline.TypeDeviceExtractionRequested, title: "Record a request to extract information from the victim's device", done: "Device extraction request recorded",
		when: "When was she asked?", fields: []formField{
			{name: "complainant_id", kind: "complainant", label: "Whose device?"},
			{name: "request_id", kind: "newdevice"},
			{name: "device", kind: "text", label: "Which device?", hint: "In words for her: the notice says it. For example, your mobile phone"},
			{name: "information_sought", kind: "textarea", label: "What information is sought, in words for her?", hint: "Section 39(3)(a): the notice says it. For example, the messages between you and him in June"},
			{name: "data_kinds", kind: "checkboxes", label: "Which kinds of data?", hint: "Select all that are sought. She can agree to fewer, never more", options: dataKindOptions},
			{name: "scope_from", kind: "date", label: "From which date? (optional)", hint: "Leave empty if there is no start date. For example, 1 6 2026", optional: true},
			{name: "scope_to", kind: "date", label: "Up to which date? (optional)", hint: "Leave empty if there is no end date. For example, 30 6 2026", optional: true},
			{name: "reason", kind: "textarea", label: "Why is the information sought, in words for her?", hint: "Section 39(3)(b): the notice says it"},
			{name: "handling", kind: "textarea", label: "How will it be dealt with once extracted, in words for her?", hint: "Section 39(3)(c): the notice says it. Who will see it, what will be used, what happens to the rest"},
			{name: "line_of_enquiry", kind: "textarea", label: "Which reasonable line of enquiry is the information relevant to?", hint: "Section 37(5)(a)"},
			{name: "necessity", kind: "textarea", label: "Why is extraction necessary and proportionate?", hint: "Section 37(5)(b). Say why you cannot do without it, and why you ask for no more than you need"},
			{name: "other_means", kind: "textarea", label: "Which other ways of getting the information did you consider, and why are they not reasonably practicable?",
				hint: "Section 37(7) and (8). For example, screenshots she takes herself, or the suspect's own phone"},
			{name: "self_selection", kind: "yesno", label: "She was offered to choose the material herself", hint: "For example, screenshots of the messages instead of a full download. The notice tells her she can"}}},
	{typ: throughline.TypeDeviceExtractionAnswered, title: "Record the victim's answer to a device extraction request", done: "Her answer recorded", when: "When did she answer?", fields: []formField{
		{name: "request_id", kind: "deviceopen", label: "Which request?"},
		{name: "answer", kind: "radios", label: "What did she say?", hint: "You can record her agreement once the written notice has reached her (s.39(3))",
			options: []option{{throughline.DeviceAgreed, "She agreed"}, {throughline.DeviceRefused, "She said no"}}},
		{name: "confirmed_in_writing", kind: "yesno", label: "She confirmed in writing that she gave the device voluntarily and agrees to the extraction",
			hint: "Section 39(4). Her agreement cannot be recorded without it"},
		{name: "data_kinds", kind: "checkboxes", label: "If she agreed, to which kinds of data?", hint: "Only kinds the request asked for. Leave empty if she said no", options: dataKindOptions, optional: true},
		{name: "scope_from", kind: "date", label: "If she agreed to a shorter time, from which date? (optional)", hint: "Leave empty for the request's dates", optional: true},
		{name: "scope_to", kind: "date", label: "If she agreed to a shorter time, up to which date? (optional)", hint: "Leave empty for the request's dates", optional: true},
		{name: "self_selected", kind: "yesno", label: "She chose the material herself"}}},
	{typ: throughline.TypeDeviceExtractionWithdrawn, title: "Record that the victim withdrew her agreement to a device extraction", done: "Withdrawal recorded",
		when: "When did she withdraw it?", fields: []formField{
			{name: "request_id", kind: "deviceagreed", label: "Which agreement?", hint: "The extraction must stop. To ask her again, record a new request"}}},
}

// dataKindOptions are throughline.DeviceDataKinds in words.
var dataKindOptions = []option{{"messages", "Messages"}, {"photos_and_videos", "Photos and videos"}, {"call_log", "Call log"},
	{"contacts", "Contacts"}, {"location", "Location data"}, {"social_media", "Social media"}, {"internet_history", "Internet history"}, {"other", "Other"}}

// deviceChoices are the device requests a field of kind k offers, as
// "complainant|request" values.
func deviceChoices(c *throughline.Case, kind string) []option {
	var out []option
	for _, cp := range c.Complainants {
		for _, x := range cp.Devices {
			open := x.Answer == "" && x.WithdrawnOn.IsZero()
			agreed := x.Answer == throughline.DeviceAgreed && x.WithdrawnOn.IsZero()
			if kind == "deviceopen" && open || kind == "deviceagreed" && agreed {
				label := page.Sentence(x.Device) + ", " + cp.Name + ", asked " + day(x.RequestedOn)
				if kind == "deviceopen" {
					label += noticeWords(x)
				}
				out = append(out, option{cp.ID + "|" + x.RequestID, label})
			}
		}
	}
	return out
}

func noticeWords(x throughline.DeviceExtraction) string {
	if x.NoticeOn.IsZero() {
		return " (the written notice has not reached her yet)"
	}
	return " (the written notice reached her " + day(x.NoticeOn) + ")"
}

// buildDevice reads a field of a device kind; false for other kinds.
func buildDevice(fd formField, c *throughline.Case, v url.Values, data map[string]any, fe *[]throughline.FieldError) bool {
	switch fd.kind {
	case "newdevice":
		data[fd.name] = nextDeviceID(c)
	case "deviceopen", "deviceagreed":
		comp, id, _ := strings.Cut(v.Get(fd.name), "|")
		data["complainant_id"], data[fd.name] = comp, id
	case "date":
		if strings.TrimSpace(v.Get(fd.name+"-day")+v.Get(fd.name+"-month")+v.Get(fd.name+"-year")) == "" && fd.optional {
			return true
		}
		d, err := formDate(v, fd.name)
		if err != "" {
			*fe = append(*fe, throughline.FieldError{Field: "data." + fd.name, Message: err})
			return true
		}
		data[fd.name] = d
	default:
		return false
	}
	return true
}

// nextDeviceID is a new device extraction request's id: E and the next
// number (D is a defendant's).
func nextDeviceID(c *throughline.Case) string {
	for n := 1; ; n++ {
		id := "E" + strconv.Itoa(n)
		if !slices.ContainsFunc(c.Complainants, func(cp throughline.Complainant) bool { return cp.Device(id) != nil }) {
			return id
		}
	}
}

// deviceControls draws a field of a device kind; false for other kinds.
func deviceControls(fd formField, c *throughline.Case, v url.Values, errFor func(string) *page.ErrorMessage) ([]control, bool) {
	legend := &page.Fieldset{Legend: &page.Legend{Text: fd.label, Classes: "govuk-fieldset__legend--s"}}
	switch fd.kind {
	case "newdevice":
		return nil, true
	case "deviceopen", "deviceagreed":
		items := deviceChoices(c, fd.kind)
		hint := fd.hint
		switch {
		case len(items) == 0:
			hint = "There is no request on this case this applies to"
		case len(items) == 1 && v.Get(fd.name) == "":
			v.Set(fd.name, items[0].value)
		}
		ch := page.Choices{Name: fd.name, Fieldset: legend, ErrorMessage: errFor(fd.name)}
		if hint != "" {
			ch.Hint = &page.Hint{Text: hint}
		}
		for _, o := range items {
			ch.Items = append(ch.Items, page.Choice{Value: o.value, Text: o.text, Checked: v.Get(fd.name) == o.value})
		}
		return []control{{Radios: &ch}}, true
	case "date":
		di := page.DateInput{ID: fd.name, Day: v.Get(fd.name + "-day"), Month: v.Get(fd.name + "-month"), Year: v.Get(fd.name + "-year"),
			Fieldset: legend, Hint: &page.Hint{Text: fd.hint}, ErrorMessage: errFor(fd.name)}
		return []control{{DateInput: &di}}, true
	}
	return nil, false
}

// deviceAnswers are the device kinds' possible answers, for the record
// menu: each request the field offers.
func deviceAnswers(fd formField, c *throughline.Case) ([]string, bool) {
	switch fd.kind {
	case "deviceopen", "deviceagreed":
		var vs []string
		for _, o := range deviceChoices(c, fd.kind) {
			vs = append(vs, o.value)
		}
		return vs, true
	}
	return nil, false
}

// deviceNoticeOptions are the device extraction requests whose written
// notice (s.39(3)) has not yet reached her, for the victim_informed form's
// request question: a notice given outside the dispatcher (a paper notice
// handed to her, recorded as a letter) names its request there.
func deviceNoticeOptions(c *throughline.Case) []option {
	var out []option
	for _, cp := range c.Complainants {
		for _, x := range cp.Devices {
			if x.NoticeOn.IsZero() && x.WithdrawnOn.IsZero() {
				out = append(out, option{x.RequestID, "Device extraction: " + x.Device + ", about " + cp.Name + " (the written notice of s.39(3))"})
			}
		}
	}
	return out
}
