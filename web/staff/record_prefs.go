package staff

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"throughline"
	"throughline/web/page"
)

// The contact preferences form: it opens with her preferences as recorded
// (the event replaces them whole), and asks her safe times as days and
// hours, which a call is checked against (ADR 0327).

// maxWindows is how many safe times the form can hold: one a day.
const maxWindows = 7

// channelField is the form field of her i-th choice of channel.
func channelField(name string, i int) string {
	switch i {
	case 0:
		return name
	case 1:
		return name + "-then"
	}
	return name + "-then" + strconv.Itoa(i)
}

// preferencesOf is the complainant whose recorded preferences the form
// opens with: the one a link names, or the only one; nil if none is chosen
// or she has none recorded.
func preferencesOf(c *throughline.Case, id string) *throughline.Complainant {
	if id == "" && len(c.Complainants) == 1 {
		id = c.Complainants[0].ID
	}
	cp := c.Complainant(id)
	if cp == nil || cp.Preferences == nil {
		return nil
	}
	return cp
}

// prefsValues sets the form's values to preferences p, every field the
// event holds, so that saving the form unchanged records them again as
// they were.
func prefsValues(v url.Values, p *throughline.ContactPreferencesSet) {
	for i, ch := range p.Channels {
		v.Set(channelField("channels", i), ch)
	}
	for name, x := range map[string]string{"email": p.Email, "mobile": p.Mobile, "address": p.Address, "safe_times": p.SafeTimes,
		"nominated_contact": p.NominatedContact, "language": p.Language} {
		if x != "" && x != throughline.Erased {
			v.Set(name, x)
		}
	}
	if p.NeverWriteHome {
		v.Set("never_write_home", "yes")
	}
	if len(p.Formats) > 0 {
		v["formats"] = slices.Clone(p.Formats)
	}
	if p.RoutineEveryDays > 0 {
		v.Set("routine_every_days", strconv.Itoa(p.RoutineEveryDays))
	}
	for i, w := range p.SafeWindows {
		n := "safe" + strconv.Itoa(i+1)
		v[n+"-days"] = slices.Clone(w.Days)
		v.Set(n+"-from", w.From)
		v.Set(n+"-to", w.To)
	}
}

// windowGiven reports whether the form has anything for safe time n.
func windowGiven(v url.Values, n string) bool {
	return len(v[n+"-days"]) > 0 || strings.TrimSpace(v.Get(n+"-from")) != "" || strings.TrimSpace(v.Get(n+"-to")) != ""
}

var dayOptions = []option{{"mon", "Monday"}, {"tue", "Tuesday"}, {"wed", "Wednesday"}, {"thu", "Thursday"}, {"fri", "Friday"}, {"sat", "Saturday"}, {"sun", "Sunday"}}

// safeWindowControls are the safe times as days and hours: those given,
// and one more empty (two at least).
func safeWindowControls(fd formField, v url.Values, errFor func(string) *page.ErrorMessage) []control {
	shown := 2
	for i := 1; i <= maxWindows; i++ {
		if windowGiven(v, "safe"+strconv.Itoa(i)) {
			shown = max(shown, min(i+1, maxWindows))
		}
	}
	out := []control{{Heading: fd.label}}
	for i := 1; i <= shown; i++ {
		n, label := "safe"+strconv.Itoa(i), "Safe time "+strconv.Itoa(i)
		ch := page.Choices{Name: n + "-days", Fieldset: &page.Fieldset{Legend: &page.Legend{Text: label + ": on which days?", Classes: "govuk-fieldset__legend--s"}},
			Classes: "govuk-checkboxes--small", ErrorMessage: errFor(n)}
		if i == 1 {
			ch.Hint = &page.Hint{Text: "Leave these empty if they gave no safe times. For evenings past midnight, use two safe times: one to midnight, one from midnight"}
		}
		for _, o := range dayOptions {
			ch.Items = append(ch.Items, page.Choice{Value: o.value, Text: o.text, Checked: slices.Contains(v[n+"-days"], o.value)})
		}
		out = append(out, control{Checkbox: &ch})
		for _, end := range []struct{ name, text string }{{"from", "from"}, {"to", "until"}} {
			in := page.Input{Name: n + "-" + end.name, Value: v.Get(n + "-" + end.name), Label: &page.Label{Text: label + ": " + end.text},
				Hint: &page.Hint{Text: "For example, 18:00 or 6pm"}, Classes: "govuk-input--width-5"}
			out = append(out, control{Input: &in})
		}
	}
	return out
}

// readSafeWindows reads the safe times the form gives, with a field error
// for each that cannot be read (the domain checks the rest).
func readSafeWindows(v url.Values, fe *[]throughline.FieldError) []throughline.SafeWindow {
	var out []throughline.SafeWindow
	for i := 1; i <= maxWindows; i++ {
		n := "safe" + strconv.Itoa(i)
		if !windowGiven(v, n) {
			continue
		}
		bad := func(msg string) {
			*fe = append(*fe, throughline.FieldError{Field: "data.safe_windows[" + strconv.Itoa(len(out)) + "]", Message: "Safe time " + strconv.Itoa(i) + ": " + msg})
		}
		from, ok1 := clock(v.Get(n+"-from"), false)
		to, ok2 := clock(v.Get(n+"-to"), true)
		switch {
		case len(v[n+"-days"]) == 0:
			bad("select the days")
		case !ok1:
			bad("enter the time it starts, like 18:00 or 6pm")
		case !ok2:
			bad("enter the time it ends, like 21:00 or 9pm")
		}
		out = append(out, throughline.SafeWindow{Days: v[n+"-days"], From: from, To: to})
	}
	return out
}

// clock reads a time of day as HH:MM; midnight is 24:00 at the end of a
// window and 00:00 at its start.
func clock(s string, end bool) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "midnight", "24:00", "12am":
		if end {
			return "24:00", true
		}
		return "00:00", true
	case "midday", "noon":
		return "12:00", true
	}
	t, msg := formTime(s)
	if msg != "" {
		return "", false
	}
	return t.Format("15:04"), true
}

// safeWindowOf is the index of the safe time a field error is about
// ("data.safe_windows[1].to").
func safeWindowOf(field string) (int, bool) {
	rest, ok := strings.CutPrefix(strings.TrimPrefix(field, "data."), "safe_windows[")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(rest[:max(strings.Index(rest, "]"), 0)])
	return i, err == nil
}
