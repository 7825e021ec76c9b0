package throughline

import (
	"fmt"
	"slices"
	"strings"

	"throughline/refdata"
)

// The event vocabulary, v1. Type names are stable API.
const (
	TypeCaseOpened            = "case_opened"
	TypeFileSubmitted         = "file_submitted"
	TypeEarlyAdviceGiven      = "early_advice_given"
	TypeActionPlanIssued      = "action_plan_issued"
	TypeActionItemCompleted   = "action_item_completed"
	TypeChargingDecision      = "charging_decision"
	TypeCharged               = "charged"
	TypeRemandStatusChanged   = "remand_status_changed"
	TypeSentToCrownCourt      = "sent_to_crown_court"
	TypeAllocationDecided     = "allocation_decided"
	TypeHearingListed         = "hearing_listed"
	TypeHearingVacated        = "hearing_vacated"
	TypeHearingHeld           = "hearing_held"
	TypeTrialStarted          = "trial_started"
	TypeVerdict               = "verdict"
	TypeSentenced             = "sentenced"
	TypeProsecutionStopped    = "prosecution_stopped"
	TypeComplainantWithdrew   = "complainant_withdrew"
	TypeVictimInformed        = "victim_informed"
	TypeContactPreferencesSet = "contact_preferences_set"
	TypeCTLExtended           = "ctl_extended"
	TypeCaseClosed            = "case_closed"

	// Beyond v1: Better Case Management stages, victim information requests
	// (PCSCA 2022 Ch.3A) and special measures (YJCEA 1999 ss.23–30).
	TypeStage1Served           = "stage1_served"
	TypeStage2Served           = "stage2_served"
	TypeInformationRequested   = "information_requested"
	TypeSpecialMeasuresApplied = "special_measures_applied"
	TypeSpecialMeasuresDecided = "special_measures_decided"

	// Victim communication: the complainant's named point of contact.
	TypeNamedContactChanged = "named_contact_changed"
	TypeCallbackRequested   = "callback_requested"
	TypeCallbackMade        = "callback_made"

	// Retention: a closed case's personal data erased (DPA 2018 s.47).
	TypeCaseErased = "case_erased"

	// What the victim's rights turn on (data_rights.go).
	TypeNewsReceived               = "news_received"
	TypeInformationNoticeException = "information_notice_exception"
	TypePoliceNoFurtherAction      = "police_no_further_action"
	TypeReviewRequested            = "review_requested"
	TypeReviewDecided              = "review_decided"
	TypeWitnessRequirementDecided  = "witness_requirement_decided"
	TypeBailConditionsChanged      = "bail_conditions_changed"
	TypeWarrantIssued              = "warrant_issued"
	TypeVictimPersonalStatement    = "victim_personal_statement"
	// Police–CPS collaboration (data_collab.go).
	TypeFileQualityAssessed = "file_quality_assessed"
	TypeFileQualityAnswered = "file_quality_answered"
	TypeActionItemDisputed  = "action_item_disputed"
	TypeActionItemCancelled = "action_item_cancelled"
	TypeActionItemCommented = "action_item_commented"
	TypeDisputeResolved     = "dispute_resolved"
	TypeCaseTeamChanged     = "case_team_changed"
	TypeCaseConferenceHeld  = "case_conference_held"
	// Digital device extraction, PCSCA 2022 Part 2 Chapter 3 (data_devices.go).
	TypeDeviceExtractionRequested = "device_extraction_requested"
	TypeDeviceExtractionAnswered  = "device_extraction_answered"
	TypeDeviceExtractionWithdrawn = "device_extraction_withdrawn"
)

var eventTypes = map[string]func() Data{
	TypeCaseOpened:             func() Data { return &CaseOpened{} },
	TypeFileSubmitted:          func() Data { return &FileSubmitted{} },
	TypeEarlyAdviceGiven:       func() Data { return &EarlyAdviceGiven{} },
	TypeActionPlanIssued:       func() Data { return &ActionPlanIssued{} },
	TypeActionItemCompleted:    func() Data { return &ActionItemCompleted{} },
	TypeChargingDecision:       func() Data { return &ChargingDecision{} },
	TypeCharged:                func() Data { return &Charged{} },
	TypeRemandStatusChanged:    func() Data { return &RemandStatusChanged{} },
	TypeSentToCrownCourt:       func() Data { return &SentToCrownCourt{} },
	TypeAllocationDecided:      func() Data { return &AllocationDecided{} },
	TypeHearingListed:          func() Data { return &HearingListed{} },
	TypeHearingVacated:         func() Data { return &HearingVacated{} },
	TypeHearingHeld:            func() Data { return &HearingHeld{} },
	TypeTrialStarted:           func() Data { return &TrialStarted{} },
	TypeVerdict:                func() Data { return &Verdict{} },
	TypeSentenced:              func() Data { return &Sentenced{} },
	TypeProsecutionStopped:     func() Data { return &ProsecutionStopped{} },
	TypeComplainantWithdrew:    func() Data { return &ComplainantWithdrew{} },
	TypeVictimInformed:         func() Data { return &VictimInformed{} },
	TypeContactPreferencesSet:  func() Data { return &ContactPreferencesSet{} },
	TypeCTLExtended:            func() Data { return &CTLExtended{} },
	TypeCaseClosed:             func() Data { return &CaseClosed{} },
	TypeStage1Served:           func() Data { return &Stage1Served{} },
	TypeStage2Served:           func() Data { return &Stage2Served{} },
	TypeInformationRequested:   func() Data { return &InformationRequested{} },
	TypeSpecialMeasuresApplied: func() Data { return &SpecialMeasuresApplied{} },
	TypeSpecialMeasuresDecided: func() Data { return &SpecialMeasuresDecided{} },
	TypeNamedContactChanged:    func() Data { return &NamedContactChanged{} },
	TypeCallbackRequested:      func() Data { return &CallbackRequested{} },
	TypeCallbackMade:           func() Data { return &CallbackMade{} },
	TypeCaseErased:             func() Data { return &CaseErased{} },

	TypeNewsReceived:               func() Data { return &NewsReceived{} },
	TypeInformationNoticeException: func() Data { return &InformationNoticeException{} },
	TypePoliceNoFurtherAction:      func() Data { return &PoliceNoFurtherAction{} },
	TypeReviewRequested:            func() Data { return &ReviewRequested{} },
	TypeReviewDecided:              func() Data { return &ReviewDecided{} },
	TypeWitnessRequirementDecided:  func() Data { return &WitnessRequirementDecided{} },
	TypeBailConditionsChanged:      func() Data { return &BailConditionsChanged{} },
	TypeWarrantIssued:              func() Data { return &WarrantIssued{} },
	TypeVictimPersonalStatement:    func() Data { return &VictimPersonalStatement{} },
	TypeFileQualityAssessed:        func() Data { return &FileQualityAssessed{} },
	TypeFileQualityAnswered:        func() Data { return &FileQualityAnswered{} },
	TypeActionItemDisputed:         func() Data { return &ActionItemDisputed{} },
	TypeActionItemCancelled:        func() Data { return &ActionItemCancelled{} },
	TypeActionItemCommented:        func() Data { return &ActionItemCommented{} },
	TypeDisputeResolved:            func() Data { return &DisputeResolved{} },
	TypeCaseTeamChanged:            func() Data { return &CaseTeamChanged{} },
	TypeCaseConferenceHeld:         func() Data { return &CaseConferenceHeld{} },

	TypeInformationRequestApproved:         func() Data { return &InformationRequestApproved{} },
	TypeInformationNoticeExceptionApproved: func() Data { return &InformationNoticeExceptionApproved{} },
	TypeInformationRequestSent:             func() Data { return &InformationRequestSent{} },
	TypeInformationRequestResponse:         func() Data { return &InformationRequestResponse{} },
	TypeInformationRequestWithdrawn:        func() Data { return &InformationRequestWithdrawn{} },
	TypeInformationRequestView:             func() Data { return &InformationRequestView{} },
	TypeDeviceExtractionRequested:          func() Data { return &DeviceExtractionRequested{} },
	TypeDeviceExtractionAnswered:           func() Data { return &DeviceExtractionAnswered{} },
	TypeDeviceExtractionWithdrawn:          func() Data { return &DeviceExtractionWithdrawn{} },
	TypeMaterialDecision:                   func() Data { return &MaterialDecision{} },
	TypeDisclosureDesignated:               func() Data { return &DisclosureDesignated{} },
	TypeRestrictedMaterialReceived:         func() Data { return &RestrictedMaterialReceived{} },
	TypeRestrictedMaterialRedacted:         func() Data { return &RestrictedMaterialRedacted{} },
}

var eventTypeOrder = []string{
	TypeCaseOpened, TypeFileSubmitted, TypeEarlyAdviceGiven, TypeActionPlanIssued, TypeActionItemCompleted,
	TypeChargingDecision, TypeCharged, TypeRemandStatusChanged, TypeAllocationDecided, TypeSentToCrownCourt, TypeHearingListed,
	TypeHearingVacated, TypeHearingHeld, TypeTrialStarted, TypeVerdict, TypeSentenced, TypeProsecutionStopped,
	TypeComplainantWithdrew, TypeVictimInformed, TypeContactPreferencesSet, TypeCTLExtended, TypeCaseClosed,
	TypeStage1Served, TypeStage2Served, TypeInformationRequested, TypeSpecialMeasuresApplied, TypeSpecialMeasuresDecided,
	TypeNamedContactChanged, TypeCallbackRequested, TypeCaseErased,
	TypeNewsReceived, TypeInformationNoticeException, TypePoliceNoFurtherAction, TypeReviewRequested, TypeReviewDecided,
	TypeWitnessRequirementDecided, TypeBailConditionsChanged, TypeWarrantIssued, TypeVictimPersonalStatement,
	TypeFileQualityAssessed, TypeFileQualityAnswered, TypeActionItemDisputed, TypeActionItemCancelled,
	TypeActionItemCommented, TypeDisputeResolved, TypeCaseTeamChanged, TypeCaseConferenceHeld,
	TypeInformationRequestApproved, TypeInformationNoticeExceptionApproved, TypeInformationRequestSent,
	TypeInformationRequestResponse, TypeInformationRequestWithdrawn, TypeInformationRequestView,
	TypeDeviceExtractionRequested, TypeDeviceExtractionAnswered, TypeDeviceExtractionWithdrawn,
	TypeMaterialDecision,
	TypeDisclosureDesignated, TypeRestrictedMaterialReceived, TypeRestrictedMaterialRedacted,
	TypeCallbackMade,
}

// Enumerations used by the payloads.
var (
	Sexes            = []string{"female", "male", "other", "not_stated"}
	Ethnicities      = []string{"asian", "black", "mixed", "white", "other", "not_stated"} // ONS 2021 high-level groups
	Languages        = []string{"en", "cy"}
	FilePurposes     = []string{"early_advice", "charging_decision"}
	Venues           = []string{"magistrates_court", "crown_court"}
	Owners           = []string{"police", "cps"}
	Decisions        = []string{"charge", "no_further_action", "further_investigation"}
	ChargeMethods    = []string{"custody", "bail", "postal_requisition"}
	RemandStatuses   = []string{"custody", "bail", "released"}
	HearingKinds     = []string{"first_appearance", "ptph", "mention", "ground_rules", "s28", "trial", "sentence"}
	Listings         = []string{"fixture", "floater", "warned"}
	HearingOutcomes  = []string{"effective", "cracked", "ineffective"}
	VerdictResults   = []string{"guilty", "guilty_plea", "not_guilty", "hung_jury"}
	StopHows         = []string{"discontinued", "no_evidence_offered", "charge_altered"}
	Channels         = []string{"email", "sms", "letter", "phone"}
	InformedChannels = []string{"email", "sms", "letter", "phone", "in_person", "portal"}
	Formats          = []string{"large_print", "easy_read", "braille", "audio"}
	// Materials are the kinds of third-party material a victim information
	// request may seek (PCSCA 2022 s.44A).
	Materials = []string{"counselling_notes", "therapy_notes", "medical", "education", "social_care", "devices", "other"}
	// SpecialMeasures are the measures of YJCEA 1999 ss.23–30.
	SpecialMeasures = []string{"screens", "live_link", "evidence_in_private", "removal_of_wigs_and_gowns", "video_recorded_interview", "s28_pre_recorded_cross_examination", "intermediary", "communication_aids"}
)

func oneOf(fe *fieldErrors, field, v string, allowed []string) {
	switch {
	case v == "":
		fe.add(field, "is required")
	case !slices.Contains(allowed, v):
		fe.add(field, "must be one of %s, not %q", strings.Join(allowed, ", "), v)
	}
}

func required(fe *fieldErrors, field, v string) {
	if strings.TrimSpace(v) == "" {
		fe.add(field, "is required")
	}
}

// partyID checks an identifier of a complainant, suspect, hearing, plan or item.
func partyID(fe *fieldErrors, field, v string) {
	if v == "" {
		fe.add(field, "is required")
		return
	}
	if len(v) > 40 || strings.ContainsAny(v, " \t\r\n:") {
		fe.add(field, "must be up to 40 characters without spaces or ':'")
	}
}

// Offence is one offence by its Home Office and CJS codes.
type Offence struct {
	HOCode  string `json:"ho_code"`
	CJSCode string `json:"cjs_code"`
}

func validateOffences(fe *fieldErrors, field string, offs []Offence) {
	if len(offs) == 0 {
		fe.add(field, "at least one offence is required")
	}
	for i, o := range offs {
		f := fmt.Sprintf("%s[%d]", field, i)
		_, hoOK := refdata.LookupHO(o.HOCode)
		_, cjsOK := refdata.LookupCJS(o.CJSCode)
		switch {
		case !hoOK:
			fe.add(f+".ho_code", "unknown Home Office offence code %q", o.HOCode)
		case !cjsOK:
			fe.add(f+".cjs_code", "unknown CJS offence code %q", o.CJSCode)
		case !refdata.Compatible(o.HOCode, o.CJSCode):
			fe.add(f+".cjs_code", "CJS code %s does not describe Home Office offence %s", o.CJSCode, o.HOCode)
		}
	}
}

// ComplainantRecord is a complainant as first recorded.
type ComplainantRecord struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	DateOfBirth string `json:"date_of_birth,omitempty"`
	Sex         string `json:"sex,omitempty"`
	Ethnicity   string `json:"ethnicity,omitempty"`
	// Enhanced is the Victims' Code enhanced service. Every victim of a sexual
	// offence is entitled to it, so absent means true.
	Enhanced *bool  `json:"enhanced,omitempty"`
	Language string `json:"language,omitempty"`
}

// SuspectRecord is a suspect as first recorded.
type SuspectRecord struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// CaseOpened records a report to the police; OccurredAt is the date reported.
type CaseOpened struct {
	Force        string              `json:"force"`
	CPSArea      string              `json:"cps_area"`
	Offences     []Offence           `json:"offences"`
	Complainants []ComplainantRecord `json:"complainants"`
	Suspects     []SuspectRecord     `json:"suspects"`
}

func (*CaseOpened) EventType() string { return TypeCaseOpened }
func (d *CaseOpened) validate(fe *fieldErrors) {
	force, ok := refdata.LookupForce(d.Force)
	if !ok {
		fe.add("force", "unknown police force code %q (use the PNC force code, e.g. \"13\")", d.Force)
	}
	if _, ok := refdata.LookupCPSArea(d.CPSArea); !ok {
		fe.add("cps_area", "unknown CPS area %q", d.CPSArea)
	} else if ok && force.Code != "" && !slices.Contains(force.CPSAreas, d.CPSArea) {
		fe.add("cps_area", "CPS area %s does not prosecute cases of %s", d.CPSArea, force.Name)
	}
	validateOffences(fe, "offences", d.Offences)
	if len(d.Complainants) == 0 {
		fe.add("complainants", "at least one complainant is required")
	}
	seen := map[string]bool{}
	for i, c := range d.Complainants {
		f := fmt.Sprintf("complainants[%d]", i)
		partyID(fe, f+".id", c.ID)
		if seen[c.ID] {
			fe.add(f+".id", "%q is used twice", c.ID)
		}
		seen[c.ID] = true
		required(fe, f+".name", c.Name)
		parseDate(fe, f+".date_of_birth", c.DateOfBirth, false)
		if c.Sex != "" {
			oneOf(fe, f+".sex", c.Sex, Sexes)
		}
		if c.Ethnicity != "" {
			oneOf(fe, f+".ethnicity", c.Ethnicity, Ethnicities)
		}
		if c.Language != "" {
			oneOf(fe, f+".language", c.Language, Languages)
		}
	}
	if len(d.Suspects) == 0 {
		fe.add("suspects", "at least one suspect is required")
	}
	for i, s := range d.Suspects {
		f := fmt.Sprintf("suspects[%d]", i)
		partyID(fe, f+".id", s.ID)
		if seen[s.ID] {
			fe.add(f+".id", "%q is used twice", s.ID)
		}
		seen[s.ID] = true
		required(fe, f+".name", s.Name)
	}
}

// FileSubmitted records the police sending a file to the CPS, and, when
// given, what it holds under the National File Standard (FileContents).
type FileSubmitted struct {
	SuspectID string        `json:"suspect_id"`
	Purpose   string        `json:"purpose"`
	Contents  []FileContent `json:"contents,omitempty"`
}

func (*FileSubmitted) EventType() string { return TypeFileSubmitted }
func (d *FileSubmitted) validate(fe *fieldErrors) {
	partyID(fe, "suspect_id", d.SuspectID)
	oneOf(fe, "purpose", d.Purpose, FilePurposes)
	validateContents(fe, d.Contents)
}

// EarlyAdviceGiven records the CPS's early investigative advice.
type EarlyAdviceGiven struct {
	SuspectID string `json:"suspect_id"`
}

func (*EarlyAdviceGiven) EventType() string          { return TypeEarlyAdviceGiven }
func (d *EarlyAdviceGiven) validate(fe *fieldErrors) { partyID(fe, "suspect_id", d.SuspectID) }

// ActionItem is one itemised action in a police–CPS action plan: what is
// asked (Category, Description), of which agency (Owner) and person
// (OwnerName), by when. Items recorded before categories and named owners
// have neither.
type ActionItem struct {
	ItemID      string `json:"item_id"`
	Category    string `json:"category,omitempty"`
	Description string `json:"description"`
	Owner       string `json:"owner"`
	OwnerName   string `json:"owner_name,omitempty"`
	Due         string `json:"due"`
}

// ActionPlanIssued records an action plan.
type ActionPlanIssued struct {
	PlanID string       `json:"plan_id"`
	Items  []ActionItem `json:"items"`
}

func (*ActionPlanIssued) EventType() string { return TypeActionPlanIssued }
func (d *ActionPlanIssued) validate(fe *fieldErrors) {
	partyID(fe, "plan_id", d.PlanID)
	validateItems(fe, d.Items, true)
}

// ActionItemCompleted records one action done.
type ActionItemCompleted struct {
	PlanID string `json:"plan_id"`
	ItemID string `json:"item_id"`
}

func (*ActionItemCompleted) EventType() string { return TypeActionItemCompleted }
func (d *ActionItemCompleted) validate(fe *fieldErrors) {
	partyID(fe, "plan_id", d.PlanID)
	partyID(fe, "item_id", d.ItemID)
}

// ChargingDecision records the CPS decision on a suspect.
type ChargingDecision struct {
	SuspectID string `json:"suspect_id"`
	Decision  string `json:"decision"`
}

func (*ChargingDecision) EventType() string { return TypeChargingDecision }
func (d *ChargingDecision) validate(fe *fieldErrors) {
	partyID(fe, "suspect_id", d.SuspectID)
	oneOf(fe, "decision", d.Decision, Decisions)
}

// Charged records a suspect charged; from now on a defendant.
type Charged struct {
	DefendantID string    `json:"defendant_id"`
	Offences    []Offence `json:"offences"`
	Method      string    `json:"method"`
}

func (*Charged) EventType() string { return TypeCharged }
func (d *Charged) validate(fe *fieldErrors) {
	partyID(fe, "defendant_id", d.DefendantID)
	validateOffences(fe, "offences", d.Offences)
	oneOf(fe, "method", d.Method, ChargeMethods)
}

// RemandStatusChanged records a defendant remanded in custody, bailed or released.
type RemandStatusChanged struct {
	DefendantID string `json:"defendant_id"`
	Status      string `json:"status"`
}

func (*RemandStatusChanged) EventType() string { return TypeRemandStatusChanged }
func (d *RemandStatusChanged) validate(fe *fieldErrors) {
	partyID(fe, "defendant_id", d.DefendantID)
	oneOf(fe, "status", d.Status, RemandStatuses)
}

// ProsecutionStopped records a prosecution discontinued, no evidence offered,
// or a charge altered (each a Victims' Right to Review decision).
type ProsecutionStopped struct {
	DefendantID string `json:"defendant_id"`
	How         string `json:"how"`
}

func (*ProsecutionStopped) EventType() string { return TypeProsecutionStopped }
func (d *ProsecutionStopped) validate(fe *fieldErrors) {
	partyID(fe, "defendant_id", d.DefendantID)
	oneOf(fe, "how", d.How, StopHows)
}

// CaseClosed records the end of the case.
type CaseClosed struct {
	Reason string `json:"reason"`
}

func (*CaseClosed) EventType() string          { return TypeCaseClosed }
func (d *CaseClosed) validate(fe *fieldErrors) { required(fe, "reason", d.Reason) }

// CaseErased records that a closed case's personal data was erased under the
// retention rules (DPA 2018 s.47). The store destroys the case's key in the
// same transaction: every sealed personal field then reads as Erased, and
// the log, which keeps every byte, still verifies.
type CaseErased struct {
	Reason string `json:"reason"` // e.g. "review under the retention policy: no further retention justified"
	// AgeBandAtReport is the first complainant's age band on the day she
	// reported (oversight.AgeBands), worked out from her date of birth
	// before its key is destroyed: a band of years, not her date of birth,
	// kept so that the oversight measures still place the case once the
	// date is gone. "" where it was not known.
	AgeBandAtReport string `json:"age_band_at_report,omitempty"`
}

func (*CaseErased) EventType() string { return TypeCaseErased }
func (d *CaseErased) validate(fe *fieldErrors) {
	required(fe, "reason", d.Reason)
	if len(d.AgeBandAtReport) > 16 {
		fe.add("age_band_at_report", "is an age band, such as 25_34")
	}
}
