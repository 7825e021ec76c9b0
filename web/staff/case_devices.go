package staff

import (
	"strings"

	"throughline"
	"throughline/web/page"
)

// deviceItem is a request to extract information from the victim's device
// (PCSCA 2022 s.37): what the officer answered to each condition, what she
// was told (s.39(3)) and when it reached her, and her answer.
type deviceItem struct {
	For     string
	Device  string
	Status  page.Tag
	Answers []answer
}

// deviceItems are the case's device extraction requests, for a view that
// sees the victim's part unpseudonymised; withheld is true for any other
// (an inspector's, like the material requests panel).
func deviceItems(c *throughline.Case, d throughline.Decision) (items []deviceItem, withheld bool) {
	if !d.Has(throughline.PartVictim) || d.Pseudonymise {
		return nil, true
	}
	for _, cp := range c.Complainants {
		for _, x := range cp.Devices {
			it := deviceItem{For: cp.Name, Device: page.Sentence(x.Device), Status: deviceStatus(x)}
			for _, a := range []answer{
				{"What is sought, as she is told (s.39(3)(a))", x.InformationSought},
				{"Kinds of data", kindWords(x.DataKinds)},
				{"Dates", dateRange(x.ScopeFrom, x.ScopeTo)},
				{"Why it is sought, as she is told (s.39(3)(b))", x.Reason},
				{"How it will be dealt with, as she is told (s.39(3)(c))", x.Handling},
				{"The reasonable line of enquiry (s.37(5)(a))", x.LineOfEnquiry},
				{"Why it is necessary and proportionate (s.37(5)(b))", x.Necessity},
				{"Other means considered, and why not reasonably practicable (s.37(7) and (8))", x.OtherMeans},
				{"Offered to choose the material herself", yesNo(x.SelfSelection)},
				{"Written notice (s.39(3))", noticeText(x)},
				{"Her answer", answerText(x)},
			} {
				if a.Answer != "" {
					it.Answers = append(it.Answers, a)
				}
			}
			items = append(items, it)
		}
	}
	return items, false
}

func deviceStatus(x throughline.DeviceExtraction) page.Tag {
	switch {
	case !x.WithdrawnOn.IsZero():
		return page.Tag{Text: "Agreement withdrawn", Classes: "govuk-tag--red"}
	case x.Answer == throughline.DeviceAgreed:
		return page.Tag{Text: "Agreed", Classes: "govuk-tag--green"}
	case x.Answer == throughline.DeviceRefused:
		return page.Tag{Text: "She said no", Classes: "govuk-tag--grey"}
	case x.NoticeOn.IsZero():
		return page.Tag{Text: "Notice not yet delivered", Classes: "govuk-tag--yellow"}
	}
	return page.Tag{Text: "Waiting for her answer", Classes: "govuk-tag--blue"}
}

func noticeText(x throughline.DeviceExtraction) string {
	if x.NoticeOn.IsZero() {
		return "Not yet delivered to her. Her agreement cannot be recorded until it is"
	}
	return "Reached her on " + day(x.NoticeOn)
}

func answerText(x throughline.DeviceExtraction) string {
	var s string
	switch x.Answer {
	case "":
		return "None recorded yet"
	case throughline.DeviceRefused:
		s = "She said no on " + day(x.AnsweredOn)
	case throughline.DeviceAgreed:
		s = "She agreed on " + day(x.AnsweredOn)
		if a := x.Agreed; a != nil {
			s += ", to " + strings.ToLower(kindWords(a.DataKinds))
			if r := dateRange(a.ScopeFrom, a.ScopeTo); r != "" {
				s += ", " + strings.ToLower(r[:1]) + r[1:]
			}
			if a.ConfirmedInWriting {
				s += ". She confirmed it in writing (s.39(4))"
			}
			if a.SelfSelected {
				s += ". She chose the material herself"
			}
		}
	}
	if !x.WithdrawnOn.IsZero() {
		s += ". She withdrew her agreement on " + day(x.WithdrawnOn) + ": the extraction must stop"
	}
	return s
}

// kindWords lists kinds of data as the form names them.
func kindWords(kinds []string) string {
	var ws []string
	for _, k := range kinds {
		for _, o := range dataKindOptions {
			if o.value == k {
				ws = append(ws, o.text)
			}
		}
	}
	if len(ws) == 0 {
		return ""
	}
	return page.Sentence(strings.ToLower(strings.Join(ws, ", ")))
}

// dateRange says a scope's dates.
func dateRange(from, to string) string {
	f, t := isoDay(from), isoDay(to)
	switch {
	case f != "" && t != "":
		return "From " + f + " to " + t
	case f != "":
		return "From " + f
	case t != "":
		return "Up to " + t
	}
	return ""
}

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

// describeDevice is describe for the device extraction events; ok is false
// for others. It names no device and quotes no reason: the timeline is
// shown to views that may not see them.
func describeDevice(e throughline.Event, n page.Names) (title, text string, ok bool) {
	switch d := e.Data.(type) {
	case *throughline.DeviceExtractionRequested:
		return "Device extraction requested", "The police asked " + n.Of(d.ComplainantID) + " to let them extract information from a device (" +
			strings.ToLower(kindWords(d.DataKinds)) + "). A written notice is sent to her.", true
	case *throughline.DeviceExtractionAnswered:
		if d.Answer == throughline.DeviceAgreed {
			return "Device extraction agreed", n.Of(d.ComplainantID) + " agreed to the extraction, and confirmed it in writing.", true
		}
		return "Device extraction refused", n.Of(d.ComplainantID) + " said no to the extraction.", true
	case *throughline.DeviceExtractionWithdrawn:
		return "Device extraction agreement withdrawn", n.Of(d.ComplainantID) + " withdrew her agreement. The extraction must stop.", true
	}
	return "", "", false
}
