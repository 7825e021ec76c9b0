package staff

import (
	"fmt"
	"strings"

	"throughline"
	"throughline/web/page"
)

// Words for the joint police–CPS work: the parts of a file, file-quality
// reasons, action categories, and what each collaboration event was.

var contentWords = map[string]string{
	"mg3": "Report to the prosecutor for a charging decision (MG3)", "mg5": "Case summary (MG5)",
	"victim_account": "Complainant's video-recorded interview or statement", "witness_statements": "Key witness statements (MG11)",
	"suspect_interview": "Record of the suspect's interview", "forensic": "Forensic results", "medical": "Medical evidence",
	"digital": "Digital material and its review (phones, devices, social media)", "third_party": "Third-party material",
	"unused_schedules":     "Unused material schedules (MG6C, MG6D) and disclosure officer's report (MG6E)",
	"previous_convictions": "Previous convictions and bad character (MG16)", "vps": "Victim personal statement",
}

var categoryWords = map[string]string{
	"statements": "Statements", "forensic": "Forensic", "digital": "Digital", "medical": "Medical",
	"third_party_material": "Third-party material", "witness": "Witness", "defence": "Defence", "other": "Other",
}

var reasonStatusWords = map[string]string{
	throughline.ReasonUnanswered: "not yet answered", throughline.ReasonAccepted: "accepted by the police",
	throughline.ReasonDisputed: "disputed", throughline.ReasonUpheld: "disputed, then upheld", throughline.ReasonWithdrawn: "disputed, then withdrawn",
}

func words(m map[string]string, v string) string {
	if w, ok := m[v]; ok {
		return w
	}
	return page.Sentence(strings.ReplaceAll(v, "_", " "))
}

func contentName(v string) string      { return words(contentWords, v) }
func reasonName(v string) string       { return page.QualityReasonName(v) }
func categoryName(v string) string     { return words(categoryWords, v) }
func reasonStatusName(v string) string { return words(reasonStatusWords, v) }

var teamRoleWords = map[string]string{"officer_in_case": "officer in the case", "reviewing_prosecutor": "reviewing prosecutor", "witness_care_officer": "Witness Care officer"}

// describeCollab is describe for the collaboration events; ok is false
// for others.
func describeCollab(e throughline.Event, n page.Names, withhold bool) (title, text string, lines []string, ok bool) {
	typed := func(s string) string {
		if withhold {
			return "(typed text withheld)"
		}
		return s
	}
	switch d := e.Data.(type) {
	case *throughline.FileQualityAssessed:
		title = "File quality assessed"
		if d.Outcome == "acceptable" {
			text = fmt.Sprintf("The CPS found the file about %s acceptable.", n.Of(d.SuspectID))
		} else {
			text = fmt.Sprintf("The CPS found the file about %s not acceptable.", n.Of(d.SuspectID))
		}
		for _, r := range d.Reasons {
			lines = append(lines, reasonName(r.Code))
		}
		if d.Comment != "" {
			lines = append(lines, "Comments: "+typed(d.Comment))
		}
	case *throughline.FileQualityAnswered:
		title = "File-quality reason answered"
		text = fmt.Sprintf("The police %s: %s.", d.Answer, strings.ToLower(reasonName(d.Reason)))
		if d.Comment != "" {
			lines = append(lines, typed(d.Comment))
		}
	case *throughline.ActionItemDisputed:
		title = "Action disputed"
		text = fmt.Sprintf("Action %s of an action plan was disputed: %s", d.ItemID, typed(d.Reason))
	case *throughline.ActionItemCancelled:
		title = "Action cancelled"
		text = fmt.Sprintf("Action %s of an action plan was cancelled: %s", d.ItemID, typed(d.Reason))
	case *throughline.ActionItemCommented:
		title = "Comment on an action"
		text = fmt.Sprintf("On action %s of an action plan: %s", d.ItemID, typed(d.Comment))
	case *throughline.DisputeResolved:
		title = "Dispute settlement"
		side := "A police supervisor"
		if strings.HasPrefix(e.Agency, "cps:") {
			side = "A CPS manager"
		}
		what := "action " + d.ItemID + " of an action plan"
		if d.AssessmentID != "" {
			what = "the file-quality reason “" + strings.ToLower(reasonName(d.Reason)) + "”"
		}
		text = fmt.Sprintf("%s recorded that %s is %s.", side, what, d.Outcome)
		lines = append(lines, typed(d.Note))
	case *throughline.CaseTeamChanged:
		title = "Case team changed"
		text = fmt.Sprintf("%s is now the %s.", d.Name, teamRoleWords[d.Role])
		lines = append(lines, "Hand-over: "+typed(d.Handover))
	case *throughline.CaseConferenceHeld:
		title = "Case conference"
		text = fmt.Sprintf("A case conference with %d attendees; %d new actions.", len(d.Attendees), len(d.Items))
		if !withhold {
			for _, a := range d.Attendees {
				lines = append(lines, attendeeLabel[a.Agency]+": "+a.Name)
			}
			lines = append(lines, "Decided: "+d.Decisions)
		}
	default:
		return "", "", nil, false
	}
	return title, text, lines, true
}
