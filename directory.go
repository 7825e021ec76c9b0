package throughline

import (
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"throughline/refdata"
)

// The directory the victim's side is built from, kept by administrators in
// the app: how to reach the people on a case (StaffContact), and the
// support services a victim can turn to (SupportService), and where the
// courts are (CourtAddress). None is a
// victim's personal data, nor a fact of a case: they live beside the log,
// and every change is in the administrators' log.

// Roles a staff contact can have towards a victim.
const (
	ContactWitnessCare = "witness_care" // Witness Care officer: her named contact after charge
	ContactOfficer     = "officer"      // officer in the case
	ContactISVA        = "isva"         // Independent Sexual Violence Adviser
)

// ContactRoles lists them, in the order a victim is shown them.
var ContactRoles = []string{ContactWitnessCare, ContactOfficer, ContactISVA}

// StaffContact is how a victim reaches one person (or, with no Name, a
// unit's shared line): direct phone, email and the hours they answer.
type StaffContact struct {
	ID   string
	Name string // as the victim is told it: "Gwen Price"; "" for a unit's line
	Role string // ContactWitnessCare, ContactOfficer or ContactISVA
	Team string // "West Yorkshire Witness Care Unit"
	// Agency is the person's or unit's agency ("wcu:13"): a unit line is
	// found by it for a case of that force.
	Agency string
	// UserID is the person's staff account, if they have one: how a case's
	// team finds their entry.
	UserID string
	Phone  string
	Email  string
	Hours  string // "Monday to Friday, 9am to 5pm"
	// UpdatedAt is when an administrator last changed the entry.
	UpdatedAt time.Time
}

// Validate checks an entry as an administrator gives it. Errors: EINVALID
// with one message per field.
func (c *StaffContact) Validate() error {
	var fe fieldErrors
	trim(&c.Name, &c.Team, &c.Agency, &c.UserID, &c.Phone, &c.Email, &c.Hours)
	if !slices.Contains(ContactRoles, c.Role) {
		fe.add("role", "Choose who this is to the victim")
	}
	text(&fe, "name", c.Name, 100, false)
	text(&fe, "team", c.Team, 100, true)
	if _, err := ParseAgency(c.Agency); err != nil {
		fe.add("agency", "Choose the organisation")
	}
	if c.Name == "" && c.UserID != "" {
		fe.add("name", "Enter the person's name")
	}
	text(&fe, "phone", c.Phone, 40, false)
	if c.Email != "" && !validEmail(c.Email) {
		fe.add("email", "Enter an email address in the right format, like name@example.gov.uk")
	}
	if c.Phone == "" && c.Email == "" {
		fe.add("phone", "Enter a phone number or an email address")
	}
	text(&fe, "hours", c.Hours, 100, true)
	return fe.err("not a valid contact")
}

// Audiences of support services: who a service is for.
const (
	ForAll           = "all"                   // all survivors
	ForWomen         = "women"                 // women and girls
	ForMen           = "men"                   // men and boys
	ForLGBT          = "lgbt"                  // LGBT+ survivors
	ForByAndFor      = "black_minoritised"     // "by and for" services for Black and minoritised survivors
	ForDisabled      = "disabled"              // disabled survivors
	ForDeaf          = "deaf_bsl"              // Deaf survivors, in British Sign Language
	ForYoung         = "children_young_people" // children and young people
	ForWelshLanguage = "welsh_language"        // in Welsh
)

// Audiences lists them, in the order a victim is shown them.
var Audiences = []string{ForAll, ForWomen, ForMen, ForLGBT, ForByAndFor, ForDisabled, ForDeaf, ForYoung, ForWelshLanguage}

// AreaNational is the area of a service open to anyone in England and Wales.
const AreaNational = "national"

// SupportService is a service a victim can turn to for support.
type SupportService struct {
	ID     string
	Name   string
	Offers string   // what it offers, in a sentence or two
	For    []string // Audiences
	// Areas are the police force areas it covers (PNC force codes), or
	// AreaNational alone.
	Areas     []string
	Phone     string
	Text      string // a number to text
	Web       string // an https address
	Email     string
	Hours     string
	CheckedOn string // YYYY-MM-DD: when someone last checked these details were right
	UpdatedAt time.Time
}

// Serves reports whether the service covers the area of force.
func (s SupportService) Serves(force string) bool {
	return slices.Contains(s.Areas, AreaNational) || slices.Contains(s.Areas, force)
}

// Validate checks a service as an administrator gives it, at now (a check
// cannot be in the future). Errors: EINVALID with one message per field.
func (s *SupportService) Validate(now time.Time) error {
	var fe fieldErrors
	trim(&s.Name, &s.Offers, &s.Phone, &s.Text, &s.Web, &s.Email, &s.Hours, &s.CheckedOn)
	text(&fe, "name", s.Name, 120, true)
	text(&fe, "offers", s.Offers, 400, true)
	if len(s.For) == 0 {
		fe.add("for", "Choose who the service is for")
	}
	for _, f := range s.For {
		if !slices.Contains(Audiences, f) {
			fe.add("for", "%q is not one of the groups a service can be for", f)
		}
	}
	switch {
	case len(s.Areas) == 0:
		fe.add("areas", "Choose the police force areas the service covers, or all of England and Wales")
	case slices.Contains(s.Areas, AreaNational) && len(s.Areas) > 1:
		fe.add("areas", "A service for all of England and Wales needs no other area")
	}
	for _, a := range s.Areas {
		if _, ok := refdata.LookupForce(a); !ok && a != AreaNational {
			fe.add("areas", "%q is not a police force area", a)
		}
	}
	text(&fe, "phone", s.Phone, 40, false)
	text(&fe, "text", s.Text, 40, false)
	if s.Web != "" {
		if u, err := url.Parse(s.Web); err != nil || u.Scheme != "https" || u.Host == "" {
			fe.add("web", "Enter the web address in full, starting https://")
		}
	}
	if s.Email != "" && !validEmail(s.Email) {
		fe.add("email", "Enter an email address in the right format, like help@example.org")
	}
	if s.Phone == "" && s.Text == "" && s.Web == "" && s.Email == "" {
		fe.add("phone", "Enter at least one way to reach the service")
	}
	text(&fe, "hours", s.Hours, 100, false)
	if d, err := time.Parse(time.DateOnly, s.CheckedOn); err != nil {
		fe.add("checked_on", "Enter the date the details were last checked")
	} else if d.After(now) {
		fe.add("checked_on", "The date the details were checked must be today or in the past")
	}
	return fe.err("not a valid support service")
}

// CourtAddress is where a court is, as a victim is told it when she is
// told of a hearing there: the directory keeps it, not the log (a court
// moves; the hearing does not). Court is the court as hearings record it:
// a Crown Court's id ("leeds") or another court's name ("Leeds
// Magistrates' Court").
type CourtAddress struct {
	ID        string
	Court     string
	Address   string // one line, parts separated by commas: "1 Oxford Row, Leeds, LS1 3BG"
	CheckedOn string // YYYY-MM-DD: when someone last checked it
	UpdatedAt time.Time
}

// Validate checks an address as an administrator gives it, at now.
// Errors: EINVALID with one message per field.
func (a *CourtAddress) Validate(now time.Time) error {
	var fe fieldErrors
	// Lines or commas: one line of parts, as a message and the portal show it.
	var parts []string
	for _, p := range strings.FieldsFunc(a.Address, func(r rune) bool { return r == '\n' || r == ',' }) {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			parts = append(parts, p)
		}
	}
	a.Address = strings.Join(parts, ", ")
	trim(&a.Court, &a.CheckedOn)
	text(&fe, "court", a.Court, 100, true)
	// A court of the reference data, as hearings record it: one court,
	// one name, one address.
	if _, ok := refdata.CourtName(a.Court); !ok && a.Court != "" {
		fe.add("court", "Choose the court from the list")
	}
	text(&fe, "address", a.Address, 200, true)
	if d, err := time.Parse(time.DateOnly, a.CheckedOn); err != nil {
		fe.add("checked_on", "Enter the date the address was last checked")
	} else if d.After(now) {
		fe.add("checked_on", "The date the address was checked must be today or in the past")
	}
	return fe.err("not a valid court address")
}

func trim(ss ...*string) {
	for _, s := range ss {
		*s = strings.TrimSpace(*s)
	}
}

// text checks a free-text field's length, and its presence if required.
func text(fe *fieldErrors, field, v string, max int, required bool) {
	switch {
	case required && v == "":
		fe.add(field, "Enter the %s", strings.ReplaceAll(field, "_", " "))
	case utf8.RuneCountInString(v) > max:
		fe.add(field, "The %s must be %d characters or fewer", strings.ReplaceAll(field, "_", " "), max)
	}
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}
