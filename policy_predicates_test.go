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
		RoleAdmin: {Role: RoleAdmin, Agency: "police:13"},
	}
	want := map[string][]string{
		"break glass":     {RoleOfficer, RoleProsecutor, RoleParalegal, RoleVLU, RoleWitnessCare},
		"manage a team":   {RolePoliceSupervisor, RoleCPSManager, RoleAdmin},
		"open a case":     {RoleOfficer, RolePoliceSupervisor},
		"read a case":     {RoleOfficer, RolePoliceSupervisor, RoleProsecutor, RoleParalegal, RoleCPSManager, RoleVLU, RoleWitnessCare, RoleISVA, RoleInspector},
		"see casework":    {RoleOfficer, RolePoliceSupervisor, RoleProsecutor, RoleParalegal, RoleCPSManager, RoleVLU, RoleWitnessCare, RoleInspector},
		"sees own agency": {RolePoliceSupervisor, RoleCPSManager},
		"list cases":      {RoleOfficer, RolePoliceSupervisor, RoleProsecutor, RoleParalegal, RoleCPSManager, RoleVLU, RoleWitnessCare, RoleISVA, RoleInspector},
	}
	ask := map[string]func(User) bool{
		"break glass":     func(u User) bool { return CanSome(u, ActionBreakGlass) },
		"manage a team":   func(u User) bool { return CanSome(u, ActionManageCaseTeam) },
		"open a case":     func(u User) bool { return CanSome(u, ActionOpenCase) },
		"read a case":     func(u User) bool { return CanSome(u, ActionReadCase) },
		"see casework":    func(u User) bool { return MaySeePart(u, PartWork) },
		"sees own agency": SeesOwnAgency,
		"list cases":      func(u User) bool { return CanSome(u, ActionListCases) },
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
