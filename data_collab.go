package throughline

import (
	"fmt"
	"slices"
)

// Police–CPS collaboration beyond v1: what a file holds and how good the
// CPS found it, the work of an action plan item by item, disputes settled
// by both agencies' supervisors, the people designated on the case, and
// case conferences. ADR 0301 says why each is shaped as it is.

// FileContents are the parts of a file under the National File Standard
// (the MG forms and the material a RASSO charging file carries); a file
// submission says of each whether it is attached, outstanding or not
// applicable.
var FileContents = []string{
	"mg3",                  // report to the prosecutor for a charging decision (MG3)
	"mg5",                  // case summary (MG5)
	"victim_account",       // the complainant's video-recorded interview (ABE) or statement
	"witness_statements",   // key witness statements (MG11)
	"suspect_interview",    // record of the suspect's interview
	"forensic",             // forensic results
	"medical",              // medical evidence (forensic medical examination)
	"digital",              // digital material and its review (phones, devices, social media)
	"third_party",          // third-party material (medical, counselling, social care, education)
	"unused_schedules",     // unused material schedules (MG6C, MG6D) and the disclosure officer's report (MG6E)
	"previous_convictions", // previous convictions and bad character (MG16)
	"vps",                  // victim personal statement
}

// ContentStatuses say where each part of a file stands.
var ContentStatuses = []string{"attached", "outstanding", "not_applicable"}

// FileContent is one part of a file and where it stands.
type FileContent struct {
	Item   string `json:"item"`
	Status string `json:"status"`
}

func validateContents(fe *fieldErrors, cs []FileContent) {
	seen := map[string]bool{}
	for i, c := range cs {
		f := fmt.Sprintf("contents[%d]", i)
		oneOf(fe, f+".item", c.Item, FileContents)
		oneOf(fe, f+".status", c.Status, ContentStatuses)
		if seen[c.Item] {
			fe.add(f+".item", "%q is listed twice", c.Item)
		}
		seen[c.Item] = true
	}
}

// File-quality assessment: the CPS's finding on a file, and its reasons
// when the file falls short of the standard.
var (
	QualityOutcomes = []string{"acceptable", "not_acceptable"}
	// QualityReasons are the coded reasons a file is not acceptable.
	QualityReasons = []string{
		"missing_statements", "no_victim_account", "no_suspect_interview", "no_digital_review", "forensic_outstanding",
		"medical_outstanding", "third_party_not_reviewed", "unused_not_scheduled", "mg3_incomplete",
		"previous_convictions_missing", "other",
	}
	// QualityAnswers are the police's answers to a reason.
	QualityAnswers = []string{"accepted", "disputed"}
	// DisputeOutcomes: the point disputed stands (upheld), or is withdrawn.
	DisputeOutcomes = []string{"upheld", "withdrawn"}
)

// QualityReason is one coded reason a file was not acceptable.
type QualityReason struct {
	Code    string `json:"code"`
	Comment string `json:"comment,omitempty"`
}

// FileQualityAssessed records the CPS's assessment of a file's quality.
type FileQualityAssessed struct {
	AssessmentID string          `json:"assessment_id"`
	SuspectID    string          `json:"suspect_id"`
	Outcome      string          `json:"outcome"`
	Reasons      []QualityReason `json:"reasons,omitempty"`
	Comment      string          `json:"comment,omitempty"`
}

func (*FileQualityAssessed) EventType() string { return TypeFileQualityAssessed }
func (d *FileQualityAssessed) validate(fe *fieldErrors) {
	partyID(fe, "assessment_id", d.AssessmentID)
	partyID(fe, "suspect_id", d.SuspectID)
	oneOf(fe, "outcome", d.Outcome, QualityOutcomes)
	switch {
	case d.Outcome == "not_acceptable" && len(d.Reasons) == 0:
		fe.add("reasons", "a file that is not acceptable needs at least one reason")
	case d.Outcome == "acceptable" && len(d.Reasons) > 0:
		fe.add("reasons", "an acceptable file has no reasons against it")
	}
	seen := map[string]bool{}
	for i, r := range d.Reasons {
		f := fmt.Sprintf("reasons[%d]", i)
		oneOf(fe, f+".code", r.Code, QualityReasons)
		if seen[r.Code] {
			fe.add(f+".code", "%q is given twice", r.Code)
		}
		seen[r.Code] = true
		if r.Code == "other" {
			required(fe, f+".comment", r.Comment)
		}
	}
}

// FileQualityAnswered records the police's answer to one reason of an
// assessment: accepted, or disputed with a comment.
type FileQualityAnswered struct {
	AssessmentID string `json:"assessment_id"`
	Reason       string `json:"reason"`
	Answer       string `json:"answer"`
	Comment      string `json:"comment,omitempty"`
}

func (*FileQualityAnswered) EventType() string { return TypeFileQualityAnswered }
func (d *FileQualityAnswered) validate(fe *fieldErrors) {
	partyID(fe, "assessment_id", d.AssessmentID)
	oneOf(fe, "reason", d.Reason, QualityReasons)
	oneOf(fe, "answer", d.Answer, QualityAnswers)
	if d.Answer == "disputed" {
		required(fe, "comment", d.Comment)
	}
}

// ItemCategories are the kinds of work an action item asks for.
var ItemCategories = []string{"statements", "forensic", "digital", "medical", "third_party_material", "witness", "defence", "other"}

// ActionItemDisputed records the owner of an item disputing it: the
// issuing agency then cancels it, or both agencies' supervisors settle it.
type ActionItemDisputed struct {
	PlanID string `json:"plan_id"`
	ItemID string `json:"item_id"`
	Reason string `json:"reason"`
}

func (*ActionItemDisputed) EventType() string { return TypeActionItemDisputed }
func (d *ActionItemDisputed) validate(fe *fieldErrors) {
	partyID(fe, "plan_id", d.PlanID)
	partyID(fe, "item_id", d.ItemID)
	required(fe, "reason", d.Reason)
}

// ActionItemCancelled records an item withdrawn by the agency that issued it.
type ActionItemCancelled struct {
	PlanID string `json:"plan_id"`
	ItemID string `json:"item_id"`
	Reason string `json:"reason"`
}

func (*ActionItemCancelled) EventType() string { return TypeActionItemCancelled }
func (d *ActionItemCancelled) validate(fe *fieldErrors) {
	partyID(fe, "plan_id", d.PlanID)
	partyID(fe, "item_id", d.ItemID)
	required(fe, "reason", d.Reason)
}

// ActionItemCommented adds to an item's comment thread.
type ActionItemCommented struct {
	PlanID  string `json:"plan_id"`
	ItemID  string `json:"item_id"`
	Comment string `json:"comment"`
}

func (*ActionItemCommented) EventType() string { return TypeActionItemCommented }
func (d *ActionItemCommented) validate(fe *fieldErrors) {
	partyID(fe, "plan_id", d.PlanID)
	partyID(fe, "item_id", d.ItemID)
	required(fe, "comment", d.Comment)
}

// DisputeResolved records one side's decision on a dispute: a police
// supervisor's or a CPS manager's (the side is the recording agency's).
// A dispute is settled when both sides have recorded the same outcome.
// It is about a file-quality reason (assessment_id and reason) or an
// action item (plan_id and item_id).
type DisputeResolved struct {
	AssessmentID string `json:"assessment_id,omitempty"`
	Reason       string `json:"reason,omitempty"`
	PlanID       string `json:"plan_id,omitempty"`
	ItemID       string `json:"item_id,omitempty"`
	Outcome      string `json:"outcome"`
	Note         string `json:"note"`
}

func (*DisputeResolved) EventType() string { return TypeDisputeResolved }
func (d *DisputeResolved) validate(fe *fieldErrors) {
	switch {
	case d.AssessmentID != "" && d.PlanID == "":
		partyID(fe, "assessment_id", d.AssessmentID)
		oneOf(fe, "reason", d.Reason, QualityReasons)
		if d.ItemID != "" {
			fe.add("item_id", "goes with plan_id, not with an assessment")
		}
	case d.PlanID != "" && d.AssessmentID == "":
		partyID(fe, "plan_id", d.PlanID)
		partyID(fe, "item_id", d.ItemID)
		if d.Reason != "" {
			fe.add("reason", "goes with assessment_id, not with an action item")
		}
	default:
		fe.add("assessment_id", "name either a file-quality reason (assessment_id and reason) or an action item (plan_id and item_id)")
	}
	oneOf(fe, "outcome", d.Outcome, DisputeOutcomes)
	required(fe, "note", d.Note)
}

// The designations of case_team_changed besides ReviewingProsecutor.
const (
	OfficerInCase      = "officer_in_case"
	WitnessCareOfficer = "witness_care_officer"
)

// TeamRoles are the designations on a case, each held by one person at a
// time, and the agency each belongs to.
var TeamRoles = []string{OfficerInCase, ReviewingProsecutor, WitnessCareOfficer}

// TeamRoleAgency is the kind of agency a designation belongs to.
func TeamRoleAgency(role string) string {
	switch role {
	case "officer_in_case":
		return "police"
	case "reviewing_prosecutor":
		return "cps"
	case DisclosureOfficer:
		return "police"
	case "witness_care_officer":
		return "wcu"
	}
	return ""
}

// CaseTeamChanged records a person designated on the case, with the
// hand-over note from whoever held the role before (or why there is none,
// for the first designation).
type CaseTeamChanged struct {
	Role     string `json:"role"`
	Name     string `json:"name"`
	Phone    string `json:"phone,omitempty"`
	Email    string `json:"email,omitempty"`
	Handover string `json:"handover"`
}

func (*CaseTeamChanged) EventType() string { return TypeCaseTeamChanged }
func (d *CaseTeamChanged) validate(fe *fieldErrors) {
	oneOf(fe, "role", d.Role, TeamRoles)
	required(fe, "name", d.Name)
	required(fe, "handover", d.Handover)
}

// Attendee is one person at a case conference.
type Attendee struct {
	Agency string `json:"agency"` // police, cps, wcu, isva or other
	Name   string `json:"name"`
}

// AttendeeAgencies are the kinds of agency that attend a conference.
var AttendeeAgencies = []string{"police", "cps", "wcu", "isva", "other"}

// CaseConferenceHeld records a joint case review: who came, what was
// decided, and the action items it raised (a plan of its own, whose id is
// the conference's).
type CaseConferenceHeld struct {
	ConferenceID string       `json:"conference_id"`
	Attendees    []Attendee   `json:"attendees"`
	Decisions    string       `json:"decisions"`
	Items        []ActionItem `json:"items,omitempty"`
}

func (*CaseConferenceHeld) EventType() string { return TypeCaseConferenceHeld }
func (d *CaseConferenceHeld) validate(fe *fieldErrors) {
	partyID(fe, "conference_id", d.ConferenceID)
	agencies := map[string]bool{}
	for i, a := range d.Attendees {
		f := fmt.Sprintf("attendees[%d]", i)
		oneOf(fe, f+".agency", a.Agency, AttendeeAgencies)
		required(fe, f+".name", a.Name)
		agencies[a.Agency] = true
	}
	if !agencies["police"] || !agencies["cps"] {
		fe.add("attendees", "a case conference is joint: name at least one attendee from the police and one from the CPS")
	}
	required(fe, "decisions", d.Decisions)
	validateItems(fe, d.Items, false)
}

// validateItems checks the items of a plan (at least one unless optional).
func validateItems(fe *fieldErrors, items []ActionItem, atLeastOne bool) {
	if atLeastOne && len(items) == 0 {
		fe.add("items", "at least one item is required")
	}
	seen := map[string]bool{}
	for i, it := range items {
		f := fmt.Sprintf("items[%d]", i)
		partyID(fe, f+".item_id", it.ItemID)
		if seen[it.ItemID] {
			fe.add(f+".item_id", "%q is used twice", it.ItemID)
		}
		seen[it.ItemID] = true
		required(fe, f+".description", it.Description)
		oneOf(fe, f+".owner", it.Owner, Owners)
		parseDate(fe, f+".due", it.Due, true)
		if it.Category != "" && !slices.Contains(ItemCategories, it.Category) {
			oneOf(fe, f+".category", it.Category, ItemCategories)
		}
	}
}
