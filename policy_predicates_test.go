package throughline

import (
	"slices"
	"testing"
)

// The predicates, written out per role apart from the policy.
func TestPolicyPredicates(t *testing.T) {
	users := map[string]User{
		RoleOfficer: {Role: RoleOfficer, Agency: "police:13"}, RolePoliceSupervisor: {Role: RolePoliceSupervisor, Agency: "police:13"},
		RoleProsecutor: {Role: RoleProsecutor, Agency: "cps:yorkshire_humberside"}, RoleParalegal: {Role: RoleParalegal, Agency: "cps:yorkshire_humberside"},
		RoleCPSManager: {Role: RoleCPSManager, Agency: "cps:yorkshire_humberside"},
		RoleVLU:        {Role: RoleVLU, Agency: "cps:yorkshire_humberside"}, RoleWitnessCare: {Role: RoleWitnessCare, Agency: "wcu:13"},
		RoleISVA: {Role: RoleISVA, Agency: "isva:rape-crisis-leeds"}, RoleInspector: {Role: RoleInspector, Agency: "inspectorate"},
		RoleCommissioner: {Role: RoleCommissioner, Agency: "commissioner"},
		RoleAdmin:        {Role: RoleAdmin, Agency: "police:13"},
	}
	for _, role := range Roles {
		if _, ok := users[role]; !ok {
			t.Errorf("role %s has no row: write out what it may do", role)
		}
	}
	want := map[string][]string{
		"break glass":     {RoleOfficer, RoleProsecutor, RoleParalegal, RoleVLU, RoleWitnessCare},
		"manage a team":   {RolePoliceSupervisor, RoleCPSManager, RoleAdmin},
		"open a case":     {RoleOfficer, RolePoliceSupervisor},
		"read a case":     {RoleOfficer, RolePoliceSupervisor, RoleProsecutor, RoleParalegal, RoleCPSManager, RoleVLU, RoleWitnessCare, RoleISVA, RoleInspector},
		"see casework":    {RoleOfficer, RolePoliceSupervisor, RoleProsecutor, RoleParalegal, RoleCPSManager, RoleVLU, RoleWitnessCare, RoleInspector},
		"sees own agency": {RolePoliceSupervisor, RoleCPSManager},
		"list cases":      {RoleOfficer, RolePoliceSupervisor, RoleProsecutor, RoleParalegal, RoleCPSManager, RoleVLU, RoleWitnessCare, RoleISVA, RoleInspector},
		"view measures":   {RolePoliceSupervisor, RoleCPSManager, RoleInspector, RoleCommissioner},
	}
	ask := map[string]func(User) bool{
		"break glass":     func(u User) bool { return CanSome(u, ActionBreakGlass) },
		"manage a team":   func(u User) bool { return CanSome(u, ActionManageCaseTeam) },
		"open a case":     func(u User) bool { return CanSome(u, ActionOpenCase) },
		"read a case":     func(u User) bool { return CanSome(u, ActionReadCase) },
		"see casework":    func(u User) bool { return MaySeePart(u, PartWork) },
		"sees own agency": SeesOwnAgency,
		"list cases":      func(u User) bool { return CanSome(u, ActionListCases) },
		"view measures":   func(u User) bool { return CanSome(u, ActionViewMeasures) },
	}
	for what, f := range ask {
		for role, u := range users {
			if got := f(u); got != slices.Contains(want[what], role) {
				t.Errorf("%s may %s: %t", role, what, got)
			}
			u.Disabled = true
			if f(u) {
				t.Errorf("disabled %s may %s", role, what)
			}
		}
	}
	// Supervised: the agency whose cases a supervisor lists.
	for role, want := range map[string]string{RolePoliceSupervisor: "police:13", RoleCPSManager: "cps:yorkshire_humberside", RoleOfficer: "", RoleAdmin: ""} {
		a, ok := Supervised(users[role])
		if got := a.String(); ok != (want != "") || ok && got != want {
			t.Errorf("%s supervises %q (%t), want %q", role, got, ok, want)
		}
	}
	if _, ok := Supervised(User{Role: RoleCPSManager, Agency: "police:13"}); ok {
		t.Error("a CPS manager of a police force supervises it")
	}
	if !InOwnScope(users[RoleProsecutor], CaseScope{Force: "01", CPSArea: "yorkshire_humberside"}) || InOwnScope(users[RoleOfficer], CaseScope{Force: "01"}) {
		t.Error("InOwnScope")
	}
}

// The commissioner sees aggregates only: no case, in any relation to it, of
// any force or area, whatever the store says of them.
func TestCommissionerSeesNoCase(t *testing.T) {
	u := User{ID: "c1", Role: RoleCommissioner, Agency: "commissioner"}
	scopes := []CaseScope{{Ref: "13RS1/24", Force: "13", CPSArea: "yorkshire_humberside"}, {Ref: "01RS1/24", Force: "01", CPSArea: "london_north"}}
	rels := []Relation{{}, {OnTeam: true}, {OnTeam: true, Consented: []string{"c1"}}, {BreakGlass: "bg1", BreakGlassReason: "an emergency of some kind"}}
	for _, action := range Actions {
		for _, sc := range scopes {
			for _, rel := range rels {
				if d := Can(u, action, &sc, rel); d.Allowed {
					t.Errorf("commissioner may %s on %s with %+v", action, sc.Ref, rel)
				}
			}
		}
		if d := Can(u, action, nil, Relation{}); d.Allowed != (action == ActionViewMeasures) || d.Allowed && !d.SmallNumbers {
			t.Errorf("commissioner may %s: %+v (small numbers must be withheld)", action, d)
		}
	}
	for _, role := range []string{RoleInspector, RolePoliceSupervisor} {
		if d := Can(User{Role: role, Agency: map[string]string{RoleInspector: "inspectorate", RolePoliceSupervisor: "police:13"}[role]}, ActionViewMeasures, nil, Relation{}); !d.Allowed || d.SmallNumbers {
			t.Errorf("%s's measures: %+v, want every figure", role, d)
		}
	}
	for typ := range Recorders {
		if MayRecord(u, typ) {
			t.Errorf("commissioner may record %s", typ)
		}
	}
	if _, err := ParseAgency("commissioner:13"); err == nil {
		t.Error("commissioner:13 parsed")
	}
	if err := ValidateUser("Grace Whitfield", RoleCommissioner, "inspectorate"); err == nil {
		t.Error("a commissioner of the inspectorate was accepted")
	}
	if err := ValidateUser("Grace Whitfield", RoleCommissioner, "commissioner"); err != nil {
		t.Errorf("commissioner: %v", err)
	}
}
