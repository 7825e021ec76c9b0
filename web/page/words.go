package page

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"throughline"
	"throughline/refdata"
)

// LondonTime formats an instant in London time: "3 February 2025 at 10:00am".
func LondonTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(throughline.London).Format("2 January 2006 at 3:04pm")
}

// isoDate is a date as the record writes it in a sentence (2023-12-05).
var isoDate = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)

// DatesInWords rewrites the ISO dates of a sentence the domain wrote ("the
// clock started on 2023-12-05") as GOV.UK writes dates ("5 December
// 2023"), for a person to read.
func DatesInWords(s string) string {
	return isoDate.ReplaceAllStringFunc(s, func(d string) string {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return d
		}
		return t.Format("2 January 2006")
	})
}

// AreaName is a CPS area's name, or its id if it is not known.
func AreaName(id string) string {
	if a, ok := refdata.LookupCPSArea(id); ok {
		return a.Name
	}
	return id
}

// AgencyName is an organisation as people call it, never its id:
// "police:13" is West Yorkshire Police, "wcu:13" its Witness Care Unit,
// "cps:yorkshire_humberside" CPS Yorkshire and Humberside,
// "isva:rape-crisis-leeds" Rape Crisis Leeds. An id it cannot name is
// shown as it is.
func AgencyName(id string) string {
	if id == "victim" {
		// What the victim records herself, in the portal, is hers.
		return "the victim, in the portal"
	}
	a, err := throughline.ParseAgency(id)
	if err != nil {
		return id
	}
	switch a.Kind {
	case "police", "wcu":
		f, _ := refdata.LookupForce(a.ID)
		if a.Kind == "wcu" {
			return "Witness Care Unit (" + f.Name + ")"
		}
		return f.Name
	case "cps":
		return AreaName(a.ID)
	case "isva":
		words := strings.Fields(strings.NewReplacer("-", " ", "_", " ").Replace(a.ID))
		for i, w := range words {
			r, n := utf8.DecodeRuneInString(w)
			words[i] = string(unicode.ToUpper(r)) + w[n:]
		}
		return strings.Join(words, " ")
	case "commissioner":
		return "Commissioner for Rape and Serious Sexual Offences"
	}
	return "HM Inspectorate"
}

// Names maps party ids to names as the (redacted) case shows them.
type Names map[string]string

// NamesOf is the names of a case's complainants and defendants.
func NamesOf(c *throughline.Case) Names {
	n := Names{}
	for _, cp := range c.Complainants {
		n[cp.ID] = cp.Name
	}
	for _, d := range c.Defendants {
		n[d.ID] = d.Name
	}
	return n
}

// Of is the name of party id, or words saying it is not shown.
func (n Names) Of(id string) string {
	if v, ok := n[id]; ok {
		return v
	}
	return "someone not shown to you"
}

// measureNames are the special measures of YJCEA 1999 ss.23–30 in words.
var measureNames = map[string]string{"screens": "Screens", "live_link": "Live link", "evidence_in_private": "Evidence in private",
	"removal_of_wigs_and_gowns": "Removal of wigs and gowns", "video_recorded_interview": "Video-recorded interview as evidence in chief",
	"s28_pre_recorded_cross_examination": "Section 28 pre-recorded cross-examination", "intermediary": "An intermediary", "communication_aids": "Communication aids"}

// MeasureName is a special measure (throughline.SpecialMeasures) in words.
func MeasureName(m string) string {
	if n, ok := measureNames[m]; ok {
		return n
	}
	return m
}
