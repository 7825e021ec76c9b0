package staff

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"time"

	"throughline"
	"throughline/web/access"
	"throughline/web/api"
	"throughline/web/page"
)

// The record menu offers what this person may record on this case as it
// stands, and says why the rest must wait, before any form is filled in.
// Whether an event may be recorded now is the domain's answer: the menu
// tries the form's possible answers (each party, hearing and choice) through
// the very path a sent form takes (buildEvent, api.ParseNew,
// throughline.Decide), so the menu and the forms cannot disagree.

// recordMenuPage is the view of GET /cases/{ref}/record.
type recordMenuPage struct {
	page.Layout
	Ref     string
	Items   []page.ActionLink
	Waiting []menuWait
}

// menuWait is a form that cannot be used yet, and why.
type menuWait struct {
	Type  string
	Title string
	Why   string
}

// s44aConditions are the fields of a request for the victim's information
// that the form leaves optional but the domain requires of every request
// (PCSCA 2022 s.44A(3) and s.44B(2)(c)); the menu fills them in, or it would
// never offer the form. Substantial probative value (s.44A(4)) is only for a
// counselling service, so it stays empty.
var s44aConditions = map[string]bool{"holder_belief": true, "line_of_enquiry": true, "necessity": true, "handling": true}

// maxTries bounds the answers tried per form.
const maxTries = 300

// RecordMenu: GET /cases/{ref}/record.
func (s *Recording) RecordMenu(w http.ResponseWriter, r *http.Request, rq *page.Request) error {
	ca, err := s.Access.Load(r.Context(), rq.User, r.PathValue("ref"), throughline.ActionRecord)
	if err != nil {
		return err
	}
	p := recordMenuPage{Layout: page.NewLayout(rq, "Record an event", ""), Ref: ca.Ref}
	p.Back = page.CaseURL(ca.Ref)
	for _, f := range allForms {
		// Only what this role may record (throughline.Recorders).
		if !throughline.MayRecord(rq.User, f.typ) {
			continue
		}
		if why := s.cannotYet(f, ca, rq.User); why != "" {
			p.Waiting = append(p.Waiting, menuWait{Type: f.typ, Title: f.title, Why: why})
			continue
		}
		p.Items = append(p.Items, page.ActionLink{Href: page.CaseURL(ca.Ref, "record", f.typ), Text: f.title})
	}
	// The reasons name the case's people: showing them is a consultation.
	if err := s.Access.Consulted(r, rq.User, ca, []string{throughline.PartSummary, throughline.PartParties}, throughline.ChannelPage); err != nil {
		return err
	}
	s.Render(w, r, http.StatusOK, "record-menu", p)
	return nil
}

// cannotYet returns "" if some answer to form f would be recorded on case
// ca today, by u, else why not.
func (s *Recording) cannotYet(f eventForm, ca *access.Case, u throughline.User) string {
	c := ca.Full
	now := s.Now()
	var first error
	for _, v := range answers(f, c, now) {
		data, occurred, fe := buildEvent(f, c, v)
		if len(fe) > 0 {
			continue
		}
		raw, _ := json.Marshal(data)
		e, err := api.ParseNew(api.NewEvent{OccurredAt: occurred, Data: raw}, c.Ref, f.typ, u, now)
		if err == nil {
			err = ca.MayRecordEvent(u, e)
		}
		if err == nil {
			if _, err = throughline.Decide(c, e); err == nil {
				return ""
			}
		}
		if first == nil {
			first = err
		}
	}
	if !c.Closed.IsZero() {
		return "The case was closed on " + day(c.Closed) + ": only contact with the victim can still be recorded."
	}
	if why, ok := waitsFor[f.typ]; ok {
		if why := why(c, now); why != "" {
			return why
		}
	}
	if first == nil {
		return "There is nothing on this case it could be about yet."
	}
	return named(throughline.ErrorMessage(first), c)
}

// idWord is a party id as the domain's messages write it.
var idWord = regexp.MustCompile(`\b[CD]\d+\b`)

// named puts the case's people's names for their ids in a message, and
// its dates as GOV.UK writes them.
func named(msg string, c *throughline.Case) string {
	n := page.NamesOf(c)
	return page.Sentence(page.DatesInWords(idWord.ReplaceAllStringFunc(msg, func(id string) string {
		if name, ok := n[id]; ok {
			return name
		}
		return id
	})))
}

// answers are the possible answers to form f on case c, dated today: each
// party, hearing and choice in turn, and plausible words for the rest.
func answers(f eventForm, c *throughline.Case, now time.Time) []url.Values {
	today := now.In(throughline.London)
	base := url.Values{"occurred_at-day": {strconv.Itoa(today.Day())}, "occurred_at-month": {strconv.Itoa(int(today.Month()))}, "occurred_at-year": {strconv.Itoa(today.Year())}}
	out := []url.Values{base}
	// each multiplies the answers so far by a field's possible values.
	each := func(name string, values []string) {
		if len(values) == 0 {
			out = nil
			return
		}
		var next []url.Values
		for _, v := range out {
			for _, x := range values {
				if len(next) >= maxTries {
					break
				}
				w := url.Values{}
				for k, vs := range v {
					w[k] = vs
				}
				w.Set(name, x)
				next = append(next, w)
			}
		}
		out = next
	}
	set := func(name, value string) {
		for _, v := range out {
			v.Set(name, value)
		}
	}
	for _, fd := range f.fields {
		if vs, ok := deviceAnswers(fd, c); ok {
			each(fd.name, vs)
			continue
		}
		switch fd.kind {
		case "suspect", "defendant":
			var ids []string
			for _, d := range c.Defendants {
				if fd.kind == "suspect" || !d.Charged.IsZero() {
					ids = append(ids, d.ID)
				}
			}
			each(fd.name, ids)
		case "complainant":
			var ids []string
			for _, cp := range c.Complainants {
				ids = append(ids, cp.ID)
			}
			each(fd.name, ids)
		case "hearing":
			var ids []string
			for _, h := range c.Hearings {
				if fd.hearings == nil || fd.hearings(h) {
					ids = append(ids, h.ID)
				}
			}
			if fd.optional {
				ids = append(ids, noneValue)
			}
			each(fd.name, ids)
		case "radios":
			each(fd.name, values(fd.options))
		case "about":
			each(fd.name, aboutValues)
		case "ofrequest":
			var ids []string
			for _, o := range requestOptions(c, fd) {
				ids = append(ids, o.id)
			}
			each(fd.name, ids)
		case "request":
			if !fd.optional {
				var ids []string
				for _, cp := range c.Complainants {
					for _, rq := range cp.Requests {
						ids = append(ids, rq.RequestID)
					}
				}
				each(fd.name, ids)
			}
		case "channels":
			set(fd.name, "phone")
			set("mobile", "07700900000")
		case "checkboxes":
			// One measure at a time; of a decision's lists, the first.
			if !fd.optional || fd.name == f.fields[1].name {
				each(fd.name, values(fd.options))
			}
		case "newhearing":
			set(fd.name, "new")
		case "offences":
			for _, v := range out {
				for _, o := range c.Offences {
					v.Add(fd.name, o.HOCode+"|"+o.CJSCode)
				}
			}
		case "qualityreason", "item", "dispute":
			each(fd.name, values(collabChoices(fd, c)))
		case "items":
			// One action for the police, due in a fortnight; a conference's
			// actions are optional and left out.
			if !fd.optional {
				due := today.AddDate(0, 0, 14)
				set("item1-description", "Words enough to say what is needed")
				set("item1-owner", "police")
				set("item1-due-day", strconv.Itoa(due.Day()))
				set("item1-due-month", strconv.Itoa(int(due.Month())))
				set("item1-due-year", strconv.Itoa(due.Year()))
			}
		case "attendees":
			set("attendees-police", "DC Lee Marsh")
			set("attendees-cps", "Crown Prosecutor Ann Shaw")
		case "crowncourt", "court":
			set(fd.name, "leeds")
		case "contactteam":
			set(fd.name, contactTeams(c.Force)[0])
		case "datetime":
			t := today.AddDate(0, 0, 7)
			set(fd.name+"-day", strconv.Itoa(t.Day()))
			set(fd.name+"-month", strconv.Itoa(int(t.Month())))
			set(fd.name+"-year", strconv.Itoa(t.Year()))
			set(fd.name+"-time", "10:00")
		case "reached":
			each(fd.name, []string{"yes", "no"})
		case "calltime":
			// A call at any time is recorded, with a reason when it was
			// outside her safe times; midnight is never in the future.
			set(fd.name, "00:00")
			set("against_preferences", "Words enough to say why, at some length")
		case "text", "textarea":
			if !fd.optional || s44aConditions[fd.name] {
				set(fd.name, "Words enough to say why, at some length")
			}
		}
	}
	return out
}

// values are the values of a field's options.
func values(opts []option) []string {
	var vs []string
	for _, o := range opts {
		vs = append(vs, o.value)
	}
	return vs
}
