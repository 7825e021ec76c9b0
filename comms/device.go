package comms

import (
	"fmt"
	"strings"
	"time"

	"throughline"
)

// KindDeviceExtraction is the written notice of a request to extract
// information from her device (PCSCA 2022 s.39(3)): what is sought, the
// dates and kinds of data, why, how it will be handled, that she may say
// no, and that saying no will not by itself end the investigation.
const KindDeviceExtraction = "device_extraction"

// DeviceData is the device extraction notice's template data.
type DeviceData struct {
	Common
	Device string
	// Sought is what is sought (s.39(3)(a)), in the officer's words; Kinds
	// the kinds of data in hers; From and To the date range, if any.
	Sought, Kinds, From, To string
	Reason                  string // s.39(3)(b)
	Handling                string // s.39(3)(c); empty for a request before Chapter 3
	SelfSelection           bool
}

// deviceData composes the notice of the request named by subject
// ("request:D1").
func deviceData(common Common, cp *throughline.Complainant, subject, lang string) (DeviceData, error) {
	id, err := subjectID(subject, "request")
	if err != nil {
		return DeviceData{}, err
	}
	x := cp.Device(id)
	if x == nil {
		return DeviceData{}, fmt.Errorf("complainant %s has no device extraction request %s", cp.ID, id)
	}
	d := DeviceData{Common: common, Device: strings.TrimSpace(x.Device), Sought: strings.TrimSpace(x.InformationSought),
		Reason: strings.TrimSpace(x.Reason), Handling: strings.TrimSpace(x.Handling), SelfSelection: x.SelfSelection}
	var kinds []string
	for _, k := range x.DataKinds {
		kinds = append(kinds, dataKindWords[lang][k])
	}
	d.Kinds = joinWords(lang, kinds)
	for _, s := range []struct {
		v   string
		out *string
	}{{x.ScopeFrom, &d.From}, {x.ScopeTo, &d.To}} {
		if t, err := time.Parse(time.DateOnly, s.v); err == nil {
			*s.out = FormatDate(lang, t)
		}
	}
	if d.Sought == "" {
		d.Sought = map[string]string{"en": "information that may help the case.", "cy": "gwybodaeth a allai helpu'r achos."}[lang]
	}
	return d, nil
}

// joinWords lists words as a sentence does: "a, b and c". In Welsh "a"
// is "ac" before a vowel, "a'r" before the article "y", "a'ch" before
// "eich", and mutates c, p
// and t after it (aspirate mutation: "a chyfryngau").
func joinWords(lang string, ws []string) string {
	if len(ws) < 2 {
		return strings.Join(ws, "")
	}
	last := ws[len(ws)-1]
	and := " and " + last
	if lang == "cy" {
		and = " a " + last
		switch {
		case strings.HasPrefix(last, "y "):
			and = " a'r " + strings.TrimPrefix(last, "y ")
		case strings.HasPrefix(last, "eich "):
			and = " a'ch " + strings.TrimPrefix(last, "eich ")
		case last != "" && strings.ContainsAny(last[:1], "aeiouwy"):
			and = " ac " + last
		case last != "" && strings.ContainsAny(last[:1], "cpt"):
			and = " a " + last[:1] + "h" + last[1:]
		}
	}
	return strings.Join(ws[:len(ws)-1], ", ") + and
}

// dataKindWords are the kinds of data of throughline.DeviceDataKinds, in
// words for her.
var dataKindWords = map[string]map[string]string{
	"en": {"messages": "messages", "photos_and_videos": "photos and videos", "call_log": "the list of your calls",
		"contacts": "your contacts", "location": "where your phone has been", "social_media": "social media",
		"internet_history": "websites you visited", "other": "other information"},
	"cy": {"messages": "negeseuon", "photos_and_videos": "lluniau a fideos", "call_log": "y rhestr o'ch galwadau",
		"contacts": "eich cysylltiadau", "location": "ble mae eich ffôn wedi bod", "social_media": "cyfryngau cymdeithasol",
		"internet_history": "gwefannau rydych chi wedi ymweld â nhw", "other": "gwybodaeth arall"},
}
