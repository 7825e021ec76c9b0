package throughline

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"throughline/refdata"
)

// Roles, by stable id.
const (
	RoleOfficer          = "officer"           // officer in the case
	RolePoliceSupervisor = "police_supervisor" // sees every case of their force
	RoleProsecutor       = "prosecutor"
	RoleParalegal        = "paralegal"   // CPS case progression
	RoleCPSManager       = "cps_manager" // a CPS RASSO unit head: sees every case of their CPS area
	RoleVLU              = "vlu"         // CPS Victim Liaison Unit
	RoleWitnessCare      = "witness_care"
	RoleISVA             = "isva"
	RoleInspector        = "inspector"
	RoleCommissioner     = "commissioner" // national oversight: the measures' aggregates only, never a case
	RoleAdmin            = "admin"
)

// Roles lists every role.
var Roles = []string{RoleOfficer, RolePoliceSupervisor, RoleProsecutor, RoleParalegal, RoleCPSManager, RoleVLU, RoleWitnessCare, RoleISVA, RoleInspector, RoleCommissioner, RoleAdmin}

// roleAgencies says which kind of agency each role belongs to.
var roleAgencies = map[string][]string{
	RoleOfficer:          {"police"},
	RolePoliceSupervisor: {"police"},
	RoleProsecutor:       {"cps"},
	RoleParalegal:        {"cps"},
	RoleCPSManager:       {"cps"},
	RoleVLU:              {"cps"},
	RoleWitnessCare:      {"wcu"},
	RoleISVA:             {"isva"},
	RoleInspector:        {"inspectorate"},
	RoleCommissioner:     {"commissioner"},
	RoleAdmin:            {"police", "cps", "wcu", "isva", "inspectorate", "commissioner"},
}

// agencyKindWords names each kind of agency for a sentence.
var agencyKindWords = map[string]string{
	"police": "a police force", "cps": "a CPS area", "wcu": "a Witness Care Unit", "isva": "an ISVA organisation",
	"inspectorate": "the inspectorate", "commissioner": "the commissioner's office",
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
// "wcu:13", "isva:<organisation>", "inspectorate" or "commissioner" (the
// office of the commissioner for rape and serious sexual offences).
type Agency struct {
	Kind string // police, cps, wcu, isva, inspectorate, commissioner
	ID   string // PNC force code, CPS area id or organisation
}

func (a Agency) String() string {
	if a.ID == "" {
		return a.Kind
	}
	return a.Kind + ":" + a.ID
}

// Name is the agency in words, as screens and purposes show it: "West
// Yorkshire Police", "CPS Yorkshire and Humberside", "West Yorkshire Police
// Witness Care Unit".
func (a Agency) Name() string {
	switch a.Kind {
	case "police", "wcu":
		f, ok := refdata.LookupForce(a.ID)
		if !ok {
			break
		}
		if a.Kind == "wcu" {
			return f.Name + " Witness Care Unit"
		}
		return f.Name
	case "cps":
		if ar, ok := refdata.LookupCPSArea(a.ID); ok {
			return ar.Name
		}
	case "inspectorate":
		return "the inspectorate"
	case "commissioner":
		return "the Commissioner's office"
	}
	return a.String()
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
	case "inspectorate", "commissioner":
		if id != "" {
			return a, Errorf(EINVALID, "agency %q: %s takes no suffix", s, kind)
		}
	default:
		return a, Errorf(EINVALID, "agency %q: must be police:<force>, cps:<area>, wcu:<force>, isva:<organisation>, inspectorate or commissioner", s)
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
	switch {
	case agency == "":
		fe.add("agency", "choose their organisation")
	case err != nil:
		fe.add("agency", "%s", ErrorMessage(err))
	case roleAgencies[role] != nil && !slices.Contains(roleAgencies[role], a.Kind):
		// In words, for the administrator who chose from a list of names.
		var kinds []string
		for _, k := range roleAgencies[role] {
			kinds = append(kinds, agencyKindWords[k])
		}
		fe.add("agency", "a %s belongs to %s, not %s", RoleName(role), strings.Join(kinds, " or "), agencyKindWords[a.Kind])
	}
	return fe.err("not a valid user")
}

// Sessions: a signed-in session ends after SessionIdle without a request,
// SessionAbsolute after sign-in whatever happens, and at once when the
// account is disabled or its role or agency changes. A break-glass needs an
// authentication no older than ReauthWithin.
const (
	SessionIdle     = 30 * time.Minute
	SessionAbsolute = 12 * time.Hour
	ReauthWithin    = 5 * time.Minute
	// BreakGlassFor is how long a break-glass access lasts.
	BreakGlassFor = 4 * time.Hour
)

// Sign-in rate limits: failures counted per account and per address over
// SignInWindow; past the limit every attempt is refused until the window
// moves on, whether or not the password is right.
const (
	SignInWindow      = 15 * time.Minute
	SignInPerAccount  = 5
	SignInPerAddress  = 50
	MinPasswordLength = 12
	MaxPasswordLength = 256
	minJustification  = 20
	MaxJustification  = 1000
	maxLoginLength    = 254
)

// NormalizeLogin lower-cases and trims a sign-in name (an email address or
// a username).
func NormalizeLogin(login string) string { return strings.ToLower(strings.TrimSpace(login)) }

// ValidateLogin checks a sign-in name: 3 to 254 printable characters
// without spaces.
func ValidateLogin(login string) error {
	l := NormalizeLogin(login)
	if len(l) < 3 || len(l) > maxLoginLength || strings.ContainsFunc(l, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return &Error{Code: EINVALID, Message: "not a valid sign-in name", Fields: []FieldError{{Field: "login", Message: "Enter an email address or username of 3 to 254 characters, without spaces"}}}
	}
	return nil
}

// ValidatePassword checks a new password's length (NCSC guidance: length,
// not composition rules).
func ValidatePassword(pw string) error {
	switch {
	case len([]rune(pw)) < MinPasswordLength:
		return &Error{Code: EINVALID, Message: "not a valid password", Fields: []FieldError{{Field: "password", Message: fmt.Sprintf("Password must be %d characters or more", MinPasswordLength)}}}
	case len(pw) > MaxPasswordLength:
		return &Error{Code: EINVALID, Message: "not a valid password", Fields: []FieldError{{Field: "password", Message: fmt.Sprintf("Password must be %d characters or fewer", MaxPasswordLength)}}}
	}
	return nil
}

// ValidateJustification checks the typed reason for a break-glass access.
func ValidateJustification(reason string) error {
	r := strings.TrimSpace(reason)
	switch {
	case len([]rune(r)) < minJustification:
		return &Error{Code: EINVALID, Message: "a justification is required", Fields: []FieldError{{Field: "reason", Message: fmt.Sprintf("Say why you need this case now, in %d characters or more", minJustification)}}}
	case len([]rune(r)) > MaxJustification:
		return &Error{Code: EINVALID, Message: "the justification is too long", Fields: []FieldError{{Field: "reason", Message: fmt.Sprintf("Justification must be %d characters or fewer", MaxJustification)}}}
	}
	return nil
}
