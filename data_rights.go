package throughline

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Events that the victim's rights turn on (issue 20): when the Witness Care
// Unit received news from the court or the CPS, an exception to notice of an
// information request, a police decision of no further action, a Victims'
// Right to Review, whether she is required to give evidence, and changes to
// bail conditions and warrants, her personal statement. Each starts or meets a duty of the deadline
// rule table (package deadline).

// NewsReceived records when the Witness Care Unit received news of an event
// from the court or the CPS: its duties to tell the victim run from then
// (Victims' Code 2020 Rights 8 and 9: "of them receiving the information").
// About is the event type received; HearingID, DefendantID and
// ComplainantID, when given, narrow which events of that type it is the
// news of (the first of that type on or before the receipt).
type NewsReceived struct {
	About         string `json:"about"`
	From          string `json:"from"`
	HearingID     string `json:"hearing_id,omitempty"`
	DefendantID   string `json:"defendant_id,omitempty"`
	ComplainantID string `json:"complainant_id,omitempty"`
}

// ReceivedAbouts are the events whose news the Witness Care Unit receives
// from the court or the CPS; NewsSources who sends it.
var (
	ReceivedAbouts = []string{TypeRemandStatusChanged, TypeHearingListed, TypeHearingHeld, TypeVerdict, TypeSentenced,
		TypeBailConditionsChanged, TypeWarrantIssued, TypeWitnessRequirementDecided}
	NewsSources = []string{"court", "cps"}
)

func (*NewsReceived) EventType() string { return TypeNewsReceived }
func (d *NewsReceived) validate(fe *fieldErrors) {
	oneOf(fe, "about", d.About, ReceivedAbouts)
	oneOf(fe, "from", d.From, NewsSources)
	for _, f := range []struct{ name, v string }{{"hearing_id", d.HearingID}, {"defendant_id", d.DefendantID}, {"complainant_id", d.ComplainantID}} {
		if f.v != "" {
			partyID(fe, f.name, f.v)
		}
	}
}

// InformationNoticeException records why the victim was not given notice of
// an information request on or before the day it was made (PCSCA 2022
// s.44B(3)): either notice then was not reasonably practicable, so it is due
// as soon as reasonably practicable after (s.44B(3)(b)), or the authorised
// person considers that the s.44B(5) exception applies and gives none. The
// reason is the authorised person's own account, sealed with the case's
// personal data: it may say what the victim must not yet learn.
type InformationNoticeException struct {
	ComplainantID string `json:"complainant_id"`
	RequestID     string `json:"request_id"`
	Exception     string `json:"exception"`
	Reason        string `json:"reason"`
}

// The exceptions to notice on or before the request.
const (
	NoticeLater = "later_notice" // s.44B(3)(b): not reasonably practicable on or before the request
	NoticeNone  = "no_notice"    // s.44B(5): the authorised person need not give notice
)

// NoticeExceptions are the exceptions an InformationNoticeException records.
var NoticeExceptions = []string{NoticeLater, NoticeNone}

func (*InformationNoticeException) EventType() string { return TypeInformationNoticeException }
func (d *InformationNoticeException) validate(fe *fieldErrors) {
	partyID(fe, "complainant_id", d.ComplainantID)
	partyID(fe, "request_id", d.RequestID)
	oneOf(fe, "exception", d.Exception, NoticeExceptions)
	if len(strings.TrimSpace(d.Reason)) < 20 {
		fe.add("reason", "say why, in at least 20 characters: the grounds are part of the record")
	}
}

func (d *InformationNoticeException) splitPersonal() (Data, map[string]string) {
	pub := *d
	m := map[string]string{}
	take(m, "reason", &pub.Reason)
	return &pub, m
}

func (d *InformationNoticeException) mergePersonal(m map[string]string) {
	restore(m, "reason", &d.Reason, true)
}

// PoliceNoFurtherAction records the police deciding to take no further
// action against a suspect without a CPS charging decision: the victim must
// be told (Victims' Code 2020 Right 6).
type PoliceNoFurtherAction struct {
	SuspectID string `json:"suspect_id"`
}

func (*PoliceNoFurtherAction) EventType() string          { return TypePoliceNoFurtherAction }
func (d *PoliceNoFurtherAction) validate(fe *fieldErrors) { partyID(fe, "suspect_id", d.SuspectID) }

// ReviewRequested records a victim asking for a review of a decision not to
// charge or to stop a prosecution under the Victims' Right to Review scheme
// of the CPS or of the police (Scheme). It occurred when the scheme received
// the request: its response time runs from then.
type ReviewRequested struct {
	ComplainantID string `json:"complainant_id"`
	Scheme        string `json:"scheme"`
}

// ReviewDecided records the review's decision, sent to the victim.
type ReviewDecided struct {
	ComplainantID string `json:"complainant_id"`
	Scheme        string `json:"scheme"`
	Result        string `json:"result"`
}

// ReviewSchemes are the Victims' Right to Review schemes; ReviewResults what
// a review may decide.
var (
	ReviewSchemes = []string{"cps", "police"}
	ReviewResults = []string{"decision_upheld", "decision_overturned"}
)

func (*ReviewRequested) EventType() string { return TypeReviewRequested }
func (d *ReviewRequested) validate(fe *fieldErrors) {
	partyID(fe, "complainant_id", d.ComplainantID)
	oneOf(fe, "scheme", d.Scheme, ReviewSchemes)
}

func (*ReviewDecided) EventType() string { return TypeReviewDecided }
func (d *ReviewDecided) validate(fe *fieldErrors) {
	partyID(fe, "complainant_id", d.ComplainantID)
	oneOf(fe, "scheme", d.Scheme, ReviewSchemes)
	oneOf(fe, "result", d.Result, ReviewResults)
}

// WitnessRequirementDecided records the CPS deciding whether a complainant
// is required to give evidence (after a not guilty plea, or no longer after
// a guilty one): the Witness Care Unit must tell her (Right 8.2).
type WitnessRequirementDecided struct {
	ComplainantID string `json:"complainant_id"`
	Requirement   string `json:"requirement"`
}

// WitnessRequirements are what WitnessRequirementDecided may record.
var WitnessRequirements = []string{"required", "not_required"}

func (*WitnessRequirementDecided) EventType() string { return TypeWitnessRequirementDecided }
func (d *WitnessRequirementDecided) validate(fe *fieldErrors) {
	partyID(fe, "complainant_id", d.ComplainantID)
	oneOf(fe, "requirement", d.Requirement, WitnessRequirements)
}

// BailConditionsChanged records the court changing a defendant's bail
// conditions (Right 8.1). The conditions themselves are not recorded here:
// they may name the places the victim lives and works.
type BailConditionsChanged struct {
	DefendantID string `json:"defendant_id"`
}

func (*BailConditionsChanged) EventType() string { return TypeBailConditionsChanged }
func (d *BailConditionsChanged) validate(fe *fieldErrors) {
	partyID(fe, "defendant_id", d.DefendantID)
}

// WarrantIssued records a court issuing a warrant for a defendant's arrest
// (Right 8.1); the outcome of the hearing after re-arrest is a remand
// decision (remand_status_changed) or a hearing's outcome.
type WarrantIssued struct {
	DefendantID string `json:"defendant_id"`
}

func (*WarrantIssued) EventType() string { return TypeWarrantIssued }
func (d *WarrantIssued) validate(fe *fieldErrors) {
	partyID(fe, "defendant_id", d.DefendantID)
}

// VictimPersonalStatement records the victim's personal statement (Victims'
// Code 2020 Right 7): the chance to make one offered, one made or updated,
// the offer declined, or her asking for help to write it. After a conviction
// she must have the chance to make or update it before sentence. Text is her
// statement in her own words when she writes it in the portal (or staff
// type it with her): personal data, sealed with the case's key. A statement
// made on paper is recorded as made without its text. With help_wanted
// she may keep what she has written so far; it opens a call-back task for
// her contact and does not meet the duty to offer the chance.
type VictimPersonalStatement struct {
	ComplainantID string `json:"complainant_id"`
	Action        string `json:"action"`
	Text          string `json:"text,omitempty"`
}

// The actions of a VictimPersonalStatement.
const (
	StatementOffered  = "offered"
	StatementMade     = "made"
	StatementUpdated  = "updated"
	StatementDeclined = "declined"
	StatementHelp     = "help_wanted"
)

// StatementActions are what a VictimPersonalStatement records.
var StatementActions = []string{StatementOffered, StatementMade, StatementUpdated, StatementDeclined, StatementHelp}

// MaxStatement bounds a statement's text, in characters: about four typed
// pages.
const MaxStatement = 10000

// StatementOpen reports whether her statement can still be made or
// changed on c: until the sentence (Right 7: the court considers it then).
func StatementOpen(c *Case) bool { return c.Stage() != StageSentenced }

// writes reports whether the action is her writing (or asking for help
// to write) the statement: what can no longer happen after the sentence.
func (d *VictimPersonalStatement) writes() bool {
	return d.Action == StatementMade || d.Action == StatementUpdated || d.Action == StatementHelp
}

func (*VictimPersonalStatement) EventType() string { return TypeVictimPersonalStatement }
func (d *VictimPersonalStatement) validate(fe *fieldErrors) {
	partyID(fe, "complainant_id", d.ComplainantID)
	oneOf(fe, "action", d.Action, StatementActions)
	switch n := utf8.RuneCountInString(d.Text); {
	case n > 0 && !d.writes():
		fe.add("text", "only a statement made, updated or with help asked for has words")
	case n > MaxStatement:
		fe.add("text", "must be at most %d characters", MaxStatement)
	case n > 0 && strings.TrimSpace(d.Text) == "":
		fe.add("text", "must not be only spaces")
	}
}

// Her words are hers: sealed with the case's personal data.
func (d *VictimPersonalStatement) splitPersonal() (Data, map[string]string) {
	pub := *d
	m := map[string]string{}
	take(m, "text", &pub.Text)
	return &pub, m
}

func (d *VictimPersonalStatement) mergePersonal(m map[string]string) {
	restore(m, "text", &d.Text, false)
}

// PayloadEnums are the values the validators of this file accept for each
// enumerated field, by event type and field: the OpenAPI document lists
// them (web/api), so a client learns them from the schema.
var PayloadEnums = map[string]map[string][]string{
	TypeNewsReceived:               {"about": ReceivedAbouts, "from": NewsSources},
	TypeInformationNoticeException: {"exception": NoticeExceptions},
	TypeReviewRequested:            {"scheme": ReviewSchemes},
	TypeReviewDecided:              {"scheme": ReviewSchemes, "result": ReviewResults},
	TypeWitnessRequirementDecided:  {"requirement": WitnessRequirements},
	TypeVictimPersonalStatement:    {"action": StatementActions},
	TypeInformationRequestResponse: {"result": RequestResults},
	TypeInformationRequestView:     {"advice": RequestAdvice},
	TypeVictimInformed:             {"recipient": NoticeRecipients},
	TypeDeviceExtractionAnswered:   {"answer": DeviceAnswers},
	TypeMaterialDecision:           {"decision": MaterialDecisions, "material": Materials},
	TypeDisclosureDesignated:       {"role": DisclosureRoles},
}

// decideRights checks the events of this file against the case.
func decideRights(c *Case, e Event) error {
	switch d := e.Data.(type) {
	case *NewsReceived:
		if d.HearingID != "" && c.Hearing(d.HearingID) == nil {
			return refuse("no hearing %s", d.HearingID)
		}
		if d.DefendantID != "" {
			if _, err := suspect(c, d.DefendantID); err != nil {
				return err
			}
		}
		if d.ComplainantID != "" {
			if _, err := complainant(c, d.ComplainantID); err != nil {
				return err
			}
		}
	case *InformationNoticeException:
		cp, err := complainant(c, d.ComplainantID)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(cp.Requests, func(r InformationRequested) bool { return r.RequestID == d.RequestID }) {
			return refuse("complainant %s has no information request %s", cp.ID, d.RequestID)
		}
	case *PoliceNoFurtherAction:
		s, err := suspect(c, d.SuspectID)
		if err != nil {
			return err
		}
		switch {
		case !s.Charged.IsZero():
			return refuse("suspect %s was charged on %s: a decision after charge is the CPS's (prosecution_stopped)", s.ID, s.Charged)
		case s.Stage == StageNFA:
			return refuse("suspect %s: no further action was already decided", s.ID)
		}
	case *ReviewRequested:
		cp, err := complainant(c, d.ComplainantID)
		if err != nil {
			return err
		}
		if slices.Contains(cp.ReviewsOpen, d.Scheme) {
			return refuse("complainant %s already has a review by the %s scheme waiting for its decision", cp.ID, d.Scheme)
		}
		if !reviewable(c, d.Scheme) {
			return refuse("there is no decision of the %s scheme to review: a decision not to charge, or to stop the prosecution, must be recorded first", d.Scheme)
		}
	case *ReviewDecided:
		cp, err := complainant(c, d.ComplainantID)
		if err != nil {
			return err
		}
		if !slices.Contains(cp.ReviewsOpen, d.Scheme) {
			return refuse("complainant %s asked for no review by the %s scheme that is waiting for a decision", cp.ID, d.Scheme)
		}
	case *WitnessRequirementDecided:
		_, err := complainant(c, d.ComplainantID)
		return err
	case *VictimPersonalStatement:
		if _, err := complainant(c, d.ComplainantID); err != nil {
			return err
		}
		if d.writes() && !StatementOpen(c) {
			return refuse("a Victim Personal Statement can be made or changed until the sentence; the sentence has been passed")
		}
	case *BailConditionsChanged:
		def, err := defendant(c, d.DefendantID)
		if err != nil {
			return err
		}
		if def.Remand != "bail" {
			return refuse("defendant %s is not on bail (%s)", def.ID, remandWords(def.Remand))
		}
	case *WarrantIssued:
		def, err := defendant(c, d.DefendantID)
		if err != nil {
			return err
		}
		if !active(def.Stage) {
			return refuse("defendant %s is no longer being prosecuted (%s)", def.ID, def.Stage)
		}
	}
	return nil
}
