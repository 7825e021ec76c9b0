package throughline

import (
	"slices"
	"strings"

	"throughline/refdata"
)

// Roles, by stable id.
const (
	RoleOfficer          = "officer"           // officer in the case
	RolePoliceSupervisor = "police_supervisor" // sees every case of their force
	RoleProsecutor       = "prosecutor"
	RoleParalegal        = "paralegal" // CPS case progression
	RoleVLU              = "vlu"       // CPS Victim Liaison Unit
	RoleWitnessCare      = "witness_care"
	RoleISVA             = "isva"
	RoleInspector        = "inspector"
	RoleAdmin            = "admin"
)

// Roles lists every role.
var Roles = []string{RoleOfficer, RolePoliceSupervisor, RoleProsecutor, RoleParalegal, RoleVLU, RoleWitnessCare, RoleISVA, RoleInspector, RoleAdmin}

// roleAgencies says which kind of agency each role belongs to.
var roleAgencies = map[string][]string{
	RoleOfficer:          {"police"},
	RolePoliceSupervisor: {"police"},
	RoleProsecutor:       {"cps"},
	RoleParalegal:        {"cps"},
	RoleVLU:              {"cps"},
	RoleWitnessCare:      {"wcu"},
	RoleISVA:             {"isva"},
	RoleInspector:        {"inspectorate"},
	RoleAdmin:            {"police", "cps", "wcu", "isva", "inspectorate"},
}

// User is a member of staff, or a system using the API on their behalf.
type User struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Agency   string `json:"agency"`
	Disabled bool   `json:"disabled"`
}

// Agency is a parsed agency id: "police:13", "cps:yorkshire_humberside",
// "wcu:13", "isva:<organisation>" or "inspectorate".
type Agency struct {
	Kind string // police, cps, wcu, isva, inspectorate
	ID   string // PNC force code, CPS area id or organisation
}

func (a Agency) String() string {
	if a.ID == "" {
		return a.Kind
	}
	return a.Kind + ":" + a.ID
}

// ParseAgency parses and checks an agency id against the reference data.
func ParseAgency(s string) (Agency, error) {
	kind, id, _ := strings.Cut(s, ":")
	a := Agency{Kind: kind, ID: id}
	switch kind {
	case "police", "wcu":
		if _, ok := refdata.LookupForce(id); !ok {
			return a, Errorf(EINVALID, "agency %q: %q is not a PNC force code (e.g. police:13 for West Yorkshire)", s, id)
		}
	case "cps":
		if _, ok := refdata.LookupCPSArea(id); !ok {
			return a, Errorf(EINVALID, "agency %q: %q is not a CPS area id (e.g. cps:yorkshire_humberside)", s, id)
		}
	case "isva":
		if id == "" || len(id) > 80 {
			return a, Errorf(EINVALID, "agency %q: name the ISVA organisation, e.g. isva:rape-crisis-leeds", s)
		}
	case "inspectorate":
		if id != "" {
			return a, Errorf(EINVALID, "agency %q: the inspectorate takes no suffix", s)
		}
	default:
		return a, Errorf(EINVALID, "agency %q: must be police:<force>, cps:<area>, wcu:<force>, isva:<organisation> or inspectorate", s)
	}
	return a, nil
}

// ValidateUser checks a new user's name, role and agency.
func ValidateUser(name, role, agency string) error {
	var fe fieldErrors
	if strings.TrimSpace(name) == "" {
		fe.add("name", "is required")
	}
	if !slices.Contains(Roles, role) {
		fe.add("role", "must be one of %s", strings.Join(Roles, ", "))
	}
	a, err := ParseAgency(agency)
	if err != nil {
		fe.add("agency", "%s", ErrorMessage(err))
	} else if kinds, ok := roleAgencies[role]; ok && !slices.Contains(kinds, a.Kind) {
		fe.add("agency", "a %s belongs to a %s agency, not %s", role, strings.Join(kinds, " or "), a.Kind)
	}
	return fe.err("not a valid user")
}
