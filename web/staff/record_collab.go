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

// The forms of the joint police–CPS work: file contents and quality,
// action plans item by item, disputes, designations and conferences. Their
// field kinds are read here (buildCollab) and drawn here (collabControls);
// record.go asks these first.

// itemSlots is how many actions one plan or conference form offers; a
// plan with more is issued as two.
const itemSlots = 3

var collabForms = []eventForm{
	{typ: throughline.TypeFileQualityAssessed, title: "Record a file-quality assessment", done: "File-quality assessment recorded", when: "When was the file assessed?", fields: []formField{
		{name: "assessment_id", kind: "newid", hint: "Q"},
		{name: "suspect_id", kind: "suspect", label: "Which suspect's file?"},
		{name: "outcome", kind: "radios", label: "Does the file meet the National File Standard?", options: []option{{"acceptable", "Yes, it is acceptable"}, {"not_acceptable", "No, it is not acceptable"}}},
		{name: "reasons", kind: "reasons", label: "If not, why not?", hint: "Select all that apply"},
		{name: "comment", kind: "textarea", label: "Comments for the police (optional)", hint: "Say what is missing or wrong. Required if you chose another reason.", optional: true}}},
	{typ: throughline.TypeFileQualityAnswered, title: "Answer a file-quality reason", done: "Answer recorded", when: "When did you answer?", fields: []formField{
		{name: "assessment_id", kind: "qualityreason", label: "Which reason are you answering?"},
		{name: "answer", kind: "radios", label: "Do you accept it?", options: []option{{"accepted", "Yes, we accept it"}, {"disputed", "No, we dispute it"}}},
		{name: "comment", kind: "textarea", label: "Why (required if you dispute it)", optional: true}}},
	{typ: throughline.TypeActionPlanIssued, title: "Issue an action plan", done: "Action plan issued", when: "When was the plan issued?", fields: []formField{
		{name: "plan_id", kind: "newid", hint: "P"},
		{name: "items", kind: "items"}}},
	{typ: throughline.TypeActionItemCompleted, title: "Record an action done", done: "Action recorded as done", when: "When was it done?", fields: []formField{
		{name: "plan_id", kind: "item", label: "Which action?", items: open}}},
	{typ: throughline.TypeActionItemDisputed, title: "Dispute an action", done: "Dispute recorded", when: "When did you dispute it?", fields: []formField{
		{name: "plan_id", kind: "item", label: "Which action do you dispute?", items: func(it throughline.PlanItem) bool { return it.Status() == throughline.ItemPending }},
		{name: "reason", kind: "textarea", label: "Why do you dispute it?"}}},
	{typ: throughline.TypeActionItemCancelled, title: "Cancel an action", done: "Action cancelled", when: "When was it cancelled?", fields: []formField{
		{name: "plan_id", kind: "item", label: "Which action?", items: open},
		{name: "reason", kind: "textarea", label: "Why is it cancelled?"}}},
	{typ: throughline.TypeActionItemCommented, title: "Comment on an action", done: "Comment added", when: "When?", fields: []formField{
		{name: "plan_id", kind: "item", label: "Which action?", items: open},
		{name: "comment", kind: "textarea", label: "Comment"}}},
	{typ: throughline.TypeDisputeResolved, title: "Settle a dispute", done: "Your side of the settlement recorded", when: "When was it agreed?", fields: []formField{
		{name: "dispute", kind: "dispute", label: "Which dispute?", hint: "It is settled when a police supervisor and a CPS manager have both recorded the same outcome."},
		{name: "outcome", kind: "radios", label: "What did you decide?", options: []option{{"upheld", "It stands: the request or feedback is upheld"}, {"withdrawn", "It is withdrawn"}}},
		{name: "note", kind: "textarea", label: "Note of the decision"}}},
	{typ: throughline.TypeCaseTeamChanged, title: "Change the officer, prosecutor or Witness Care officer", done: "Change of case team recorded", when: "From when?", fields: []formField{
		{name: "role", kind: "radios", label: "Which role?", options: []option{{"officer_in_case", "Officer in the case"}, {"reviewing_prosecutor", "Reviewing prosecutor"}, {"witness_care_officer", "Witness Care officer"}}},
		{name: "name", kind: "text", label: "Who takes it on?", hint: "Their name and rank or title, for example DC Lee Marsh"},
		{name: "phone", kind: "text", label: "Their phone number (optional)", optional: true},
		{name: "email", kind: "text", label: "Their email address (optional)", optional: true},
		{name: "handover", kind: "textarea", label: "Hand-over note", hint: "What the new person needs to know: what is outstanding, what was promised to the victim, what to watch for."}}},
	{typ: throughline.TypeCaseConferenceHeld, title: "Record a case conference", done: "Case conference recorded", when: "When was the conference?", fields: []formField{
		{name: "conference_id", kind: "newid", hint: "CC"},
		{name: "attendees", kind: "attendees", label: "Who attended?"},
		{name: "decisions", kind: "textarea", label: "What was decided?"},
		{name: "items", kind: "items", optional: true}}},
}

func open(it throughline.PlanItem) bool {
	s := it.Status()
	return s == throughline.ItemPending || s == throughline.ItemDisputed
}

// buildCollab reads a field of a collaboration kind into data; false for
// other kinds.
func buildCollab(fd formField, c *throughline.Case, v url.Values, data map[string]any, fe *[]throughline.FieldError) bool {
	bad := func(field, msg string) {
		*fe = append(*fe, throughline.FieldError{Field: "data." + field, Message: msg})
	}
	switch fd.kind {
	case "newid":
		data[fd.name] = nextID(c, fd.hint)
	case "contents":
		attached, outstanding := v["contents-attached"], v["contents-outstanding"]
		if len(attached)+len(outstanding) == 0 {
			return true // not given: the contents are not recorded
		}
		var cs []throughline.FileContent
		for _, item := range throughline.FileContents {
			st := "not_applicable"
			switch a, o := slices.Contains(attached, item), slices.Contains(outstanding, item); {
			case a && o:
				bad("contents-outstanding", "A part of the file cannot be both attached and outstanding: "+contentName(item))
			case a:
				st = "attached"
			case o:
				st = "outstanding"
			}
			cs = append(cs, throughline.FileContent{Item: item, Status: st})
		}
		data["contents"] = cs
	case "reasons":
		var rs []throughline.QualityReason
		for _, code := range v["reasons"] {
			r := throughline.QualityReason{Code: code}
			if code == "other" {
				r.Comment = strings.TrimSpace(v.Get("comment"))
			}
			rs = append(rs, r)
		}
		if len(rs) > 0 {
			data["reasons"] = rs
		}
	case "qualityreason":
		if a, r, ok := strings.Cut(v.Get(fd.name), "|"); ok {
			data["assessment_id"], data["reason"] = a, r
		}
	case "item":
		if p, i, ok := strings.Cut(v.Get(fd.name), "|"); ok {
			data["plan_id"], data["item_id"] = p, i
		}
	case "dispute":
		kind, ids, _ := strings.Cut(v.Get(fd.name), ":")
		a, b, ok := strings.Cut(ids, "|")
		switch {
		case !ok:
			bad("dispute", "Select the dispute")
		case kind == "q":
			data["assessment_id"], data["reason"] = a, b
		default:
			data["plan_id"], data["item_id"] = a, b
		}
	case "attendees":
		var as []throughline.Attendee
		for _, ag := range throughline.AttendeeAgencies {
			for _, line := range strings.Split(v.Get("attendees-"+ag), "\n") {
				if name := strings.TrimSpace(line); name != "" {
					as = append(as, throughline.Attendee{Agency: ag, Name: name})
				}
			}
		}
		data["attendees"] = as
	case "items":
		var items []throughline.ActionItem
		for k := 1; k <= itemSlots; k++ {
			p := "item" + strconv.Itoa(k) + "-"
			it := throughline.ActionItem{ItemID: strconv.Itoa(k), Category: v.Get(p + "category"), Description: strings.TrimSpace(v.Get(p + "description")),
				Owner: v.Get(p + "owner"), OwnerName: strings.TrimSpace(v.Get(p + "owner_name"))}
			if it.Description == "" && it.OwnerName == "" && v.Get(p+"due-day") == "" {
				continue // a slot left empty
			}
			due, msg := formDate(v, p+"due")
			switch {
			case it.Description == "":
				bad(p+"description", "Enter what action "+strconv.Itoa(k)+" asks for")
			case it.Owner == "":
				bad(p+"owner", "Select who does action "+strconv.Itoa(k))
			case msg != "":
				bad(p+"due", "Action "+strconv.Itoa(k)+": "+msg)
			}
			if it.Category == "" {
				it.Category = "other"
			}
			it.Due = due
			items = append(items, it)
		}
		if len(items) == 0 && !fd.optional {
			bad("item1-description", "Enter at least one action")
		}
		if len(items) > 0 {
			data["items"] = items
		}
	default:
		return false
	}
	return true
}

// collabChoices are the answers to a field that picks one of the case's
// file-quality reasons, action items or disputes: the form's radios and the
// record menu's tries (record_menu.go) are the same list.
func collabChoices(fd formField, c *throughline.Case) []option {
	var items []option
	switch fd.kind {
	case "qualityreason":
		for _, a := range c.Assessments {
			for _, r := range a.Reasons {
				if s := r.Status(); s == throughline.ReasonUnanswered || s == throughline.ReasonDisputed {
					items = append(items, option{a.ID + "|" + r.Code, reasonName(r.Code) + " (assessed " + day(a.On) + ", " + page.Sentence(reasonStatusName(s)) + ")"})
				}
			}
		}
	case "item":
		for _, p := range c.Plans {
			for _, it := range p.Items {
				if fd.items(it) {
					items = append(items, option{p.ID + "|" + it.ItemID, itemLabel(p, it)})
				}
			}
		}
	case "dispute":
		for _, a := range c.Assessments {
			for _, r := range a.Reasons {
				if r.Status() == throughline.ReasonDisputed {
					items = append(items, option{"q:" + a.ID + "|" + r.Code, "File quality: " + reasonName(r.Code) + " (assessed " + day(a.On) + ")" + sides(r.Resolution)})
				}
			}
		}
		for _, p := range c.Plans {
			for _, it := range p.Items {
				if it.Status() == throughline.ItemDisputed {
					items = append(items, option{"p:" + p.ID + "|" + it.ItemID, "Action: " + itemLabel(p, it) + sides(it.Resolution)})
				}
			}
		}
	}
	return items
}

// nextID is the next free id with prefix among the case's plans,
// assessments and conferences.
func nextID(c *throughline.Case, prefix string) string {
	for n := 1; ; n++ {
		id := prefix + strconv.Itoa(n)
		if c.Plan(id) == nil && c.Assessment(id) == nil && c.Conference(id) == nil {
			return id
		}
	}
}

// collabControls draws a field of a collaboration kind; false for other
// kinds.
func collabControls(fd formField, c *throughline.Case, v url.Values, errFor func(string) *page.ErrorMessage) ([]control, bool) {
	legend := func(text string) *page.Fieldset {
		return &page.Fieldset{Legend: &page.Legend{Text: text, Classes: "govuk-fieldset__legend--s"}}
	}
	hint := func(s string) *page.Hint {
		if s == "" {
			return nil
		}
		return &page.Hint{Text: s}
	}
	radios := func(name, label, h string, items []option) control {
		if len(items) == 1 && v.Get(name) == "" {
			v.Set(name, items[0].value)
		}
		if len(items) == 0 {
			h = "There is nothing on this case this applies to"
		}
		ch := page.Choices{Name: name, Fieldset: legend(label), Hint: hint(h), ErrorMessage: errFor(name)}
		for _, o := range items {
			ch.Items = append(ch.Items, page.Choice{Value: o.value, Text: o.text, Checked: v.Get(name) == o.value})
		}
		return control{Radios: &ch}
	}
	checkboxes := func(name, label, h string, values []string, words func(string) string) control {
		ch := page.Choices{Name: name, Fieldset: legend(label), Hint: hint(h), ErrorMessage: errFor(name)}
		for _, x := range values {
			ch.Items = append(ch.Items, page.Choice{Value: x, Text: words(x), Checked: slices.Contains(v[name], x)})
		}
		return control{Checkbox: &ch}
	}
	switch fd.kind {
	case "newid":
		return nil, true
	case "contents":
		return []control{
			checkboxes("contents-attached", "What does the file hold?", "National File Standard: select every part attached", throughline.FileContents, contentName),
			checkboxes("contents-outstanding", "What is still outstanding?", "Select every part to follow. Parts in neither list are recorded as not applicable.", throughline.FileContents, contentName),
		}, true
	case "reasons":
		return []control{checkboxes("reasons", fd.label, fd.hint, throughline.QualityReasons, reasonName)}, true
	case "qualityreason", "item", "dispute":
		return []control{radios(fd.name, fd.label, fd.hint, collabChoices(fd, c))}, true
	case "attendees":
		var out []control
		for _, ag := range throughline.AttendeeAgencies {
			name := "attendees-" + ag
			ta := page.Textarea{Name: name, Value: v.Get(name), Label: &page.Label{Text: attendeeLabel[ag], Classes: "govuk-label--s"}, Hint: &page.Hint{Text: "One name a line, with rank or title"}, ErrorMessage: errFor(name), Rows: 2}
			if ag == "police" {
				ta.ErrorMessage = errFor("attendees")
			}
			out = append(out, control{Textarea: &ta})
		}
		return out, true
	case "items":
		var out []control
		for k := 1; k <= itemSlots; k++ {
			p := "item" + strconv.Itoa(k) + "-"
			title := "Action " + strconv.Itoa(k)
			if k > 1 || fd.optional {
				title += " (optional)"
			}
			out = append(out, control{Heading: title})
			cat := page.Select{Name: p + "category", Label: &page.Label{Text: "Category"}, ErrorMessage: errFor(p + "category")}
			for _, x := range throughline.ItemCategories {
				cat.Items = append(cat.Items, page.Choice{Value: x, Text: categoryName(x), Selected: v.Get(p+"category") == x})
			}
			desc := page.Textarea{Name: p + "description", Value: v.Get(p + "description"), Label: &page.Label{Text: "What is needed"}, ErrorMessage: errFor(p + "description"), Rows: 2}
			own := radios(p+"owner", "Who is to do it?", "", []option{{"police", "The police"}, {"cps", "The CPS"}})
			own.Radios.Classes = "govuk-radios--inline"
			name := page.Input{Name: p + "owner_name", Value: v.Get(p + "owner_name"), Label: &page.Label{Text: "Named person (optional)"}, ErrorMessage: errFor(p + "owner_name")}
			due := page.DateInput{ID: p + "due", Day: v.Get(p + "due-day"), Month: v.Get(p + "due-month"), Year: v.Get(p + "due-year"),
				Fieldset: &page.Fieldset{Legend: &page.Legend{Text: "Due by"}}, Hint: &page.Hint{Text: "For example, 27 3 2026"}, ErrorMessage: errFor(p + "due")}
			out = append(out, control{Select: &cat}, control{Textarea: &desc}, own, control{Input: &name}, control{DateInput: &due})
		}
		return out, true
	}
	return nil, false
}

// collabFieldOf maps a form-made field (an action slot's) to its control.
func collabFieldOf(name string) (string, string, bool) {
	switch {
	case strings.HasPrefix(name, "item") && strings.HasSuffix(name, "-due"):
		return name, name + "-day", true
	case strings.HasPrefix(name, "item") && strings.Contains(name, "-"):
		return name, name, true
	case name == "items":
		return "item1-description", "item1-description", true
	case name == "attendees":
		return name, "attendees-police", true
	case name == "reasons":
		return name, "reasons", true
	}
	return "", "", false
}

var attendeeLabel = map[string]string{"police": "Police", "cps": "CPS", "wcu": "Witness Care", "isva": "ISVA", "other": "Others (optional)"}

// itemLabel names an action for a choice: its plan, what it asks, of whom
// and by when.
func itemLabel(p throughline.ActionPlan, it throughline.PlanItem) string {
	who := ownerName(it.Owner)
	if it.OwnerName != "" {
		who += ", " + it.OwnerName
	}
	return "Action plan of " + day(p.Issued) + ", action " + it.ItemID + ": " + it.Description + " (" + who + ", due " + isoDay(it.Due) + ")"
}

// sides says what each side has recorded of a settlement so far.
func sides(r *throughline.Resolution) string {
	if r == nil {
		return ""
	}
	var s []string
	if r.Police != "" {
		s = append(s, "police supervisor: "+r.Police)
	}
	if r.CPS != "" {
		s = append(s, "CPS manager: "+r.CPS)
	}
	return " — so far " + strings.Join(s, "; ")
}

// planItems are a plan's actions as the case page's panel shows them.
func planItems(pl throughline.ActionPlan, today time.Time) []planItem {
	var out []planItem
	head := "Action plan issued " + day(pl.Issued)
	switch pl.IssuedBy {
	case "police", "cps":
		head += " by the " + ownerName(pl.IssuedBy)
	case "conference":
		head += " at a case conference"
	}
	if pl.Complete() {
		head += " (complete)"
	}
	for _, item := range pl.Items {
		who := ownerName(item.Owner)
		if item.OwnerName != "" {
			who += ": " + item.OwnerName
		}
		it := planItem{Plan: head, Description: item.Description, Owner: who, Due: isoDay(item.Due)}
		if item.Category != "" {
			it.Category = categoryName(item.Category)
		}
		switch item.Status() {
		case throughline.ItemDone:
			it.Done = page.Tag{Text: "Done " + day(item.Completed), Classes: "govuk-tag--green"}
		case throughline.ItemCancelled:
			it.Done = page.Tag{Text: "Cancelled", Classes: "govuk-tag--grey"}
			it.Notes = append(it.Notes, "Cancelled "+day(item.Cancelled)+": "+item.CancelReason)
		case throughline.ItemDisputed:
			it.Done = page.Tag{Text: "Disputed", Classes: "govuk-tag--orange"}
		default:
			if item.Due != "" && item.Due < today.In(throughline.London).Format("2006-01-02") {
				it.Done = page.Tag{Text: "Overdue", Classes: "govuk-tag--red"}
			} else {
				it.Done = page.Tag{Text: "Not done yet", Classes: "govuk-tag--blue"}
			}
		}
		if !item.Disputed.IsZero() {
			it.Notes = append(it.Notes, "Disputed "+day(item.Disputed)+": "+item.DisputeReason+sides(item.Resolution))
		}
		for _, cm := range item.Comments {
			by := "Police"
			if strings.HasPrefix(cm.Agency, "cps:") {
				by = "CPS"
			}
			it.Notes = append(it.Notes, by+", "+day(cm.On)+": "+cm.Text)
		}
		out = append(out, it)
	}
	return out
}

// qualityItem is a file-quality assessment on the case page.
type qualityItem struct {
	Heading string
	Outcome page.Tag
	Reasons []string
	Comment string
}

func qualityItems(c *throughline.Case) []qualityItem {
	n := page.NamesOf(c)
	var out []qualityItem
	for _, a := range c.Assessments {
		q := qualityItem{Heading: "File about " + n.Of(a.SuspectID) + ", assessed " + day(a.On), Comment: a.Comment,
			Outcome: page.Tag{Text: "Acceptable", Classes: "govuk-tag--green"}}
		if a.Outcome == "not_acceptable" {
			q.Outcome = page.Tag{Text: "Not acceptable", Classes: "govuk-tag--red"}
		}
		for _, r := range a.Reasons {
			line := reasonName(r.Code) + " — " + reasonStatusName(r.Status())
			if r.AnswerComment != "" {
				line += " (" + r.AnswerComment + ")"
			}
			q.Reasons = append(q.Reasons, line+sides(r.Resolution))
		}
		out = append(out, q)
	}
	return out
}
