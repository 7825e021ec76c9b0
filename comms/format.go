package comms

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"throughline"
	"throughline/calendar"
	"throughline/refdata"
)

var (
	welshDays = []string{"dydd Sul", "dydd Llun", "dydd Mawrth", "dydd Mercher", "dydd Iau", "dydd Gwener", "dydd Sadwrn"}
)

// FormatDate writes a day as a victim reads it: "Monday 12 May 2025",
// "dydd Llun 12 Mai 2025".
func FormatDate(lang string, t time.Time) string {
	t = t.In(throughline.London)
	if lang == "cy" {
		return fmt.Sprintf("%s %d %s %d", welshDays[t.Weekday()], t.Day(), calendar.WelshMonth(t.Month()), t.Year())
	}
	return t.Format("Monday 2 January 2006")
}

// FormatTime writes a time of day: "10am", "2:30pm"; "10 y bore",
// "2:30 y prynhawn".
func FormatTime(lang string, t time.Time) string {
	t = t.In(throughline.London)
	h, m := t.Hour(), t.Minute()
	h12 := h % 12
	if h12 == 0 {
		h12 = 12
	}
	num := fmt.Sprint(h12)
	if m != 0 {
		num = fmt.Sprintf("%d:%02d", h12, m)
	}
	if lang == "cy" {
		switch {
		case h < 12:
			return num + " y bore"
		case h < 18:
			return num + " y prynhawn"
		default:
			return num + " yr hwyr"
		}
	}
	if h < 12 {
		return num + "am"
	}
	return num + "pm"
}

// welshCourtTowns are the Welsh names of the towns of the Crown Court
// centres in Wales; elsewhere the English name of the town stands.
var welshCourtTowns = map[string]string{
	"caernarfon": "Caernarfon", "cardiff": "Caerdydd", "carmarthen": "Caerfyrddin",
	"merthyr_tydfil": "Merthyr Tudful", "mold": "yr Wyddgrug", "newport": "Casnewydd", "swansea": "Abertawe",
}

// CourtName names a court as recorded on a hearing: a Crown Court centre id
// ("leeds") or a court's name ("Leeds Magistrates' Court"), in the language.
func CourtName(lang, court string) string {
	name := court
	town := ""
	kind := ""
	if cc, ok := refdata.LookupCrownCourt(court); ok {
		name = cc.Name
		town, kind = strings.TrimSuffix(cc.Name, " Crown Court"), "crown"
		if i := strings.Index(town, " ("); i > 0 {
			town = town[:i]
		}
		if w, ok := welshCourtTowns[court]; ok && lang == "cy" {
			town = w
		}
	} else if mc, ok := refdata.LookupMagistratesCourt(court); ok {
		name = mc.Name
		town, kind = strings.TrimSuffix(mc.Name, " Magistrates' Court"), "magistrates"
	} else if t, ok := strings.CutSuffix(court, " Crown Court"); ok {
		town, kind = t, "crown"
	} else if t, ok := strings.CutSuffix(court, " Magistrates' Court"); ok {
		town, kind = t, "magistrates"
	}
	if lang != "cy" || kind == "" {
		return name
	}
	if kind == "crown" {
		return "Llys y Goron " + town
	}
	return "Llys Ynadon " + town
}

// hearingWords says what a hearing is, in plain words.
var hearingWords = map[string]map[string]string{
	"en": {
		"first_appearance": "the first court hearing",
		"ptph":             "a hearing to plan the trial",
		"mention":          "a short hearing to check how the case is going",
		"ground_rules":     "a hearing to agree how you will be asked questions",
		"s28":              "a hearing to record your answers to questions before the trial",
		"trial":            "the trial",
		"sentence":         "the hearing where the judge decides the sentence",
	},
	"cy": {
		"first_appearance": "y gwrandawiad llys cyntaf",
		"ptph":             "gwrandawiad i gynllunio'r treial",
		"mention":          "gwrandawiad byr i weld sut mae'r achos yn mynd",
		"ground_rules":     "gwrandawiad i gytuno sut y cewch eich holi",
		"s28":              "gwrandawiad i recordio eich atebion cyn y treial",
		"trial":            "y treial",
		"sentence":         "y gwrandawiad lle bydd y barnwr yn penderfynu'r ddedfryd",
	},
}

// offenceWords names the offences charged in plain words.
func offenceWords(lang string, offs []throughline.Offence) string {
	rape, assault := false, false
	for _, o := range offs {
		if ho, ok := refdata.LookupHO(o.HOCode); ok && ho.Rape {
			rape = true
		} else if strings.HasPrefix(o.HOCode, "17") || strings.HasPrefix(o.HOCode, "20") {
			assault = true
		}
	}
	switch {
	case lang == "cy" && rape:
		return "dreisio"
	case lang == "cy" && assault:
		return "ymosod yn rhywiol"
	case lang == "cy":
		return "drosedd rywiol"
	case rape:
		return "rape"
	case assault:
		return "sexual assault"
	default:
		return "a sexual offence"
	}
}

// firstName is the name a message greets: the first word of the name.
func firstName(full string) string {
	if f := strings.Fields(full); len(f) > 0 && full != throughline.Erased {
		return f[0]
	}
	return ""
}

// withAg is Welsh "â"/"ag" ("with", "to" after cysylltu): "ag" before a vowel.
func withAg(s string) string {
	if s != "" && strings.ContainsRune("AEIOUWYÂÊÎÔÛŴŶaeiouwyâêîôûŵŷ", []rune(s)[0]) {
		return "ag " + s
	}
	return "â " + s
}

// capitalise upper-cases the first letter of s.
func capitalise(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// softMutateDay is a Welsh date after "ar" or "at", which soft-mutate the
// next word: "ar ddydd Llun".
func softMutateDay(date string) string {
	if rest, ok := strings.CutPrefix(date, "dydd "); ok {
		return "ddydd " + rest
	}
	return date
}
