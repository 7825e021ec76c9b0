package throughline

import (
	"fmt"
	"slices"
	"time"

	"throughline/refdata"
)

// Decide checks a proposed event against the case and returns the events to
// append, or an *Error that a caseworker can act on. c is the case as it
// stands (nil or version 0 if it does not exist yet); Decide does not change it.
//
// Errors: ENOTFOUND if the case does not exist, ECONFLICT if it already does
// (for case_opened), EINVALID for an illegal sequence or date order.
func Decide(c *Case, e Event) ([]Event, error) {
	if e.Data == nil || e.Data.EventType() != e.Type {
		return nil, Errorf(EINVALID, "event type %q does not match its data", e.Type)
	}
	exists := c != nil && c.Version > 0
	if e.Type == TypeCaseOpened {
		if exists {
			return nil, &Error{Code: ECONFLICT, Message: fmt.Sprintf("case %s already exists", e.Case), Version: c.Version}
		}
		return []Event{e}, nil
	}
	if !exists {
		return nil, Errorf(ENOTFOUND, "no case %s: a case starts with case_opened", e.Case)
	}
	if e.OccurredAt.Before(c.Reported) {
		return nil, Errorf(EINVALID, "%s on %s is before the report to the police on %s", e.Type, e.OccurredAt, c.Reported)
	}
	if !c.Erased.IsZero() && (e.Type == TypeCaseErased || HasPersonal(e.Type)) {
		return nil, Errorf(EINVALID, "case %s: its personal data was erased on %s, so %s cannot be recorded", c.Ref, c.Erased, e.Type)
	}
	if !c.Closed.IsZero() && e.Type != TypeVictimInformed && e.Type != TypeContactPreferencesSet && e.Type != TypeCallbackRequested && e.Type != TypeCallbackMade && e.Type != TypeCaseErased {
		return nil, Errorf(EINVALID, "case %s was closed on %s: %s cannot be recorded", c.Ref, c.Closed, e.Type)
	}
	if e.Type == TypeCaseErased {
		if c.Closed.IsZero() {
			return nil, Errorf(EINVALID, "case %s is still open: personal data is erased only once the case is closed", c.Ref)
		}
		if err := notBefore(e, "the case was closed", c.Closed); err != nil {
			return nil, err
		}
	}
	if err := decide(c, e); err != nil {
		return nil, err
	}
	return []Event{e}, nil
}

// refuse is an EINVALID error.
func refuse(format string, args ...any) error { return Errorf(EINVALID, format, args...) }

// notBefore refuses an event dated before the step it depends on.
func notBefore(e Event, what string, prior When) error {
	if !prior.IsZero() && e.OccurredAt.Before(prior) {
		return refuse("%s on %s is before %s on %s", e.Type, e.OccurredAt, what, prior)
	}
	return nil
}

func decide(c *Case, e Event) error {
	if ok, err := decideCollab(c, e); ok {
		return err
	}
	if ok, err := decideFlow(c, e); ok {
		return err
	}
	if ok, err := decideDevices(c, e); ok {
		return err
	}
	if ok, err := decideRestricted(c, e); ok {
		return err
	}
	if d, ok := e.Data.(*MaterialDecision); ok {
		return decideMaterial(c, e, d)
	}
	switch d := e.Data.(type) {
	case *FileSubmitted:
		s, err := suspect(c, d.SuspectID)
		if err != nil {
			return err
		}
		if !s.Charged.IsZero() {
			return refuse("suspect %s is already charged: files after charge are case files, not %s", s.ID, d.Purpose)
		}
		if s.Stage == StageNFA {
			return refuse("suspect %s: the CPS decided no further action on %s", s.ID, s.DecisionOn)
		}
	case *EarlyAdviceGiven:
		s, err := suspect(c, d.SuspectID)
		if err != nil {
			return err
		}
		if s.FilePurpose != "early_advice" {
			return refuse("early advice on suspect %s: no file has been submitted for early advice", s.ID)
		}
		return notBefore(e, "the file was submitted", s.FileSubmitted)
	case *ChargingDecision:
		s, err := suspect(c, d.SuspectID)
		if err != nil {
			return err
		}
		switch {
		case !s.Charged.IsZero():
			return refuse("suspect %s is already charged", s.ID)
		case s.Stage != StagePreCharge:
			return refuse("charging decision on suspect %s: no file has been submitted for a charging decision", s.ID)
		}
		return notBefore(e, "the file was submitted", s.FileSubmitted)
	case *Charged:
		s, err := suspect(c, d.DefendantID)
		if err != nil {
			return err
		}
		switch {
		case !s.Charged.IsZero():
			return refuse("defendant %s was already charged on %s", s.ID, s.Charged)
		case s.Decision != "charge" || s.Stage != StagePreCharge:
			return refuse("suspect %s cannot be charged: the CPS has not decided to charge", s.ID)
		}
		return notBefore(e, "the decision to charge", s.DecisionOn)
	case *RemandStatusChanged:
		def, err := defendant(c, d.DefendantID)
		if err != nil {
			return err
		}
		switch {
		case !active(def.Stage):
			return refuse("defendant %s is no longer being prosecuted (%s)", def.ID, def.Stage)
		case def.Remand == d.Status:
			return refuse("defendant %s is already %s", def.ID, remandWords(d.Status))
		}
		return notBefore(e, "the charge", def.Charged)
	case *AllocationDecided:
		def, err := defendant(c, d.DefendantID)
		if err != nil {
			return err
		}
		switch {
		case !def.Sent.IsZero():
			return refuse("defendant %s was sent to the Crown Court on %s: allocation is before sending", def.ID, def.Sent)
		case def.Stage != StageCharged:
			return refuse("defendant %s cannot be allocated: %s", def.ID, def.Stage)
		case !slices.ContainsFunc(def.ChargeOffences, func(o Offence) bool {
			return refdata.OffenceClass(o.HOCode, o.CJSCode) != refdata.IndictableOnly
		}):
			return refuse("defendant %s is charged only with offences triable on indictment: they are sent to the Crown Court without allocation (s.51 Crime and Disorder Act 1998)", def.ID)
		}
		return notBefore(e, "the charge", def.Charged)
	case *SentToCrownCourt:
		def, err := defendant(c, d.DefendantID)
		if err != nil {
			return err
		}
		switch {
		case !def.Sent.IsZero():
			return refuse("defendant %s was already sent to the Crown Court on %s", def.ID, def.Sent)
		case def.Stage != StageCharged:
			return refuse("defendant %s cannot be sent to the Crown Court: %s", def.ID, def.Stage)
		}
		if err := notBefore(e, "the charge", def.Charged); err != nil {
			return err
		}
		return sentAtFirstAppearance(c, e, def.ID)
	case *HearingListed:
		return decideListing(c, e, d)
	case *HearingVacated:
		h, err := listedHearing(c, d.HearingID)
		if err != nil {
			return err
		}
		return notBefore(e, "it was listed", h.ListedOn)
	case *HearingHeld:
		h, err := listedHearing(c, d.HearingID)
		if err != nil {
			return err
		}
		if e.OccurredAt.Date().Before(h.StartsAt.Date()) {
			return refuse("hearing %s cannot have been held on %s: it is listed for %s", h.ID, e.OccurredAt, h.StartsAt)
		}
	case *TrialStarted:
		h := c.Hearing(d.HearingID)
		switch {
		case h == nil:
			return refuse("no hearing %s", d.HearingID)
		case h.Kind != "trial":
			return refuse("hearing %s is a %s, not a trial", h.ID, h.Kind)
		case h.Status == "vacated":
			return refuse("hearing %s was vacated", h.ID)
		case h.TrialOpen:
			return refuse("the trial listed as hearing %s has already started", h.ID)
		case !slices.ContainsFunc(c.Defendants, func(x Defendant) bool { return awaitingTrial(x.Stage) }):
			return refuse("trial %s cannot start: no defendant is awaiting trial in the Crown Court", h.ID)
		}
		if e.OccurredAt.Date().Before(h.StartsAt.Date()) {
			return refuse("trial %s cannot have started on %s: it is listed for %s", h.ID, e.OccurredAt, h.StartsAt)
		}
	case *Verdict:
		def, err := defendant(c, d.DefendantID)
		if err != nil {
			return err
		}
		if d.Result == "guilty_plea" {
			if !slices.Contains([]string{StageCharged, StageCrownCourt, StageTrial, StageRetrial}, def.Stage) {
				return refuse("guilty plea by defendant %s: not awaiting trial (%s)", def.ID, def.Stage)
			}
			return notBefore(e, "the charge", def.Charged)
		}
		if def.Stage != StageTrial {
			return refuse("verdict for defendant %s: no trial has started", def.ID)
		}
		return notBefore(e, "the trial started", def.TrialStarted)
	case *Sentenced:
		def, err := defendant(c, d.DefendantID)
		if err != nil {
			return err
		}
		if def.Stage != StageConvicted {
			return refuse("defendant %s cannot be sentenced: not convicted (%s)", def.ID, def.Stage)
		}
		return notBefore(e, "the conviction", def.VerdictOn)
	case *ProsecutionStopped:
		def, err := defendant(c, d.DefendantID)
		if err != nil {
			return err
		}
		if !slices.Contains([]string{StageCharged, StageCrownCourt, StageTrial, StageRetrial}, def.Stage) {
			return refuse("the prosecution of defendant %s cannot be stopped: %s", def.ID, def.Stage)
		}
		return notBefore(e, "the charge", def.Charged)
	case *ComplainantWithdrew:
		cp, err := complainant(c, d.ComplainantID)
		if err != nil {
			return err
		}
		if !cp.Withdrawn.IsZero() {
			return refuse("complainant %s already withdrew on %s", cp.ID, cp.Withdrawn)
		}
	case *VictimInformed:
		cp, err := complainant(c, d.ComplainantID)
		if err == nil && d.RequestID != "" && d.About == TypeInformationRequested && !slices.ContainsFunc(cp.Requests, func(r InformationRequested) bool { return r.RequestID == d.RequestID }) {
			return refuse("complainant %s has no information request %s", cp.ID, d.RequestID)
		}
		if err == nil && d.HearingID != "" && c.Hearing(d.HearingID) == nil {
			return refuse("no hearing %s", d.HearingID)
		}
		if err == nil && d.AgainstPreferences == "" {
			if why := d.CrossedPreferences(cp, e.OccurredAt); why != "" {
				msg := why + ": say why this was done against her wishes"
				return &Error{Code: EINVALID, Message: msg, Fields: []FieldError{{Field: "data.against_preferences", Message: msg}}}
			}
		}
		return err
	case *ContactPreferencesSet:
		_, err := complainant(c, d.ComplainantID)
		return err
	case *CTLExtended:
		def, err := defendant(c, d.DefendantID)
		if err != nil {
			return err
		}
		if def.Remand != "custody" {
			return refuse("custody time limit for defendant %s: not remanded in custody", def.ID)
		}
		if !e.OccurredAt.Before(mustWhen(d.ExpiresOn)) {
			return refuse("custody time limit for defendant %s: the new limit %s is not after the decision on %s", def.ID, d.ExpiresOn, e.OccurredAt)
		}
	case *Stage1Served:
		sent := func(x Defendant) bool { return !x.Sent.IsZero() && (d.DefendantID == "" || x.ID == d.DefendantID) }
		if !slices.ContainsFunc(c.Defendants, sent) {
			return refuse("the prosecution case cannot be served: no defendant%s has been sent to the Crown Court", forDefendant(d.DefendantID))
		}
	case *Stage2Served:
		served := func(x Defendant) bool {
			return !x.Stage1Served.IsZero() && (d.DefendantID == "" || x.ID == d.DefendantID)
		}
		if !slices.ContainsFunc(c.Defendants, served) {
			return refuse("the defence response cannot be recorded: the prosecution case has not been served%s", forDefendant(d.DefendantID))
		}
	case *InformationRequested:
		return decideRequest(c, e.OccurredAt, d)
	case *SpecialMeasuresApplied:
		_, err := complainant(c, d.ComplainantID)
		return err
	case *NamedContactChanged:
		_, err := complainant(c, d.ComplainantID)
		return err
	case *CallbackRequested:
		_, err := complainant(c, d.ComplainantID)
		return err
	case *CallbackMade:
		cp, err := complainant(c, d.ComplainantID)
		if err != nil {
			return err
		}
		if e.OccurredAt.DateOnly() {
			return &Error{Code: EINVALID, Message: "say what time the call was made", Fields: []FieldError{{Field: "occurred_at", Message: "say what time the call was made: it is checked against her safe times"}}}
		}
		if why := outsideSafeTimes(cp, e.OccurredAt); why != "" && d.AgainstPreferences == "" {
			msg := "complainant " + cp.ID + " " + why + ": say why this was done against her wishes"
			return &Error{Code: EINVALID, Message: msg, Fields: []FieldError{{Field: "data.against_preferences", Message: msg}}}
		}
		return nil
	case *SpecialMeasuresDecided:
		cp, err := complainant(c, d.ComplainantID)
		if err != nil {
			return err
		}
		for _, m := range append(append([]string(nil), d.Granted...), d.Refused...) {
			if !slices.Contains(cp.MeasuresApplied, m) {
				return refuse("special measure %s was not applied for on behalf of complainant %s", m, cp.ID)
			}
		}
	case *CaseClosed:
		for _, def := range c.Defendants {
			if active(def.Stage) {
				return refuse("case %s cannot be closed: defendant %s is still being prosecuted (%s)", c.Ref, def.ID, def.Stage)
			}
		}
	default:
		return decideRights(c, e)
	}
	return nil
}

// sentAtFirstAppearance refuses a sending to the Crown Court the courts
// would not allow: an indictable-only offence is sent by the magistrates'
// court at the defendant's first appearance before it (Crime and Disorder
// Act 1998 s.51), so a sending cannot be dated before the first appearance
// listed. (Nor can a first appearance be listed once every defendant is
// sent: decideListing.) A record with no first appearance at all is let
// be: files imported from systems that keep no magistrates' hearings have
// none, and refusing their sendings would lose the rest of the case. A
// first appearance vacated never happened.
func sentAtFirstAppearance(c *Case, e Event, def string) error {
	var first *Hearing
	for i := range c.Hearings {
		h := &c.Hearings[i]
		if h.Kind == "first_appearance" && h.Status != "vacated" && (first == nil || h.StartsAt.Before(first.StartsAt)) {
			first = h
		}
	}
	if first != nil && e.OccurredAt.Date().Before(first.StartsAt.Date()) {
		return refuse("defendant %s cannot be sent to the Crown Court on %s, before the first appearance on %s: the magistrates' court sends the case at the first appearance", def, e.OccurredAt, first.StartsAt.Date().Format(time.DateOnly))
	}
	return nil
}

func decideListing(c *Case, e Event, d *HearingListed) error {
	if h := c.Hearing(d.HearingID); h != nil {
		switch {
		case h.Status != "listed":
			return refuse("hearing %s was already %s: list a new hearing instead", h.ID, h.Status)
		case h.Kind != d.Kind:
			return refuse("hearing %s is a %s: it cannot be moved as a %s", h.ID, h.Kind, d.Kind)
		}
		return nil
	}
	has := func(ok func(Defendant) bool) bool { return slices.ContainsFunc(c.Defendants, ok) }
	switch d.Kind {
	case "first_appearance":
		if !has(func(x Defendant) bool { return x.Stage == StageCharged }) {
			return refuse("a first appearance cannot be listed: no defendant is charged and awaiting it")
		}
	case "sentence":
		if !has(func(x Defendant) bool { return x.Stage == StageConvicted }) {
			return refuse("a sentencing hearing cannot be listed: no defendant is convicted")
		}
	case "ptph", "trial", "s28", "ground_rules":
		if !has(func(x Defendant) bool {
			return x.Stage == StageCrownCourt || x.Stage == StageRetrial || x.Stage == StageTrial
		}) {
			return refuse("a %s cannot be listed: no defendant has been sent to the Crown Court", d.Kind)
		}
	}
	return nil
}

func suspect(c *Case, id string) (*Defendant, error) {
	if d := c.Defendant(id); d != nil {
		return d, nil
	}
	return nil, refuse("case %s has no suspect %s", c.Ref, id)
}

func defendant(c *Case, id string) (*Defendant, error) {
	d := c.Defendant(id)
	switch {
	case d == nil:
		return nil, refuse("case %s has no defendant %s", c.Ref, id)
	case d.Charged.IsZero():
		return nil, refuse("%s is a suspect, not yet charged", id)
	}
	return d, nil
}

func complainant(c *Case, id string) (*Complainant, error) {
	if cp := c.Complainant(id); cp != nil {
		return cp, nil
	}
	return nil, refuse("case %s has no complainant %s", c.Ref, id)
}

func listedHearing(c *Case, id string) (*Hearing, error) {
	h := c.Hearing(id)
	switch {
	case h == nil:
		return nil, refuse("no hearing %s", id)
	case h.Status != "listed":
		return nil, refuse("hearing %s was already %s", id, h.Status)
	}
	return h, nil
}

func remandWords(s string) string {
	switch s {
	case "custody":
		return "remanded in custody"
	case "bail":
		return "on bail"
	default:
		return "released"
	}
}

func forDefendant(id string) string {
	if id == "" {
		return ""
	}
	return " (" + id + ")"
}
