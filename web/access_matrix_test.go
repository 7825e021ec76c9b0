package web

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"throughline"
)

// The access policy as a matrix: every role × every action × every
// relation to the case. The expectations are written out here, apart from
// the policy, so that a change to either shows as a failure.

// Relations of a user to a case.
const (
	relTeam      = 'T' // on the case team; the case is of the user's own force/area
	relTeamAway  = 'E' // on the case team; the case is of another force/area
	relSameScope = 'S' // not on the team; the case is of the user's own force/area
	relOther     = 'O' // not on the team; another force/area
	relGlass     = 'B' // not on the team; own force/area; a live break-glass access
	relReview    = 'R' // not on the team; another force/area; drawn for a case-file review the user is on, open
)

var relations = []rune{relTeam, relTeamAway, relSameScope, relOther, relGlass, relReview}

// matrixUsers are one user of each role, with their agency.
var matrixUsers = map[string]throughline.User{
	throughline.RoleOfficer:          {ID: "u1", Role: throughline.RoleOfficer, Agency: "police:13"},
	throughline.RolePoliceSupervisor: {ID: "u2", Role: throughline.RolePoliceSupervisor, Agency: "police:13"},
	throughline.RoleProsecutor:       {ID: "u3", Role: throughline.RoleProsecutor, Agency: "cps:yorkshire_humberside"},
	throughline.RoleParalegal:        {ID: "u4", Role: throughline.RoleParalegal, Agency: "cps:yorkshire_humberside"},
	throughline.RoleCPSManager:       {ID: "u10", Role: throughline.RoleCPSManager, Agency: "cps:yorkshire_humberside"},
	throughline.RoleVLU:              {ID: "u5", Role: throughline.RoleVLU, Agency: "cps:yorkshire_humberside"},
	throughline.RoleWitnessCare:      {ID: "u6", Role: throughline.RoleWitnessCare, Agency: "wcu:13"},
	throughline.RoleISVA:             {ID: "u7", Role: throughline.RoleISVA, Agency: "isva:rape-crisis-leeds"},
	throughline.RoleInspector:        {ID: "u8", Role: throughline.RoleInspector, Agency: "inspectorate"},
	throughline.RoleCommissioner:     {ID: "u11", Role: throughline.RoleCommissioner, Agency: "commissioner"},
	throughline.RoleAdmin:            {ID: "u9", Role: throughline.RoleAdmin, Agency: "police:13"},
}

// matrix says, for each case action, the relations in which each role is
// allowed ("" or absent: never).
var matrix = map[string]map[string]string{
	throughline.ActionReadCase: {
		"officer": "TEB", "police_supervisor": "TESB", "prosecutor": "TEB", "paralegal": "TEB", "cps_manager": "TESB", "vlu": "TEB", "witness_care": "TEB",
		"isva": "TE", "inspector": "TER"},
	throughline.ActionReadEvents: {
		"officer": "TEB", "police_supervisor": "TESB", "prosecutor": "TEB", "paralegal": "TEB", "cps_manager": "TESB", "vlu": "TEB", "witness_care": "TEB"},
	throughline.ActionAppend: {
		"officer": "TE", "police_supervisor": "TESB", "prosecutor": "TE", "paralegal": "TE", "cps_manager": "TESB", "vlu": "TE", "witness_care": "TE"},
	// Recording through the forms and the events API: appending, and for
	// an ISVA relaying what a victim who consented asks (ADR 0322).
	throughline.ActionRecord: {
		"officer": "TE", "police_supervisor": "TESB", "prosecutor": "TE", "paralegal": "TE", "cps_manager": "TESB", "vlu": "TE", "witness_care": "TE",
		"isva": "TE"},
	throughline.ActionOpenCase: {
		"officer": "TSB", "police_supervisor": "TSB"},
	throughline.ActionBreakGlass: {
		"officer": "S", "prosecutor": "S", "paralegal": "S", "vlu": "S", "witness_care": "S"},
	throughline.ActionRecordConsent: {
		"officer": "TE", "police_supervisor": "TESB", "vlu": "TE", "witness_care": "TE"},
	throughline.ActionReadConsultations: {
		"police_supervisor": "TESB", "cps_manager": "TESB", "inspector": "TE"},
	throughline.ActionManageCaseTeam: {
		"admin": "TESOBR", "police_supervisor": "TSB", "cps_manager": "TSB"},
	throughline.ActionApproveCaseTeam: {
		"officer": "T", "police_supervisor": "TSB", "prosecutor": "T", "paralegal": "T", "cps_manager": "TSB", "vlu": "T", "witness_care": "T"},
	throughline.ActionReviewAccess: {
		"police_supervisor": "TSB"},
	throughline.ActionVictimView: {
		"officer": "TE", "vlu": "TE", "witness_care": "TE", "isva": "TE"},
}

// nonCase says which roles may take each action that is not about a case.
var nonCase = map[string][]string{
	throughline.ActionListCases:       {"officer", "police_supervisor", "prosecutor", "paralegal", "cps_manager", "vlu", "witness_care", "isva", "inspector"},
	throughline.ActionSearch:          {"officer", "police_supervisor", "prosecutor", "paralegal", "cps_manager", "vlu", "witness_care", "isva", "inspector"},
	throughline.ActionAdminister:      {"admin"},
	throughline.ActionReviewAll:       {"police_supervisor"},
	throughline.ActionContactQueues:   {"police_supervisor", "vlu", "witness_care"},
	throughline.ActionViewMeasures:    {"police_supervisor", "cps_manager", "inspector", "commissioner"},
	throughline.ActionReviewCaseFiles: {"inspector"},
}

// recorders says, for each event type, the roles that may record it: the
// agency that decides or learns it first-hand (with ActionAppend on the
// case; for case_opened, ActionOpenCase). Written out apart from
// throughline.Recorders.
var recorders = map[string]string{
	"case_opened": "officer police_supervisor", "file_submitted": "officer police_supervisor",
	"early_advice_given": "prosecutor paralegal cps_manager", "action_plan_issued": "officer police_supervisor prosecutor paralegal cps_manager",
	"action_item_completed": "officer police_supervisor prosecutor paralegal cps_manager",
	"charging_decision":     "prosecutor paralegal cps_manager", "charged": "officer police_supervisor",
	"remand_status_changed": "officer police_supervisor prosecutor paralegal cps_manager witness_care",
	"sent_to_crown_court":   "prosecutor paralegal cps_manager",
	"allocation_decided":    "prosecutor paralegal cps_manager witness_care",
	"hearing_listed":        "prosecutor paralegal cps_manager witness_care", "hearing_vacated": "prosecutor paralegal cps_manager witness_care",
	"hearing_held": "prosecutor paralegal cps_manager witness_care", "trial_started": "prosecutor paralegal cps_manager witness_care",
	"verdict": "prosecutor paralegal cps_manager witness_care", "sentenced": "prosecutor paralegal cps_manager witness_care",
	"prosecution_stopped":     "prosecutor paralegal cps_manager",
	"complainant_withdrew":    "officer police_supervisor prosecutor paralegal cps_manager witness_care",
	"victim_informed":         "officer police_supervisor vlu witness_care",
	"callback_made":           "officer police_supervisor vlu witness_care",
	"contact_preferences_set": "officer police_supervisor vlu witness_care",
	"ctl_extended":            "prosecutor paralegal cps_manager", "case_closed": "officer police_supervisor prosecutor paralegal cps_manager",
	"stage1_served": "prosecutor paralegal cps_manager", "stage2_served": "prosecutor paralegal cps_manager",
	"information_requested":    "officer police_supervisor",
	"special_measures_applied": "prosecutor paralegal cps_manager", "special_measures_decided": "prosecutor paralegal cps_manager witness_care",
	"named_contact_changed":        "officer police_supervisor witness_care",
	"callback_requested":           "officer police_supervisor prosecutor paralegal cps_manager vlu witness_care isva",
	"case_erased":                  "",
	"news_received":                "witness_care",
	"information_notice_exception": "officer police_supervisor",
	"police_no_further_action":     "officer police_supervisor",
	"review_requested":             "officer police_supervisor prosecutor paralegal cps_manager vlu",
	"review_decided":               "officer police_supervisor prosecutor paralegal cps_manager vlu",
	"witness_requirement_decided":  "prosecutor paralegal cps_manager witness_care",
	"bail_conditions_changed":      "officer police_supervisor prosecutor paralegal cps_manager witness_care",
	"warrant_issued":               "officer police_supervisor prosecutor paralegal cps_manager witness_care",
	"victim_personal_statement":    "officer police_supervisor witness_care",
	"file_quality_assessed":        "prosecutor paralegal cps_manager",
	"file_quality_answered":        "officer police_supervisor",
	"action_item_disputed":         "officer police_supervisor prosecutor paralegal cps_manager",
	"action_item_cancelled":        "officer police_supervisor prosecutor paralegal cps_manager",
	"action_item_commented":        "officer police_supervisor prosecutor paralegal cps_manager",
	"dispute_resolved":             "police_supervisor cps_manager",
	"case_team_changed":            "officer police_supervisor prosecutor paralegal cps_manager witness_care",
	"case_conference_held":         "officer police_supervisor prosecutor paralegal cps_manager",
	// A victim information request's workflow (ADR 0400): a supervisor
	// approves; the view is a prosecutor's (or their manager's), not a
	// paralegal's.
	"information_request_approved":          "police_supervisor",
	"information_notice_exception_approved": "police_supervisor",
	"information_request_sent":              "officer police_supervisor",
	"information_request_response":          "officer police_supervisor",
	"information_request_withdrawn":         "officer police_supervisor",
	"information_request_view":              "prosecutor cps_manager",
	"device_extraction_requested":           "officer police_supervisor",
	"device_extraction_answered":            "officer police_supervisor",
	"device_extraction_withdrawn":           "officer police_supervisor",
	// A decision not to seek or to withhold material, and its review
	// (ADR 0400): the police's or the CPS's.
	"material_decision": "officer police_supervisor prosecutor paralegal cps_manager",
	// Restricted material has routes of its own (CanHoldRestricted,
	// CanDesignate): no general form or events call records it.
	"disclosure_designated":        "",
	"restricted_material_received": "",
	"restricted_material_redacted": "",
}

// TestRecordMatrix: every role × every event type × every relation. A
// role records a type only if it is one of the type's recorders and the
// policy lets it append to (or open) the case.
func TestRecordMatrix(t *testing.T) {
	for _, typ := range throughline.EventTypes() {
		want, ok := recorders[typ]
		if !ok {
			t.Errorf("event type %s: the record matrix has no expectations for it", typ)
			continue
		}
		for _, role := range throughline.Roles {
			u := matrixUsers[role]
			mayRecord := slices.Contains(strings.Fields(want), role)
			if throughline.MayRecord(u, typ) != mayRecord {
				t.Errorf("%s records %s: %t, want %t", role, typ, !mayRecord, mayRecord)
			}
			action := throughline.ActionRecord
			if typ == throughline.TypeCaseOpened {
				action = throughline.ActionOpenCase
			}
			for _, rel := range relations {
				sc, r := scopeFor(rel), relationFor(rel, role)
				wantAllowed := mayRecord && strings.ContainsRune(matrix[action][role], rel)
				if got := throughline.CanRecord(u, typ, sc, r).Allowed; got != wantAllowed {
					t.Errorf("%s records %s with relation %c: %t, want %t", role, typ, rel, got, wantAllowed)
				}
			}
		}
	}
	// An ISVA relays a call-back only for a victim who consented to her
	// support; every other recorder records it about anyone on the case.
	callback := func(who string) throughline.Event {
		return throughline.Event{Type: throughline.TypeCallbackRequested, Data: &throughline.CallbackRequested{ComplainantID: who}}
	}
	for _, role := range throughline.Roles {
		u := matrixUsers[role]
		for _, rel := range relations {
			sc, r := scopeFor(rel), relationFor(rel, role)
			mayRecord := throughline.CanRecord(u, throughline.TypeCallbackRequested, sc, r).Allowed
			if got := throughline.CanRecordEvent(u, callback("C1"), sc, r).Allowed; got != mayRecord {
				t.Errorf("%s relays a call-back for the consenting victim (%c): %t, want %t", role, rel, got, mayRecord)
			}
			want := mayRecord && role != throughline.RoleISVA
			if got := throughline.CanRecordEvent(u, callback("C2"), sc, r).Allowed; got != want {
				t.Errorf("%s records a call-back for a victim who has not consented to an ISVA (%c): %t, want %t", role, rel, got, want)
			}
		}
	}
	// A case is opened under its own force's numbering only.
	officer := matrixUsers[throughline.RoleOfficer]
	for ref, want := range map[string]bool{"13RS0000001/24": true, "01RS0000001/24": false, "RS130001": false, "13": false} {
		sc := &throughline.CaseScope{Ref: ref, Force: "13", CPSArea: "yorkshire_humberside"}
		if got := throughline.CanRecord(officer, throughline.TypeCaseOpened, sc, throughline.Relation{}).Allowed; got != want {
			t.Errorf("officer of force 13 opens %s: %t, want %t", ref, got, want)
		}
	}
}

func scopeFor(rel rune) *throughline.CaseScope {
	if rel == relTeamAway || rel == relOther || rel == relReview {
		return &throughline.CaseScope{Ref: "01RS0000001/24", Force: "01", CPSArea: "london_north"}
	}
	return &throughline.CaseScope{Ref: "13RS0000001/24", Force: "13", CPSArea: "yorkshire_humberside"}
}

func relationFor(rel rune, role string) throughline.Relation {
	var r throughline.Relation
	switch rel {
	case relTeam, relTeamAway:
		r.OnTeam = true
		if role == throughline.RoleISVA {
			r.Consented = []string{"C1"}
		}
	case relGlass:
		r.BreakGlass, r.BreakGlassReason = "bg_1", "suspect arrested overnight"
	case relReview:
		r.Review, r.ReviewTitle = "rv_1", "Thematic inspection 2026"
	}
	return r
}

func TestAccessMatrix(t *testing.T) {
	for _, action := range throughline.Actions {
		_, isCase := matrix[action]
		_, isNonCase := nonCase[action]
		if isCase == isNonCase {
			t.Errorf("action %s: the matrix has no expectations for it (or both kinds)", action)
		}
		if isCase != throughline.IsCaseAction(action) {
			t.Errorf("action %s: IsCaseAction says %t", action, throughline.IsCaseAction(action))
		}
	}
	for _, role := range throughline.Roles {
		u, ok := matrixUsers[role]
		if !ok {
			t.Fatalf("no matrix user for role %s", role)
		}
		for action, byRole := range matrix {
			want := byRole[role]
			for _, rel := range relations {
				d := throughline.Can(u, action, scopeFor(rel), relationFor(rel, role))
				if d.Allowed != strings.ContainsRune(want, rel) {
					t.Errorf("%s %s with relation %c: allowed %t, want %t", role, action, rel, d.Allowed, !d.Allowed)
				}
				// A disabled account may do nothing.
				du := u
				du.Disabled = true
				if throughline.Can(du, action, scopeFor(rel), relationFor(rel, role)).Allowed {
					t.Errorf("disabled %s may %s (%c)", role, action, rel)
				}
			}
			// Without a case, a case action is refused.
			if throughline.Can(u, action, nil, throughline.Relation{OnTeam: true}).Allowed {
				t.Errorf("%s %s without a case: allowed", role, action)
			}
		}
		for action, roles := range nonCase {
			want := slices.Contains(roles, role)
			if got := throughline.Can(u, action, nil, throughline.Relation{}).Allowed; got != want {
				t.Errorf("%s %s: allowed %t, want %t", role, action, got, want)
			}
			for _, rel := range relations {
				if throughline.Can(u, action, scopeFor(rel), relationFor(rel, role)).Allowed {
					t.Errorf("%s %s with a case (%c): allowed", role, action, rel)
				}
			}
		}
	}
}

// What an allowed read shows depends on the role.
func TestReadDecisions(t *testing.T) {
	team := scopeFor(relTeam)
	isva := matrixUsers[throughline.RoleISVA]
	if d := throughline.Can(isva, throughline.ActionReadCase, team, throughline.Relation{OnTeam: true}); d.Allowed {
		t.Error("an ISVA sees a case without the victim's consent")
	}
	d := throughline.Can(isva, throughline.ActionReadCase, team, throughline.Relation{OnTeam: true, Consented: []string{"C2"}})
	if !d.Allowed || !d.VictimFacing || d.Basis != throughline.BasisConsent || !slices.Equal(d.Complainants, []string{"C2"}) || d.Has(throughline.PartWork) || d.Has(throughline.PartOffences) || !d.Has(throughline.PartVictim) || d.ShowsComplainant("C1") {
		t.Errorf("ISVA decision %+v", d)
	}
	d = throughline.Can(matrixUsers[throughline.RoleInspector], throughline.ActionReadCase, team, throughline.Relation{OnTeam: true})
	if !d.Allowed || !d.Pseudonymise || d.Has(throughline.PartVictim) {
		t.Errorf("inspector decision %+v", d)
	}
	d = throughline.Can(matrixUsers[throughline.RoleOfficer], throughline.ActionReadCase, team, relationFor(relGlass, "officer"))
	if d.Basis != throughline.BasisBreakGlass || !strings.Contains(d.Purpose, "suspect arrested overnight") {
		t.Errorf("break-glass decision %+v", d)
	}
	d = throughline.Can(matrixUsers[throughline.RoleOfficer], throughline.ActionReadCase, team, throughline.Relation{OnTeam: true})
	if d.Purpose != "officer in the case (case team)" || d.Pseudonymise || d.VictimFacing {
		t.Errorf("officer decision %+v", d)
	}
	// An unknown role or a malformed agency is refused everything.
	for _, u := range []throughline.User{{Role: "sheriff", Agency: "police:13"}, {Role: "officer", Agency: "police:99"}} {
		for _, a := range throughline.Actions {
			if throughline.Can(u, a, team, throughline.Relation{OnTeam: true}).Allowed {
				t.Errorf("%+v may %s", u, a)
			}
		}
	}
}

// Every route is in the table, and every route that the policy decides
// names actions the matrix covers; the others say why they need none.
func TestEveryRouteIsCovered(t *testing.T) {
	s := &Server{}
	seen := map[string]bool{}
	mux := http.NewServeMux()
	for _, rt := range s.routes(&handlers{}) {
		if seen[rt.pattern] {
			t.Errorf("route %s twice", rt.pattern)
		}
		seen[rt.pattern] = true
		mux.Handle(rt.pattern, http.NotFoundHandler())
		switch rt.access {
		case accessPublic, accessSigning, accessSession:
			if len(rt.actions) > 0 {
				t.Errorf("%s is %s but names actions", rt.pattern, rt.access)
			}
			if strings.Contains(rt.pattern, "{ref}") {
				t.Errorf("%s is about a case but not decided by the policy", rt.pattern)
			}
		case accessPolicy:
			if len(rt.actions) == 0 {
				t.Errorf("%s is decided by the policy but names no action", rt.pattern)
			}
			for _, a := range rt.actions {
				_, c := matrix[a]
				_, n := nonCase[a]
				if !c && !n {
					t.Errorf("%s asks about action %q, which the access matrix does not cover", rt.pattern, a)
				}
			}
		default:
			t.Errorf("%s: unknown access %q", rt.pattern, rt.access)
		}
	}
	// The server's real mux serves exactly the table: each pattern resolves
	// to itself.
	h := (&Server{}).routes(&handlers{})
	real := http.NewServeMux()
	for _, rt := range h {
		real.Handle(rt.pattern, rt.handler)
	}
	for _, rt := range h {
		method, path, _ := strings.Cut(rt.pattern, " ")
		path = strings.NewReplacer("{ref}", "X", "{type}", "charged", "{id}", "x", "{$}", "").Replace(path)
		req := httptest.NewRequest(method, path, nil)
		if _, pat := real.Handler(req); pat != rt.pattern {
			t.Errorf("%s %s is served by %q, not %q", method, path, pat, rt.pattern)
		}
	}
}

// Restricted material (ADR 0402) is held only by the person a case names
// as its disclosure officer or reviewing prosecutor, of a role that may
// hold the designation, while they read the case as its team or its
// supervisor: never by break-glass, never for anyone not named.
func TestRestrictedMaterialMatrix(t *testing.T) {
	holds := map[string]string{"officer": throughline.DisclosureOfficer, "police_supervisor": throughline.DisclosureOfficer,
		"prosecutor": throughline.ReviewingProsecutor, "cps_manager": throughline.ReviewingProsecutor}
	for _, role := range throughline.Roles {
		u := matrixUsers[role]
		for _, rel := range relations {
			sc := scopeFor(rel)
			c := &throughline.Case{Ref: sc.Ref, Force: sc.Force, CPSArea: sc.CPSArea}
			for _, named := range throughline.DisclosureRoles {
				c.Custodians = []throughline.Custodian{{Role: named, UserID: u.ID, Name: u.Name}}
				// A supervisor with a break-glass on their own agency's case
				// reads it as its supervisor: the glass is not used.
				supervisor := role == "police_supervisor" || role == "cps_manager"
				want := holds[role] == named && strings.ContainsRune(matrix[throughline.ActionReadCase][role], rel) && (rel != relGlass || supervisor)
				if got := throughline.CanHoldRestricted(u, c, relationFor(rel, role)).Allowed; got != want {
					t.Errorf("%s named %s, relation %c: holds %t, want %t", role, named, rel, got, want)
				}
				other := u
				other.ID = "someone-else"
				if throughline.CanHoldRestricted(other, c, relationFor(rel, role)).Allowed {
					t.Errorf("%s not named, relation %c: holds restricted material", role, rel)
				}
			}
		}
	}
}
