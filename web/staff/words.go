package staff

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"throughline"
	"throughline/refdata"
	"throughline/web/page"
)

// Words for codes, in plain English for staff pages.

var stageWords = map[string]string{
	throughline.StageInvestigation: "Investigation",
	throughline.StagePreCharge:     "With the CPS for a charging decision",
	throughline.StageNFA:           "No further action",
	throughline.StageCharged:       "Charged",
	throughline.StageCrownCourt:    "Sent to the Crown Court",
	throughline.StageTrial:         "Trial under way",
	throughline.StageRetrial:       "Awaiting retrial decision",
	throughline.StageConvicted:     "Convicted, awaiting sentence",
	throughline.StageAcquitted:     "Acquitted",
	throughline.StageStopped:       "Prosecution stopped",
	throughline.StageSentenced:     "Sentenced",
	throughline.StageClosed:        "Closed",
}

func stageName(s string) string {
	if w, ok := stageWords[s]; ok {
		return w
	}
	return s
}

// stageTag colours a stage.
func stageTag(s string) page.Tag {
	c := "govuk-tag--blue"
	switch s {
	case throughline.StageInvestigation, throughline.StagePreCharge:
		c = "govuk-tag--grey"
	case throughline.StageTrial, throughline.StageRetrial:
		c = "govuk-tag--purple"
	case throughline.StageConvicted, throughline.StageSentenced:
		c = "govuk-tag--green"
	case throughline.StageNFA, throughline.StageAcquitted, throughline.StageStopped, throughline.StageClosed:
		c = "govuk-tag--grey"
	}
	return page.Tag{Text: stageName(s), Classes: c}
}

var hearingKindWords = map[string]string{
	"first_appearance": "First appearance",
	"ptph":             "Plea and trial preparation hearing (PTPH)",
	"mention":          "Mention",
	"ground_rules":     "Ground rules hearing",
	"s28":              "Section 28 pre-recorded cross-examination",
	"trial":            "Trial",
	"sentence":         "Sentencing hearing",
}

func hearingKind(k string) string {
	if w, ok := hearingKindWords[k]; ok {
		return w
	}
	return k
}

// hearingNoun is a kind of hearing within a sentence: "the trial", "the
// plea and trial preparation hearing (PTPH)".
func hearingNoun(k string) string {
	w := hearingKind(k)
	return strings.ToLower(w[:1]) + w[1:]
}

var enumWords = map[string]string{
	// charge methods and remand
	"custody": "in custody", "bail": "on bail", "postal_requisition": "by postal requisition", "released": "released",
	// decisions
	"charge": "charge", "no_further_action": "take no further action", "further_investigation": "ask for further investigation",
	// purposes
	"early_advice": "early advice", "charging_decision": "a charging decision",
	// listing
	"fixture": "fixture", "floater": "floater", "warned": "warned list",
	// outcomes
	"effective": "went ahead", "cracked": "cracked (ended without a trial)", "ineffective": "did not go ahead (ineffective)",
	// verdicts
	"guilty": "found guilty", "guilty_plea": "pleaded guilty", "not_guilty": "found not guilty", "hung_jury": "the jury could not agree",
	// stops
	"discontinued": "discontinued", "no_evidence_offered": "no evidence offered", "charge_altered": "charge altered",
	// channels
	"email": "email", "sms": "text message", "letter": "letter", "phone": "phone", "in_person": "in person", "portal": "the victim portal",
}

func enumWord(v string) string {
	if w, ok := enumWords[v]; ok {
		return w
	}
	return strings.ReplaceAll(v, "_", " ")
}

// materialWord is the material a request for the victim's information
// seeks, as the form offers it, within a sentence ("medical records").
func materialWord(m string) string {
	for _, o := range materialOptions {
		if o.value == m {
			return strings.ToLower(o.text)
		}
	}
	return strings.ToLower(enumWord(m))
}

// courtName names a court by its reference-data id. Hearings recorded before
// courts were chosen from a list hold the court's name as typed: shown as it is.
func courtName(id string) string {
	if n, ok := refdata.CourtName(id); ok {
		return n
	}
	return id
}

func forceName(code string) string {
	if f, ok := refdata.LookupForce(code); ok {
		return f.Name
	}
	return code
}

func offenceName(o throughline.Offence) string {
	if c, ok := refdata.LookupCJS(o.CJSCode); ok {
		return c.Title
	}
	if h, ok := refdata.LookupHO(o.HOCode); ok {
		return h.Title
	}
	return o.HOCode + " " + o.CJSCode
}

// day formats a When in words: "3 February 2025", with the time when known.
func day(w throughline.When) string {
	if w.IsZero() {
		return ""
	}
	if w.DateOnly() {
		return w.Time().In(throughline.London).Format("2 January 2006")
	}
	return page.LondonTime(w.Time())
}

// isoDay is a date string from the store (YYYY-MM-DD or RFC 3339) in words.
func isoDay(s string) string {
	if s == "" {
		return ""
	}
	w, err := throughline.ParseWhen(s)
	if err != nil {
		return s
	}
	return day(w)
}

// freeText is text a person typed, which may name people: withheld from a
// pseudonymised view.
func freeText(s string, pseudonymised bool) string {
	if pseudonymised {
		return "reason withheld"
	}
	return strings.TrimSuffix(s, ".")
}

// schemeWords name whose decision a Victims' Right to Review is of.
var schemeWords = map[string]string{"cps": "the CPS's", "police": "the police's"}

// aboutWords say what a victim was told about.
var aboutWords = map[string]string{
	"charged": "the charge", "remand_status_changed": "bail or custody", "hearing_listed": "a hearing's date, time and place",
	"hearing_vacated": "a hearing taken out of the list", "hearing_held": "a hearing's outcome", "verdict": "the verdict",
	"sentenced": "the sentence", "prosecution_stopped": "the decision to stop or alter the prosecution", "charging_decision": "the charging decision",
	"regular_update": "progress (a regular update)", "trial_started": "the trial starting", "case_closed": "the case closing",
	"sent_to_crown_court": "the case going to the Crown Court", "ctl_extended": "the custody time limit",
	"victim_contact_scheme":    "her referral to the Victim Contact Scheme",
	"police_no_further_action": "the police's decision of no further action", "bail_conditions_changed": "a change to bail conditions",
	"warrant_issued": "a warrant for arrest", "witness_requirement_decided": "whether they are required to give evidence",
	"information_requested": "a request for information about them",
}

// describe says what an event was, in plain English, naming people as the
// case shows them to this user.
func describe(e throughline.Event, c *throughline.Case, n page.Names, pseudonymised bool) (title, text string, lines []string) {
	hearing := func(id string) string {
		if h := c.Hearing(id); h != nil {
			return hearingNoun(h.Kind)
		}
		return "hearing " + id
	}
	switch d := e.Data.(type) {
	case *throughline.CaseOpened:
		title = "Reported to the police"
		text = fmt.Sprintf("Reported to %s.", forceName(d.Force))
		for _, o := range d.Offences {
			lines = append(lines, offenceName(o))
		}
	case *throughline.FileSubmitted:
		title = "File sent to the CPS"
		text = fmt.Sprintf("The police sent the file about %s to the CPS for %s.", n.Of(d.SuspectID), enumWord(d.Purpose))
	case *throughline.EarlyAdviceGiven:
		title = "Early advice given"
		text = fmt.Sprintf("The CPS gave early advice about %s.", n.Of(d.SuspectID))
	case *throughline.ActionPlanIssued:
		title = "Action plan issued"
		text = fmt.Sprintf("An action plan of %s.", plural(len(d.Items), "action"))
		owners := map[string]string{"police": "police", "cps": "CPS"}
		for _, it := range d.Items {
			desc := it.Description
			if pseudonymised {
				desc = "An action (its words withheld)"
			}
			lines = append(lines, fmt.Sprintf("%s (%s, due %s)", desc, owners[it.Owner], isoDay(it.Due)))
		}
	case *throughline.ActionItemCompleted:
		title = "Action done"
		text = "An action of an action plan was done."
		if c != nil && !pseudonymised {
			if pl := c.Plan(d.PlanID); pl != nil {
				for _, it := range pl.Items {
					if it.ItemID == d.ItemID {
						text = "Done: " + it.Description
					}
				}
			}
		}
	case *throughline.ChargingDecision:
		title = "Charging decision"
		text = fmt.Sprintf("The CPS decided to %s for %s.", enumWord(d.Decision), n.Of(d.SuspectID))
	case *throughline.Charged:
		title = "Charged"
		var offs []string
		for _, o := range d.Offences {
			offs = append(offs, offenceName(o))
		}
		text = fmt.Sprintf("%s was charged %s.", n.Of(d.DefendantID), enumWord(d.Method))
		lines = offs
	case *throughline.RemandStatusChanged:
		title = "Remand status changed"
		switch d.Status {
		case "custody":
			text = fmt.Sprintf("%s was remanded in custody.", n.Of(d.DefendantID))
		case "bail":
			text = fmt.Sprintf("%s was released on bail.", n.Of(d.DefendantID))
		default:
			text = fmt.Sprintf("%s was released without bail.", n.Of(d.DefendantID))
		}
	case *throughline.AllocationDecided:
		title = "Place of trial decided"
		where := "in the magistrates' court (summary trial)"
		if d.Venue == "crown_court" {
			where = "in the Crown Court"
		}
		text = fmt.Sprintf("The court decided %s's offences triable either way are to be tried %s.", n.Of(d.DefendantID), where)
	case *throughline.SentToCrownCourt:
		title = "Sent to the Crown Court"
		text = fmt.Sprintf("%s was sent to %s for trial.", n.Of(d.DefendantID), courtName(d.Court))
	case *throughline.HearingListed:
		title = "Hearing listed"
		when := d.StartsAt
		if w, err := throughline.ParseWhen(d.StartsAt); err == nil {
			when = day(w)
		}
		text = fmt.Sprintf("%s at %s on %s (%s).", hearingKind(d.Kind), courtName(d.Court), when, enumWord(d.Listing))
	case *throughline.HearingVacated:
		title = "Hearing taken out of the list"
		text = fmt.Sprintf("The %s was vacated: %s.", hearing(d.HearingID), freeText(d.Reason, pseudonymised))
	case *throughline.HearingHeld:
		title = "Hearing held"
		text = fmt.Sprintf("The %s %s.", hearing(d.HearingID), enumWord(d.Outcome))
		if d.Reason != "" {
			lines = append(lines, throughline.ReasonText(d.Outcome, d.Reason))
		}
	case *throughline.TrialStarted:
		title = "Trial started"
		text = "The trial started."
	case *throughline.Verdict:
		title = "Verdict"
		if d.Result == "hung_jury" {
			text = fmt.Sprintf("In the trial of %s, the jury could not agree.", n.Of(d.DefendantID))
		} else {
			text = fmt.Sprintf("%s %s.", n.Of(d.DefendantID), enumWord(d.Result))
		}
	case *throughline.Sentenced:
		title = "Sentenced"
		text = fmt.Sprintf("%s was sentenced.", n.Of(d.DefendantID))
	case *throughline.ProsecutionStopped:
		title = "Prosecution stopped"
		switch d.How {
		case "charge_altered":
			title = "Charge altered"
			text = fmt.Sprintf("The CPS altered the charge against %s.", n.Of(d.DefendantID))
		case "no_evidence_offered":
			text = fmt.Sprintf("The CPS offered no evidence against %s.", n.Of(d.DefendantID))
		default:
			text = fmt.Sprintf("The CPS discontinued the prosecution of %s.", n.Of(d.DefendantID))
		}
	case *throughline.ComplainantWithdrew:
		title = "Complainant withdrew support"
		text = fmt.Sprintf("%s no longer supports the prosecution.", n.Of(d.ComplainantID))
		if !pseudonymised {
			lines = append(lines, "Reason: "+d.Reason)
		}
	case *throughline.VictimInformed:
		title = "Victim told"
		about, ok := aboutWords[d.About]
		if !ok {
			about = "the " + strings.ReplaceAll(d.About, "_", " ")
		}
		text = fmt.Sprintf("%s was told about %s by %s.", n.Of(d.ComplainantID), about, enumWord(d.Channel))
		if d.HearingID != "" {
			lines = append(lines, "Hearing: "+hearing(d.HearingID))
		}
		if d.OutsideSafeTimes {
			lines = append(lines, "Called outside the safe times they gave")
		}
		if d.AgainstPreferences != "" && !pseudonymised {
			lines = append(lines, "Why, against their wishes: "+d.AgainstPreferences)
		}
	case *throughline.ContactPreferencesSet:
		title = "Contact preferences set"
		var ch []string
		for _, c := range d.Channels {
			ch = append(ch, enumWord(c))
		}
		text = fmt.Sprintf("%s prefers to be contacted by %s.", n.Of(d.ComplainantID), strings.Join(ch, ", then "))
	case *throughline.CTLExtended:
		title = "Custody time limit extended"
		text = fmt.Sprintf("The custody time limit for %s now ends on %s.", n.Of(d.DefendantID), isoDay(d.ExpiresOn))
	case *throughline.CaseClosed:
		title = "Case closed"
		text = "The case was closed: " + freeText(d.Reason, pseudonymised) + "."
	case *throughline.Stage1Served:
		title = "Prosecution case served (stage 1)"
		text = "The prosecution served its case."
	case *throughline.Stage2Served:
		title = "Defence response (stage 2)"
		text = "The defence served its response."
	case *throughline.InformationRequested:
		title = "Information requested"
		holder := d.Holder // a counselling service or school can identify the victim
		if pseudonymised {
			holder = "a third party"
		}
		text = fmt.Sprintf("The police asked %s for %s about %s.", holder, materialWord(d.Material), n.Of(d.ComplainantID))
	case *throughline.SpecialMeasuresApplied:
		title = "Special measures applied for"
		text = fmt.Sprintf("Special measures were applied for on behalf of %s.", n.Of(d.ComplainantID))
		for _, m := range d.Measures {
			lines = append(lines, page.MeasureName(m))
		}
	case *throughline.SpecialMeasuresDecided:
		title = "Special measures decided"
		text = fmt.Sprintf("The court decided on special measures for %s.", n.Of(d.ComplainantID))
		for _, m := range d.Granted {
			lines = append(lines, "Granted: "+page.MeasureName(m))
		}
		for _, m := range d.Refused {
			lines = append(lines, "Refused: "+page.MeasureName(m))
		}
	case *throughline.NewsReceived:
		title = "News received by the Witness Care Unit"
		about, ok := aboutWords[d.About]
		if !ok {
			about = strings.ReplaceAll(d.About, "_", " ")
		}
		from := map[string]string{"court": "the court", "cps": "the CPS"}[d.From]
		text = fmt.Sprintf("The Witness Care Unit received news of %s from %s.", about, from)
		if d.HearingID != "" {
			lines = append(lines, "About the "+hearing(d.HearingID))
		}
		if d.DefendantID != "" {
			lines = append(lines, "About "+n.Of(d.DefendantID))
		}
	case *throughline.InformationNoticeException:
		title = "Notice of an information request"
		if d.Exception == throughline.NoticeNone {
			text = fmt.Sprintf("The police decided that no notice is due to %s (s.44B(5)).", n.Of(d.ComplainantID))
		} else {
			text = fmt.Sprintf("The police recorded that notice to %s by the request was not reasonably practicable: it is due as soon as it is (s.44B(3)(b)).", n.Of(d.ComplainantID))
		}
		if !pseudonymised {
			lines = append(lines, "Grounds: "+d.Reason)
		}
	case *throughline.PoliceNoFurtherAction:
		title = "No further action (police)"
		text = fmt.Sprintf("The police decided to take no further action against %s.", n.Of(d.SuspectID))
	case *throughline.ReviewRequested:
		title = "Victims' Right to Review requested"
		text = fmt.Sprintf("%s asked for a review of %s decision.", n.Of(d.ComplainantID), schemeWords[d.Scheme])
	case *throughline.ReviewDecided:
		title = "Victims' Right to Review decided"
		result := "the decision stands"
		if d.Result == "decision_overturned" {
			result = "the decision was overturned"
		}
		text = fmt.Sprintf("The review of %s decision for %s: %s.", schemeWords[d.Scheme], n.Of(d.ComplainantID), result)
	case *throughline.WitnessRequirementDecided:
		title = "Required to give evidence"
		if d.Requirement == "required" {
			text = fmt.Sprintf("%s is required to give evidence.", n.Of(d.ComplainantID))
		} else {
			text = fmt.Sprintf("%s is not required to give evidence.", n.Of(d.ComplainantID))
		}
	case *throughline.BailConditionsChanged:
		title = "Bail conditions changed"
		text = fmt.Sprintf("The court changed the bail conditions of %s.", n.Of(d.DefendantID))
	case *throughline.WarrantIssued:
		title = "Warrant for arrest"
		text = fmt.Sprintf("The court issued a warrant for the arrest of %s.", n.Of(d.DefendantID))
	case *throughline.VictimPersonalStatement:
		title = "Victim personal statement"
		text = map[string]string{"offered": "%s was offered the chance to make or update a personal statement.", "made": "%s made a personal statement.",
			"updated": "%s updated their personal statement.", "declined": "%s chose not to make a personal statement.",
			"help_wanted": "%s asked for help to write their personal statement."}[d.Action]
		text = fmt.Sprintf(text, n.Of(d.ComplainantID))
	case *throughline.NamedContactChanged:
		title = "Named contact changed"
		text = fmt.Sprintf("%s has a new named contact.", n.Of(d.ComplainantID))
		if !pseudonymised { // a name an inspector's view withholds
			text = fmt.Sprintf("%s's named contact is now %s, %s.", n.Of(d.ComplainantID), d.Name, d.Team)
		}
	case *throughline.CallbackRequested:
		title = "Call-back asked for"
		text = fmt.Sprintf("%s asked to be called back.", n.Of(d.ComplainantID))
		if d.When != "" && !pseudonymised { // her own words
			lines = append(lines, "When suits them: "+d.When)
		}
	case *throughline.CallbackMade:
		title = "Call-back made"
		if d.Reached {
			text = fmt.Sprintf("%s was called back and reached.", n.Of(d.ComplainantID))
		} else {
			text = fmt.Sprintf("%s was called back but not reached.", n.Of(d.ComplainantID))
		}
		if !pseudonymised { // her case's words
			if d.Reached {
				lines = append(lines, "What they were told: "+d.Note)
			} else {
				lines = append(lines, "Why not: "+d.Note)
			}
			if d.AgainstPreferences != "" {
				lines = append(lines, "Why, against their wishes: "+d.AgainstPreferences)
			}
		}
	case *throughline.CaseErased:
		title = "Personal data erased"
		text = "The personal data on this case was erased: " + d.Reason
	default:
		if t, x, l, ok := describeRequestFlow(e, c, n, pseudonymised); ok {
			return t, x, l
		}
		if t, x, l, ok := describeCollab(e, n, pseudonymised); ok {
			return t, x, l
		}
		if t, x, ok := describeDevice(e, n); ok {
			return t, x, nil
		}
		if t, x, ok := describeRestricted(e, n); ok {
			return t, x, nil
		}
		title = strings.ReplaceAll(e.Type, "_", " ")
	}
	return title, text, lines
}

func parseInt64(s string) (int64, error) { return strconv.ParseInt(s, 10, 64) }

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// courtOptions are the courts a hearing or a sending may name, from the
// reference data, so one court has one name: the case's force's own courts
// first (its magistrates' courts, then the Crown Courts that serve it), then
// every other Crown Court. crownOnly leaves out the magistrates' courts.
// contactTeams are the teams a victim's named contact can work in, by
// name (reference data, as courts are): the Witness Care Unit and the
// police force of force first, then those of every other force (a victim
// living elsewhere may be looked after there), each sorted by name.
func contactTeams(force string) []string {
	own := []string{throughline.Agency{Kind: "wcu", ID: force}.Name(), throughline.Agency{Kind: "police", ID: force}.Name()}
	var rest []string
	for _, f := range refdata.Forces() {
		if f.Code != force {
			rest = append(rest, throughline.Agency{Kind: "wcu", ID: f.Code}.Name(), throughline.Agency{Kind: "police", ID: f.Code}.Name())
		}
	}
	slices.Sort(rest)
	return append(own, rest...)
}

func courtOptions(force string, crownOnly bool) []option {
	var own, rest []option
	if !crownOnly {
		for _, m := range refdata.MagistratesCourts() {
			if m.Force == force {
				own = append(own, option{m.ID, m.Name})
			}
		}
	}
	f, _ := refdata.LookupForce(force)
	for _, cc := range refdata.CrownCourts() {
		if slices.Contains(f.CrownCourts, cc.ID) {
			own = append(own, option{cc.ID, cc.Name})
		} else {
			rest = append(rest, option{cc.ID, cc.Name})
		}
	}
	slices.SortStableFunc(rest, func(a, b option) int { return strings.Compare(a.text, b.text) })
	return append(own, rest...)
}
