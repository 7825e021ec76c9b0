package throughline

import (
	"slices"
	"strings"
)

// Actions a user may take. The case actions are about one case and are
// decided with its scope and the user's relation to it; the others are not.
const (
	// Not about one case.
	ActionListCases  = "list_cases"  // see the list of one's own cases
	ActionSearch     = "search"      // search cases by reference or name
	ActionAdminister = "administer"  // manage users and teams
	ActionReviewAll  = "review_list" // see the access-review page (the rows are then decided one by one with ActionReviewAccess)
	// ActionContactQueues: see the victim-contact work queues (failed
	// deliveries, complainants not updated); each row is then decided with
	// ActionReadCase.
	ActionContactQueues = "contact_queues"
	// ActionViewMeasures: see the oversight dashboards, aggregates of the
	// measures (docs/measures.md) that name no case: national for the
	// commissioner and inspectors, a supervisor's own force or CPS area
	// beside the national figure (Supervised says which).
	ActionViewMeasures = "view_measures"
	// ActionReviewCaseFiles: draw a case-file review's sample of closed
	// cases and see one's reviews (each case of it is then read with
	// ActionReadCase, under the review's relation).
	ActionReviewCaseFiles = "review_case_files"

	// About one case.
	ActionOpenCase   = "open_case"    // open a new case (the scope is the new case's force and area)
	ActionReadCase   = "read_case"    // see the case record (which parts: the Decision says)
	ActionReadEvents = "read_events"  // read the raw event log (API)
	ActionAppend     = "append_event" // record an event, send the victim a message, work her tasks
	// ActionRecord: record an event through the record forms or the events
	// API; which types, and about whom, CanRecord and CanRecordEvent decide.
	// A caseworker's answer is ActionAppend's; an ISVA's lets her relay the
	// wishes of the victims who consented to her (RelayedBy, ADR 0322).
	ActionRecord            = "record_event"
	ActionBreakGlass        = "break_glass"        // take emergency access to a case one is not on the team of
	ActionRecordConsent     = "record_consent"     // record a victim's consent to share with their ISVA
	ActionReadConsultations = "read_consultations" // see who consulted the case and why
	ActionManageCaseTeam    = "manage_case_team"   // add or remove case team members
	ActionReviewAccess      = "review_access"      // review a break-glass access to the case
	// ActionApproveCaseTeam: approve (or refuse) an addition to the case
	// team that needs a second person (see TeamAdditionImmediate).
	ActionApproveCaseTeam = "approve_case_team"
	// ActionVictimView: see the case as the victim sees it in the portal
	// (where it is, dates to come, who to contact, the messages sent).
	ActionVictimView = "victim_view"
)

// Actions lists every action; CaseActions those decided against a case.
var (
	Actions     = []string{ActionListCases, ActionSearch, ActionAdminister, ActionReviewAll, ActionContactQueues, ActionViewMeasures, ActionReviewCaseFiles, ActionOpenCase, ActionReadCase, ActionReadEvents, ActionAppend, ActionRecord, ActionBreakGlass, ActionRecordConsent, ActionReadConsultations, ActionManageCaseTeam, ActionReviewAccess, ActionVictimView, ActionApproveCaseTeam}
	CaseActions = []string{ActionOpenCase, ActionReadCase, ActionReadEvents, ActionAppend, ActionRecord, ActionBreakGlass, ActionRecordConsent, ActionReadConsultations, ActionManageCaseTeam, ActionReviewAccess, ActionVictimView, ActionApproveCaseTeam}
)

// Parts of a case record. A read's Decision names the parts the user may
// see, and the consultation log records the parts they were shown.
const (
	PartSummary       = "summary"       // reference, force, area, stage, dates
	PartParties       = "parties"       // complainants' and defendants' names and stages
	PartOffences      = "offences"      // the offences
	PartKeyDates      = "key_dates"     // milestones
	PartHearings      = "hearings"      // hearings and their outcomes
	PartTimeline      = "timeline"      // every event, in plain English
	PartVictim        = "victim"        // the victim's contact preferences, updates, special measures
	PartWork          = "work"          // deadlines, messages, action plans, material requests
	PartEvents        = "events"        // the raw event log (API)
	PartTeam          = "team"          // who is on the case team
	PartConsultations = "consultations" // the consultation log itself
	PartSearch        = "search_result" // a name matched by a search
)

// Parts lists every part of a case record shown to staff in full.
var allParts = []string{PartSummary, PartParties, PartOffences, PartKeyDates, PartHearings, PartTimeline, PartVictim, PartWork, PartTeam}

// CaseScope is what the policy needs to know about a case: its reference
// and the force and CPS area it belongs to.
type CaseScope struct {
	Ref     string
	Force   string
	CPSArea string
}

// ScopeOf returns the scope of a case.
func ScopeOf(c *Case) CaseScope { return CaseScope{Ref: c.Ref, Force: c.Force, CPSArea: c.CPSArea} }

// Relation is how a user stands to one case, as the store records it.
type Relation struct {
	// OnTeam: the user is on the case team, in person or through a team.
	OnTeam bool
	// BreakGlass is the id of the user's unexpired break-glass access to
	// the case ("" if none), and BreakGlassReason the justification typed.
	BreakGlass       string
	BreakGlassReason string
	// Consented lists the complainants whose consent to share their case
	// with the user's ISVA organisation is recorded and not withdrawn.
	Consented []string
	// Review is the id of a case-file review whose sample holds the case,
	// with the user among its reviewers and its window still open ("" if
	// none), and ReviewTitle its title.
	Review      string
	ReviewTitle string
}

// Bases of an allowed decision: why the user may do it.
const (
	BasisTeam       = "case_team"
	BasisSupervisor = "supervisor"
	BasisBreakGlass = "break_glass"
	BasisConsent    = "victim_consent"
	BasisAdmin      = "administrator"
	BasisReview     = "case_file_review"
	BasisRole       = "role"
)

// Decision is the policy's answer.
type Decision struct {
	Allowed bool
	// Basis says why (one of the Basis constants); Purpose is what the
	// consultation log records as the purpose of a read: the user's role on
	// the case by default, the typed justification for a break-glass.
	Basis   string
	Purpose string
	// Parts are the parts of the case the user may see (read actions).
	Parts []string
	// Complainants, when not nil, are the only complainants the user may
	// see (an ISVA sees those whose consent stands).
	Complainants []string
	// VictimFacing: only what the victim may be told is shown (an ISVA's
	// view): no internal work, no other complainants.
	VictimFacing bool
	// Pseudonymise: names are replaced by stable pseudonyms and contact
	// details are withheld (an inspector's view).
	Pseudonymise bool
	// SmallNumbers: aggregates are shown with small numbers withheld (the
	// commissioner's view of the measures: no figure may single out a
	// case), as the open data's disclosure control withholds them.
	SmallNumbers bool
}

// Has reports whether the decision shows part p.
func (d Decision) Has(p string) bool { return d.Allowed && slices.Contains(d.Parts, p) }

// WithholdsFreeText reports whether text a person typed (a reason, a
// description) is withheld from this view: it may name anyone, so a
// pseudonymised view (an inspector's) and a victim-facing one (an ISVA's,
// which must not show the other complainants) never show it. Every output
// asks this; none decides it for itself.
func (d Decision) WithholdsFreeText() bool { return d.Pseudonymise || d.VictimFacing }

// ShowsComplainant reports whether the decision shows complainant id.
func (d Decision) ShowsComplainant(id string) bool {
	return d.Allowed && (d.Complainants == nil || slices.Contains(d.Complainants, id))
}

var deny = Decision{}

// roleNames are the roles in words, for purposes and pages.
var roleNames = map[string]string{
	RoleOfficer:          "officer in the case",
	RolePoliceSupervisor: "police supervisor",
	RoleProsecutor:       "prosecutor",
	RoleParalegal:        "CPS paralegal",
	RoleCPSManager:       "CPS manager",
	RoleVLU:              "Victim Liaison Unit",
	RoleWitnessCare:      "Witness Care officer",
	RoleISVA:             "ISVA",
	RoleInspector:        "inspector",
	RoleCommissioner:     "commissioner",
	RoleAdmin:            "administrator",
}

// RoleName returns a role in words.
func RoleName(role string) string {
	if n, ok := roleNames[role]; ok {
		return n
	}
	return role
}

// inScope reports whether a case belongs to the user's own agency: the
// force for the police and Witness Care, the area for the CPS.
func inScope(a Agency, c *CaseScope) bool {
	if c == nil {
		return false
	}
	switch a.Kind {
	case "police", "wcu":
		return c.Force == a.ID
	case "cps":
		return c.CPSArea == a.ID
	}
	return false
}

// caseworkers are the roles that work cases: on the team they see and
// change the whole record.
var caseworkers = []string{RoleOfficer, RolePoliceSupervisor, RoleProsecutor, RoleParalegal, RoleCPSManager, RoleVLU, RoleWitnessCare}

// supervisors are the roles that supervise every case of their own agency,
// with the kind of agency they supervise for: a police supervisor their
// force's cases, a CPS manager their CPS area's.
var supervisors = map[string]string{RolePoliceSupervisor: "police", RoleCPSManager: "cps"}

// Supervised returns the agency whose cases u supervises without being on
// their teams (police:13 for a police supervisor of West Yorkshire, cps:<area>
// for a CPS manager), and false for everyone else. The store lists those
// cases with it; Can still decides each one.
func Supervised(u User) (Agency, bool) {
	a, err := ParseAgency(u.Agency)
	if err != nil || u.Disabled || supervisors[u.Role] != a.Kind {
		return Agency{}, false
	}
	return a, true
}

// Can decides whether u may take action on the case of scope c (nil for
// actions not about one case), given how u stands to it. It is the one
// policy function: the API and every page ask it, and the access matrix
// test checks it for every role, action and relation.
//
// Deny by default. Need-to-know follows the case team: everyone sees the
// cases whose team they are on, a police supervisor also every case of
// their force and a CPS manager every case of their CPS area.
// Administrators and the commissioner see no case data (the commissioner
// sees the measures' aggregates only). An ISVA on the team sees the
// victim-facing parts only, and only while the victim's consent stands. An
// inspector on the team sees pseudonymised data. A caseworker off the team
// may break the glass on a case of their own agency: read-only, for a
// limited time, with a typed justification that is logged and reviewed.
func Can(u User, action string, c *CaseScope, rel Relation) Decision {
	if u.Disabled {
		return deny
	}
	a, err := ParseAgency(u.Agency)
	if err != nil || !slices.Contains(Roles, u.Role) {
		return deny
	}
	role := u.Role
	scope := inScope(a, c)
	supervises := supervisors[role] == a.Kind && scope
	supervisorPurpose := RoleName(role) + " (" + a.Name() + ")"
	// A break-glass counts only on a case of the user's own agency and only
	// for caseworkers who are not already entitled.
	glass := rel.BreakGlass != "" && scope && slices.Contains(caseworkers, role) && !rel.OnTeam && !supervises
	teamPurpose := RoleName(role) + " (case team)"
	allow := func(basis, purpose string, parts ...string) Decision {
		return Decision{Allowed: true, Basis: basis, Purpose: purpose, Parts: parts}
	}
	// caseworker is the entitlement of a caseworker: team, or supervision.
	caseworker := func(parts ...string) Decision {
		switch {
		case !slices.Contains(caseworkers, role):
			return deny
		case rel.OnTeam:
			return allow(BasisTeam, teamPurpose, parts...)
		case supervises:
			return allow(BasisSupervisor, supervisorPurpose, parts...)
		}
		return deny
	}
	switch action {
	case ActionListCases, ActionSearch:
		if c != nil || role == RoleAdmin || role == RoleCommissioner {
			return deny
		}
		return allow(BasisRole, RoleName(role))
	case ActionAdminister:
		if c != nil || role != RoleAdmin {
			return deny
		}
		return allow(BasisAdmin, "administration")
	case ActionReviewAll:
		if c != nil || role != RolePoliceSupervisor {
			return deny
		}
		return allow(BasisRole, "access review")
	case ActionContactQueues:
		if c != nil || (role != RoleWitnessCare && role != RoleVLU && role != RolePoliceSupervisor) {
			return deny
		}
		return allow(BasisRole, "victim contact work")
	case ActionViewMeasures:
		_, supervisor := Supervised(u)
		if c != nil || !(supervisor || role == RoleCommissioner || role == RoleInspector) {
			return deny
		}
		d := allow(BasisRole, "oversight measures (aggregates)")
		d.SmallNumbers = role == RoleCommissioner
		return d
	case ActionReviewCaseFiles:
		if c != nil || role != RoleInspector {
			return deny
		}
		return allow(BasisRole, "case-file review")
	}
	if c == nil {
		return deny
	}
	switch action {
	case ActionOpenCase:
		// A police reference is numbered by its force: an officer opens
		// cases of their own force, under their own force's numbers only.
		if (role == RoleOfficer || role == RolePoliceSupervisor) && a.Kind == "police" && c.Force == a.ID && ReferenceForce(c.Ref, a.ID) {
			return allow(BasisRole, "opening a case")
		}
		return deny
	case ActionReadCase:
		switch role {
		case RoleISVA:
			if rel.OnTeam && len(rel.Consented) > 0 {
				d := allow(BasisConsent, "ISVA support (victim's consent recorded)", PartSummary, PartParties, PartKeyDates, PartHearings, PartTimeline, PartVictim)
				d.Complainants = slices.Clone(rel.Consented)
				d.VictimFacing = true
				return d
			}
			return deny
		case RoleInspector:
			parts := []string{PartSummary, PartParties, PartOffences, PartKeyDates, PartHearings, PartTimeline, PartWork, PartTeam}
			var d Decision
			switch {
			case rel.OnTeam:
				d = allow(BasisTeam, "inspection (case team)", parts...)
			case rel.Review != "":
				// A case drawn for a review the inspector is on, while
				// its window is open (ADR 0254).
				d = allow(BasisReview, "case-file review: "+rel.ReviewTitle, parts...)
			default:
				return deny
			}
			d.Pseudonymise = true
			return d
		}
		if d := caseworker(allParts...); d.Allowed {
			return d
		}
		if glass {
			return allow(BasisBreakGlass, "break-glass: "+rel.BreakGlassReason, allParts...)
		}
		return deny
	case ActionReadEvents:
		if d := caseworker(PartEvents); d.Allowed {
			return d
		}
		if glass {
			return allow(BasisBreakGlass, "break-glass: "+rel.BreakGlassReason, PartEvents)
		}
		return deny
	case ActionAppend:
		return caseworker()
	case ActionRecord:
		// An ISVA records nothing of the case's own; she relays what a
		// victim who consented to her asks (RelayedEvents), about that
		// victim only: CanRecordEvent holds her to Complainants.
		if role == RoleISVA {
			if rel.OnTeam && len(rel.Consented) > 0 {
				d := allow(BasisConsent, "ISVA support: relaying the victim's wishes (victim's consent recorded)")
				d.Complainants = slices.Clone(rel.Consented)
				d.VictimFacing = true
				return d
			}
			return deny
		}
		return caseworker()
	case ActionBreakGlass:
		if slices.Contains(caseworkers, role) && scope && !rel.OnTeam && !supervises && rel.BreakGlass == "" {
			return allow(BasisBreakGlass, "break-glass")
		}
		return deny
	case ActionRecordConsent:
		switch role {
		case RoleOfficer, RolePoliceSupervisor, RoleVLU, RoleWitnessCare:
			return caseworker(PartVictim)
		}
		return deny
	case ActionReadConsultations:
		switch {
		case supervises || (supervisors[role] != "" && rel.OnTeam):
			return caseworker(PartConsultations)
		case role == RoleInspector && rel.OnTeam:
			return allow(BasisTeam, "inspection (case team)", PartConsultations)
		}
		return deny
	case ActionManageCaseTeam:
		switch {
		case role == RoleAdmin:
			return allow(BasisAdmin, "administration")
		case supervises:
			return allow(BasisSupervisor, supervisorPurpose, PartTeam)
		}
		return deny
	case ActionApproveCaseTeam:
		// A second person of the case's own agency: its supervisor, or a
		// caseworker of its force or area on its team. Never an
		// administrator, never by break-glass.
		switch {
		case supervises:
			return allow(BasisSupervisor, supervisorPurpose, PartTeam)
		case slices.Contains(caseworkers, role) && rel.OnTeam && scope:
			return allow(BasisTeam, teamPurpose, PartTeam)
		}
		return deny
	case ActionReviewAccess:
		// Break-glass accesses are reviewed by the police supervisor of the
		// case's force (ADR 0300: not yet by a CPS manager).
		if supervises && role == RolePoliceSupervisor {
			return allow(BasisSupervisor, "access review", PartConsultations)
		}
		return deny
	case ActionVictimView:
		// The victim's own view: for their ISVA while their consent stands
		// (those complainants only), and for the team members who keep the
		// victim informed. Not by supervision or break-glass: the full
		// record serves those.
		switch role {
		case RoleISVA:
			if rel.OnTeam && len(rel.Consented) > 0 {
				d := allow(BasisConsent, "ISVA support (victim's consent recorded)", victimViewParts...)
				d.Complainants = slices.Clone(rel.Consented)
				d.VictimFacing = true
				return d
			}
		case RoleOfficer, RoleVLU, RoleWitnessCare:
			if rel.OnTeam {
				return allow(BasisTeam, teamPurpose, victimViewParts...)
			}
		}
		return deny
	}
	return deny
}

// police, cps and wcu are the caseworker roles of each agency.
var (
	police = []string{RoleOfficer, RolePoliceSupervisor}
	cps    = []string{RoleProsecutor, RoleParalegal, RoleCPSManager}
	wcu    = []string{RoleWitnessCare}
	victim = []string{RoleOfficer, RolePoliceSupervisor, RoleVLU, RoleWitnessCare} // who keeps the victim informed
)

func roles(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		for _, r := range l {
			if !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}

// Recorders are, for each event type, the roles that may record it: each
// agency records what it decides or learns first-hand. Only the CPS makes
// a charging decision, gives early advice, assesses a file's quality,
// stops a prosecution or serves its case; only the police charge, submit
// files, answer a file-quality assessment and seek a victim's third-party
// material; either issues action plans to the other; a dispute is settled
// by a police supervisor and a CPS manager, each recording their side; the court's decisions (listings, outcomes,
// verdicts) are recorded by the CPS and Witness Care, who hear them; those
// who keep the victim informed record what the victim was told and wants.
// Nobody records an erasure here (records management does, with `case
// erase`). The role must also be entitled to ActionAppend on the case.
var Recorders = map[string][]string{
	TypeCaseOpened:             police,
	TypeFileSubmitted:          police,
	TypeEarlyAdviceGiven:       cps,
	TypeActionPlanIssued:       roles(police, cps),
	TypeActionItemCompleted:    roles(police, cps),
	TypeChargingDecision:       cps,
	TypeCharged:                police,
	TypeRemandStatusChanged:    roles(police, cps, wcu),
	TypeSentToCrownCourt:       cps,
	TypeAllocationDecided:      roles(cps, wcu),
	TypeHearingListed:          roles(cps, wcu),
	TypeHearingVacated:         roles(cps, wcu),
	TypeHearingHeld:            roles(cps, wcu),
	TypeTrialStarted:           roles(cps, wcu),
	TypeVerdict:                roles(cps, wcu),
	TypeSentenced:              roles(cps, wcu),
	TypeProsecutionStopped:     cps,
	TypeComplainantWithdrew:    roles(police, cps, wcu),
	TypeVictimInformed:         victim,
	TypeContactPreferencesSet:  victim,
	TypeCTLExtended:            cps,
	TypeCaseClosed:             roles(police, cps),
	TypeStage1Served:           cps,
	TypeStage2Served:           cps,
	TypeInformationRequested:   police,
	TypeSpecialMeasuresApplied: cps,
	TypeSpecialMeasuresDecided: roles(cps, wcu),
	TypeNamedContactChanged:    roles(police, wcu),
	TypeCallbackRequested:      roles(police, cps, []string{RoleVLU}, wcu, RelayedBy),
	TypeCallbackMade:           victim,
	TypeCaseErased:             nil,

	// The Witness Care Unit records what it received and when; the police
	// their own decisions and notices; a review by the scheme that holds it.
	TypeNewsReceived:               wcu,
	TypeInformationNoticeException: police,
	TypePoliceNoFurtherAction:      police,
	TypeReviewRequested:            roles(police, cps, []string{RoleVLU}),
	TypeReviewDecided:              roles(police, cps, []string{RoleVLU}),
	TypeWitnessRequirementDecided:  roles(cps, wcu),
	TypeBailConditionsChanged:      roles(police, cps, wcu),
	TypeWarrantIssued:              roles(police, cps, wcu),
	TypeVictimPersonalStatement:    roles(police, wcu),
	TypeFileQualityAssessed:        cps,
	TypeFileQualityAnswered:        police,
	TypeActionItemDisputed:         roles(police, cps),
	TypeActionItemCancelled:        roles(police, cps),
	TypeActionItemCommented:        roles(police, cps),
	TypeDisputeResolved:            {RolePoliceSupervisor, RoleCPSManager},
	TypeCaseTeamChanged:            roles(police, cps, wcu),
	TypeCaseConferenceHeld:         roles(police, cps),

	// A victim information request's workflow (data_request_flow.go): the
	// police make it and record what the holder answered; a police
	// supervisor approves a request or an exception to notice; the view on
	// it is a prosecutor's.
	TypeInformationRequestApproved:         {RolePoliceSupervisor},
	TypeInformationNoticeExceptionApproved: {RolePoliceSupervisor},
	TypeInformationRequestSent:             police,
	TypeInformationRequestResponse:         police,
	TypeInformationRequestWithdrawn:        police,
	TypeInformationRequestView:             {RoleProsecutor, RoleCPSManager},
	TypeDeviceExtractionRequested:          police,
	TypeDeviceExtractionAnswered:           police,
	TypeDeviceExtractionWithdrawn:          police,
	// A decision not to seek or to withhold material, and its review, is
	// the police's or the CPS's (data_material.go).
	TypeMaterialDecision: roles(police, cps),
	// Restricted material and the designations that open it are recorded
	// through their own routes only, which ask CanDesignate and
	// CanHoldRestricted (data_restricted.go): the material must be stored
	// with its event, and a designation names a user who must be checked.
	TypeDisclosureDesignated:       nil,
	TypeRestrictedMaterialReceived: nil,
	TypeRestrictedMaterialRedacted: nil,
}

// RelayedBy are the roles that record nothing of a case's own but relay
// what a victim who consented to them asks: an ISVA passes on that the
// victim wants a call back, and when (ADR 0322). They record only the
// types that list them among their Recorders, about those victims only.
var RelayedBy = []string{RoleISVA}

// CanRecord decides whether u may record an event of type typ on the case
// of scope c: the role must be one of the type's Recorders and entitled to
// ActionRecord on the case (for a case_opened, ActionOpenCase). A decision
// whose Complainants is not nil allows only events about those
// complainants: CanRecordEvent decides a given event.
func CanRecord(u User, typ string, c *CaseScope, rel Relation) Decision {
	if !slices.Contains(Recorders[typ], u.Role) {
		return deny
	}
	if typ == TypeCaseOpened {
		return Can(u, ActionOpenCase, c, rel)
	}
	return Can(u, ActionRecord, c, rel)
}

// CanRecordEvent decides whether u may record event e on the case of scope
// c: CanRecord for its type and, where that limits whom u records about
// (an ISVA: the victims who consented to her), an event about one of them.
func CanRecordEvent(u User, e Event, c *CaseScope, rel Relation) Decision {
	d := CanRecord(u, e.Type, c, rel)
	if !d.Allowed || d.Complainants == nil {
		return d
	}
	about, ok := e.Data.(interface{ complainant() string })
	if !ok || !slices.Contains(d.Complainants, about.complainant()) {
		return deny
	}
	return d
}

// MayRecord reports whether u's role may record events of type typ on any
// case: the edge asks it once the case's own decision has been taken.
func MayRecord(u User, typ string) bool { return slices.Contains(Recorders[typ], u.Role) }

// TeamAdditionImmediate reports whether actor's adding a member of agency
// memberAgency to the team of case c takes effect at once. Administration
// never grants case access on its own: only the case's own supervisor may
// add, at once, a member of their own agency. Any other addition (by an
// administrator, or of a member of another agency) is a request that a
// second person approves (ActionApproveCaseTeam); both are logged.
// Removals always take effect at once.
func TeamAdditionImmediate(actor User, memberAgency string, c CaseScope, rel Relation) bool {
	d := Can(actor, ActionManageCaseTeam, &c, rel)
	return d.Allowed && d.Basis == BasisSupervisor && memberAgency == actor.Agency
}

// victimViewParts are the parts of a case the victim's portal view shows.
var victimViewParts = []string{PartSummary, PartKeyDates, PartHearings, PartVictim}

// IsCaseAction reports whether action is decided against one case.
func IsCaseAction(action string) bool { return slices.Contains(CaseActions, action) }

// VictimFacingEvent reports whether an event of type typ is something the
// victim is told of, and so part of an ISVA's view of the timeline.
func VictimFacingEvent(typ string) bool {
	switch typ {
	case TypeCaseOpened, TypeChargingDecision, TypeCharged, TypeRemandStatusChanged, TypeSentToCrownCourt,
		TypeHearingListed, TypeHearingVacated, TypeHearingHeld, TypeTrialStarted, TypeVerdict, TypeSentenced,
		TypeProsecutionStopped, TypeComplainantWithdrew, TypeVictimInformed, TypeContactPreferencesSet,
		TypeCaseClosed, TypeInformationRequested, TypeSpecialMeasuresApplied, TypeSpecialMeasuresDecided,
		TypePoliceNoFurtherAction, TypeReviewRequested, TypeReviewDecided, TypeWitnessRequirementDecided,
		TypeBailConditionsChanged, TypeWarrantIssued, TypeVictimPersonalStatement,
		TypeDeviceExtractionRequested, TypeDeviceExtractionAnswered, TypeDeviceExtractionWithdrawn:
		return true
	}
	return false
}

// Pseudonym returns a stable pseudonym for a person, from a keyed digest
// the caller computes (the store keeps the key): "Person K7QF-2M".
func Pseudonym(kind string, digest []byte) string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789" // no 0/O, 1/I
	var b strings.Builder
	switch kind {
	case "complainant":
		b.WriteString("Complainant ")
	case "defendant":
		b.WriteString("Defendant ")
	default:
		b.WriteString("Person ")
	}
	for i := 0; i < 6 && i < len(digest); i++ {
		if i == 4 {
			b.WriteByte('-')
		}
		b.WriteByte(alphabet[int(digest[i])%len(alphabet)])
	}
	return b.String()
}
