package staff

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"throughline"
	"throughline/web/page"
)

// Reading an event form's fields: dates, times and the payload.

// buildEvent turns the form into an event payload and its occurred_at,
// with field errors for what cannot be read at all (the domain checks the
// rest).
func buildEvent(f eventForm, c *throughline.Case, v url.Values) (map[string]any, string, []throughline.FieldError) {
	var fe []throughline.FieldError
	occurred, err := formDate(v, "occurred_at")
	if err != "" {
		fe = append(fe, throughline.FieldError{Field: "occurred_at", Message: err})
	}
	data := map[string]any{}
	for _, fd := range f.fields {
		if buildCollab(fd, c, v, data, &fe) || buildDevice(fd, c, v, data, &fe) {
			continue
		}
		val := strings.TrimSpace(v.Get(fd.name))
		switch fd.kind {
		case "contactteam":
			// A team from the list, by name, so that one unit has one name.
			if !slices.Contains(contactTeams(c.Force), val) {
				fe = append(fe, throughline.FieldError{Field: "data." + fd.name, Message: "Select the team they work in"})
			}
			data[fd.name] = val
		case "offences":
			var offs []throughline.Offence
			for _, x := range v[fd.name] {
				ho, cjs, _ := strings.Cut(x, "|")
				offs = append(offs, throughline.Offence{HOCode: ho, CJSCode: cjs})
			}
			if len(offs) == 0 {
				fe = append(fe, throughline.FieldError{Field: "data." + fd.name, Message: "Select at least one offence"})
			}
			data[fd.name] = offs
		case "datetime":
			d, err := formDate(v, fd.name)
			if err != "" {
				fe = append(fe, throughline.FieldError{Field: "data." + fd.name, Message: err})
				continue
			}
			t, terr := formTime(v.Get(fd.name + "-time"))
			if terr != "" {
				fe = append(fe, throughline.FieldError{Field: "data." + fd.name, Message: terr})
				continue
			}
			day, _ := time.ParseInLocation("2006-01-02", d, throughline.London)
			data[fd.name] = time.Date(day.Year(), day.Month(), day.Day(), t.Hour(), t.Minute(), 0, 0, throughline.London).Format(time.RFC3339)
		case "months":
			if val == "" {
				continue
			}
			n, err := strconv.Atoi(val)
			if err != nil {
				fe = append(fe, throughline.FieldError{Field: "data." + fd.name, Message: "Enter the sentence in whole months, like 18"})
				continue
			}
			data[fd.name] = n
		case "checkboxes":
			var picked []string
			for _, x := range v[fd.name] {
				if x = strings.TrimSpace(x); x != "" && !slices.Contains(picked, x) {
					picked = append(picked, x)
				}
			}
			if len(picked) == 0 && fd.optional {
				continue
			}
			data[fd.name] = picked
		case "channels":
			chans := []string{}
			for i := range throughline.Channels {
				if x := strings.TrimSpace(v.Get(channelField(fd.name, i))); x != "" && !slices.Contains(chans, x) {
					chans = append(chans, x)
				}
			}
			data[fd.name] = chans
		case "safewindows":
			if ws := readSafeWindows(v, &fe); len(ws) > 0 {
				data[fd.name] = ws
			}
		case "yesno":
			data[fd.name] = val == "yes"
		case "days":
			if val == "" {
				continue
			}
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 {
				fe = append(fe, throughline.FieldError{Field: "data." + fd.name, Message: "Enter a whole number of days, like 14"})
				continue
			}
			data[fd.name] = n
		case "calltime":
			// The time of a call goes into occurred_at, below.
			continue
		case "reached":
			if val != "yes" && val != "no" {
				fe = append(fe, throughline.FieldError{Field: "data." + fd.name, Message: missingWords[fd.name]})
				continue
			}
			data[fd.name] = val == "yes"
		case "newrequest":
			data[fd.name] = c.NextRequestID()
		case "ofrequest":
			// The request names its complainant: the form asks only which.
			i := slices.IndexFunc(requestOptions(c, fd), func(o requestOption) bool { return o.id == val })
			if i < 0 {
				fe = append(fe, throughline.FieldError{Field: "data." + fd.name, Message: missingWords[fd.name]})
				continue
			}
			data[fd.name], data["complainant_id"] = val, requestOptions(c, fd)[i].complainant
		case "newhearing":
			if val == "" || val == "new" {
				val = nextHearingID(c)
			}
			data[fd.name] = val
		default:
			if fd.optional && (val == "" || val == noneValue) {
				continue
			}
			data[fd.name] = val
		}
	}
	// A telling of a hearing's news says which hearing, so that it meets
	// that hearing's duty and no other; the domain accepts one naming none
	// only for the records made before tellings named theirs.
	// So does the Witness Care Unit's receipt of a hearing's news: news of
	// no hearing in particular would meet the court's duty for every one.
	if slices.Contains(throughline.AboutHearing, v.Get("about")) && data["hearing_id"] == nil && len(c.Hearings) > 0 {
		switch f.typ {
		case throughline.TypeVictimInformed:
			fe = append(fe, throughline.FieldError{Field: "data.hearing_id", Message: "Select the hearing they were told about"})
		case throughline.TypeNewsReceived:
			fe = append(fe, throughline.FieldError{Field: "data.hearing_id", Message: "Select the hearing the news is about"})
		}
	}
	if at, msg := callTime(f, v, occurred); msg != "" {
		fe = append(fe, throughline.FieldError{Field: "data.called_at", Message: msg})
	} else if at != "" {
		occurred = at
	}
	return data, occurred, fe
}

// callTime is when a call was made, from the form's day and its called_at
// time, London time, as RFC 3339 ("" if the form has no time of a call);
// a phone telling or a call-back must give it, to be checked against her
// safe times.
func callTime(f eventForm, v url.Values, day string) (string, string) {
	if !slices.ContainsFunc(f.fields, func(fd formField) bool { return fd.kind == "calltime" }) || day == "" {
		return "", ""
	}
	s := strings.TrimSpace(v.Get("called_at"))
	if s == "" {
		if v.Get("channel") == "phone" || f.typ == throughline.TypeCallbackMade {
			return "", "Enter the time of the call, like 18:30 or 6:30pm"
		}
		return "", ""
	}
	t, msg := formTime(s)
	if msg != "" {
		return "", "Enter the time of the call, like 18:30 or 6:30pm"
	}
	d, _ := time.ParseInLocation("2006-01-02", day, throughline.London)
	return time.Date(d.Year(), d.Month(), d.Day(), t.Hour(), t.Minute(), 0, 0, throughline.London).Format(time.RFC3339), ""
}

// requestOption is an information request an ofrequest field offers.
type requestOption struct{ id, complainant, text string }

// requestOptions are the case's information requests at the step field fd
// records, described for the officer: what, from whom, about whom, and
// where it stands.
func requestOptions(c *throughline.Case, fd formField) []requestOption {
	var out []requestOption
	for i := range c.Complainants {
		cp := &c.Complainants[i]
		for _, rq := range cp.Requests {
			f := cp.Flow(rq.RequestID)
			if f == nil || fd.flows != nil && !fd.flows(f) {
				continue
			}
			out = append(out, requestOption{rq.RequestID, cp.ID, page.Sentence(enumWord(rq.Material)) + " held by " + rq.Holder + ", about " + cp.Name + " (" + requestStateWords[f.State()] + ")"})
		}
	}
	return out
}

// requestStateWords say where a request stands.
var requestStateWords = map[string]string{throughline.RequestDraft: "not yet approved or sent", throughline.RequestApproved: "approved, not yet sent",
	throughline.RequestSent: "sent, no answer yet", throughline.RequestReceived: "information received", throughline.RequestRefused: "refused by the holder",
	throughline.RequestWithdrawn: "withdrawn"}

func nextHearingID(c *throughline.Case) string {
	for n := len(c.Hearings) + 1; ; n++ {
		id := "H" + strconv.Itoa(n)
		if c.Hearing(id) == nil {
			return id
		}
	}
}

// formDate reads a GOV.UK date input (name-day, name-month, name-year) as
// YYYY-MM-DD, or says what is wrong in the Design System's words.
func formDate(v url.Values, name string) (string, string) {
	d, m, y := strings.TrimSpace(v.Get(name+"-day")), strings.TrimSpace(v.Get(name+"-month")), strings.TrimSpace(v.Get(name+"-year"))
	if d == "" && m == "" && y == "" {
		return "", "Enter a date"
	}
	var missing []string
	for _, p := range []struct{ v, n string }{{d, "day"}, {m, "month"}, {y, "year"}} {
		if p.v == "" {
			missing = append(missing, p.n)
		}
	}
	if len(missing) > 0 {
		return "", "Date must include a " + strings.Join(missing, " and ")
	}
	dn, e1 := strconv.Atoi(d)
	mn, e2 := strconv.Atoi(m)
	yn, e3 := strconv.Atoi(y)
	if e1 != nil || e2 != nil || e3 != nil || len(y) != 4 {
		return "", "Date must be a real date"
	}
	t := time.Date(yn, time.Month(mn), dn, 0, 0, 0, 0, time.UTC)
	if t.Day() != dn || int(t.Month()) != mn {
		return "", "Date must be a real date"
	}
	return t.Format("2006-01-02"), ""
}

// formTime reads "10:00", "10am", "2:30pm".
func formTime(s string) (time.Time, string) {
	s = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	if s == "" {
		return time.Time{}, "Enter a time, like 10:00 or 2:30pm"
	}
	for _, layout := range []string{"15:04", "15.04", "3:04pm", "3.04pm", "3pm"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, ""
		}
	}
	return time.Time{}, "Enter a time, like 10:00 or 2:30pm"
}
