package throughline

import (
	"fmt"

	"throughline/refdata"
)

// The court stage of the event vocabulary: sending for trial, hearings and
// their outcomes, trial, verdict and sentence, custody time limits, case
// management stages and special measures.

// SentToCrownCourt records a defendant sent for trial.
type SentToCrownCourt struct {
	DefendantID string `json:"defendant_id"`
	Court       string `json:"court"`
}

func (*SentToCrownCourt) EventType() string { return TypeSentToCrownCourt }
func (d *SentToCrownCourt) validate(fe *fieldErrors) {
	partyID(fe, "defendant_id", d.DefendantID)
	if _, ok := refdata.LookupCrownCourt(d.Court); !ok {
		fe.add("court", "unknown Crown Court centre %q", d.Court)
	}
}

// AllocationDecided records where a magistrates' court decided a defendant's
// offences triable either way are to be tried (Magistrates' Courts Act 1980
// ss.19–24, the defendant's election included): in the magistrates' court
// (summary trial) or the Crown Court. It matters to the custody time limit:
// summary trial decided on before 56 days in custody from the first
// appearance makes the magistrates' limit 56 days, not 70 (Custody Time
// Limits Regulations 1987 reg. 4(4)). An offence triable only on indictment,
// such as rape, is sent under s.51 Crime and Disorder Act 1998 without
// allocation.
type AllocationDecided struct {
	DefendantID string `json:"defendant_id"`
	Venue       string `json:"venue"`
}

func (*AllocationDecided) EventType() string { return TypeAllocationDecided }
func (d *AllocationDecided) validate(fe *fieldErrors) {
	partyID(fe, "defendant_id", d.DefendantID)
	oneOf(fe, "venue", d.Venue, Venues)
}

// HearingListed records a hearing listed, or an existing one moved.
type HearingListed struct {
	HearingID string `json:"hearing_id"`
	Kind      string `json:"kind"`
	Court     string `json:"court"`
	StartsAt  string `json:"starts_at"`
	Listing   string `json:"listing"`
}

func (*HearingListed) EventType() string { return TypeHearingListed }
func (d *HearingListed) validate(fe *fieldErrors) {
	partyID(fe, "hearing_id", d.HearingID)
	oneOf(fe, "kind", d.Kind, HearingKinds)
	required(fe, "court", d.Court)
	if _, ok := refdata.CourtName(d.Court); !ok && d.Court != "" {
		fe.add("court", "unknown court %q: choose a Crown Court centre or magistrates' court from the reference data", d.Court)
	}
	parseWhen(fe, "starts_at", d.StartsAt, true)
	oneOf(fe, "listing", d.Listing, Listings)
}

// HearingVacated records a hearing taken out of the list before it sat.
type HearingVacated struct {
	HearingID string `json:"hearing_id"`
	Reason    string `json:"reason"`
}

func (*HearingVacated) EventType() string { return TypeHearingVacated }
func (d *HearingVacated) validate(fe *fieldErrors) {
	partyID(fe, "hearing_id", d.HearingID)
	required(fe, "reason", d.Reason)
}

// Reason is a coded reason with its words, in the style of HMCTS's
// cracked and ineffective trial monitoring, so that the reasons can be
// counted across cases.
type Reason struct {
	Code string
	Text string
}

// IneffectiveReasons are why a trial listed to start did not, and has to be
// relisted.
var IneffectiveReasons = []Reason{
	{"prosecution_witness_absent", "Prosecution witness absent"},
	{"prosecution_not_ready", "Prosecution not ready (including disclosure)"},
	{"prosecution_advocate_absent", "Prosecution advocate absent or engaged elsewhere"},
	{"defence_not_ready", "Defence not ready"},
	{"defence_witness_absent", "Defence witness absent"},
	{"defence_advocate_absent", "Defence advocate absent or engaged elsewhere"},
	{"defendant_absent", "Defendant absent or unfit to stand trial"},
	{"defendant_not_produced", "Defendant in custody not produced"},
	{"no_courtroom_or_judge", "No judge or courtroom available (over-listing)"},
	{"insufficient_time", "Insufficient time: another case over-ran"},
	{"interpreter_unavailable", "Interpreter not available"},
	{"special_measures_not_ready", "Special measures equipment or arrangements not ready"},
	{"other", "Other reason (recorded in the case notes)"},
}

// CrackedReasons are why a trial ended on the day without a trial.
var CrackedReasons = []Reason{
	{"late_guilty_plea", "Guilty plea to the original charge, entered late"},
	{"plea_to_alternative", "Guilty plea to an alternative charge"},
	{"prosecution_offered_no_evidence", "Prosecution offered no evidence"},
	{"complainant_withdrew", "Complainant no longer able to support the prosecution"},
	{"prosecution_discontinued", "Prosecution discontinued"},
	{"other", "Other reason (recorded in the case notes)"},
}

// ReasonText returns the words for a reason code of the given outcome.
func ReasonText(outcome, code string) string {
	list := IneffectiveReasons
	if outcome == "cracked" {
		list = CrackedReasons
	}
	for _, r := range list {
		if r.Code == code {
			return r.Text
		}
	}
	return code
}

func reasonCodes(list []Reason) []string {
	out := make([]string, len(list))
	for i, r := range list {
		out[i] = r.Code
	}
	return out
}

// HearingHeld records a hearing that sat, and whether it was effective. A
// cracked or ineffective trial carries a coded reason.
type HearingHeld struct {
	HearingID string `json:"hearing_id"`
	Outcome   string `json:"outcome"`
	Reason    string `json:"reason,omitempty"`
}

func (*HearingHeld) EventType() string { return TypeHearingHeld }
func (d *HearingHeld) validate(fe *fieldErrors) {
	partyID(fe, "hearing_id", d.HearingID)
	oneOf(fe, "outcome", d.Outcome, HearingOutcomes)
	switch d.Outcome {
	case "ineffective":
		oneOf(fe, "reason", d.Reason, reasonCodes(IneffectiveReasons))
	case "cracked":
		oneOf(fe, "reason", d.Reason, reasonCodes(CrackedReasons))
	}
}

// TrialStarted records the first day of a trial.
type TrialStarted struct {
	HearingID string `json:"hearing_id"`
}

func (*TrialStarted) EventType() string          { return TypeTrialStarted }
func (d *TrialStarted) validate(fe *fieldErrors) { partyID(fe, "hearing_id", d.HearingID) }

// Verdict records a plea or the jury's verdict.
type Verdict struct {
	DefendantID string `json:"defendant_id"`
	Result      string `json:"result"`
}

func (*Verdict) EventType() string { return TypeVerdict }
func (d *Verdict) validate(fe *fieldErrors) {
	partyID(fe, "defendant_id", d.DefendantID)
	oneOf(fe, "result", d.Result, VerdictResults)
}

// Sentenced records a convicted defendant sentenced. CustodialMonths, when
// given, is the length of the custodial sentence (or hospital order) in whole
// months, 0 for a non-custodial one: the Victim Contact Scheme is for victims
// of a sexual or violent offence whose offender is sentenced to 12 months or
// more. It is optional: a sentence recorded without it says nothing of its
// length, and events recorded before it existed stay valid.
type Sentenced struct {
	DefendantID     string `json:"defendant_id"`
	CustodialMonths *int   `json:"custodial_months,omitempty"`
}

// MaxCustodialMonths bounds custodial_months (100 years): a check on typing,
// not a sentencing rule.
const MaxCustodialMonths = 1200

// IntRanges are the inclusive bounds the validators put on integer payload
// fields, by JSON name, for the published schemas.
var IntRanges = map[string][2]int{"custodial_months": {0, MaxCustodialMonths}}

func (*Sentenced) EventType() string { return TypeSentenced }
func (d *Sentenced) validate(fe *fieldErrors) {
	partyID(fe, "defendant_id", d.DefendantID)
	if m := d.CustodialMonths; m != nil && (*m < 0 || *m > MaxCustodialMonths) {
		fe.add("custodial_months", "must be between 0 and %d months", MaxCustodialMonths)
	}
}

// CTLExtended records a court's decision on extending a custody time limit.
type CTLExtended struct {
	DefendantID string `json:"defendant_id"`
	ExpiresOn   string `json:"expires_on"`
	Decision    string `json:"decision"`
}

func (*CTLExtended) EventType() string { return TypeCTLExtended }
func (d *CTLExtended) validate(fe *fieldErrors) {
	partyID(fe, "defendant_id", d.DefendantID)
	parseDate(fe, "expires_on", d.ExpiresOn, true)
	required(fe, "decision", d.Decision)
}

// Stage1Served records the prosecution case served (Better Case Management
// Stage 1). An empty defendant_id means every defendant sent for trial.
type Stage1Served struct {
	DefendantID string `json:"defendant_id,omitempty"`
}

func (*Stage1Served) EventType() string { return TypeStage1Served }
func (d *Stage1Served) validate(fe *fieldErrors) {
	if d.DefendantID != "" {
		partyID(fe, "defendant_id", d.DefendantID)
	}
}

// Stage2Served records the defence response (BCM Stage 2).
type Stage2Served struct {
	DefendantID string `json:"defendant_id,omitempty"`
}

func (*Stage2Served) EventType() string { return TypeStage2Served }
func (d *Stage2Served) validate(fe *fieldErrors) {
	if d.DefendantID != "" {
		partyID(fe, "defendant_id", d.DefendantID)
	}
}

// SpecialMeasuresApplied records an application for special measures for a
// complainant's evidence (YJCEA 1999 ss.23–30).
type SpecialMeasuresApplied struct {
	ComplainantID string   `json:"complainant_id"`
	Measures      []string `json:"measures"`
}

func (*SpecialMeasuresApplied) EventType() string { return TypeSpecialMeasuresApplied }
func (d *SpecialMeasuresApplied) validate(fe *fieldErrors) {
	partyID(fe, "complainant_id", d.ComplainantID)
	validateMeasures(fe, d.Measures)
}

// SpecialMeasuresDecided records the court's decision on an application.
type SpecialMeasuresDecided struct {
	ComplainantID string   `json:"complainant_id"`
	Granted       []string `json:"granted"`
	Refused       []string `json:"refused,omitempty"`
}

func (*SpecialMeasuresDecided) EventType() string { return TypeSpecialMeasuresDecided }
func (d *SpecialMeasuresDecided) validate(fe *fieldErrors) {
	partyID(fe, "complainant_id", d.ComplainantID)
	if len(d.Granted)+len(d.Refused) == 0 {
		fe.add("granted", "name the measures granted or refused")
	}
	for i, m := range append(append([]string(nil), d.Granted...), d.Refused...) {
		oneOf(fe, fmt.Sprintf("measures[%d]", i), m, SpecialMeasures)
	}
}

func validateMeasures(fe *fieldErrors, ms []string) {
	if len(ms) == 0 {
		fe.add("measures", "at least one measure is required")
	}
	for i, m := range ms {
		oneOf(fe, fmt.Sprintf("measures[%d]", i), m, SpecialMeasures)
	}
}
