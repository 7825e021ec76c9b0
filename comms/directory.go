package comms

import (
	"context"
	"slices"
	"strings"

	"throughline"
	"throughline/refdata"
)

// Directory is what a message or a portal page names that the case's log
// does not hold: who is on the case team, how to reach each of them, and
// the support services (ADR 0230). The log's named contact
// (named_contact_changed) stays the victim's first contact; the directory
// adds how and when to reach her, and the officer and ISVA beside.
type Directory struct {
	Team     []throughline.CaseMember
	Consents []throughline.Consent // ISVA consents, oldest first
	Staff    []throughline.StaffContact
	Services []throughline.SupportService
	Courts   []throughline.CourtAddress
}

// DirectoryReader is the storage a Directory is read from.
type DirectoryReader interface {
	CaseMembers(ctx context.Context, ref string) ([]throughline.CaseMember, error)
	Consents(ctx context.Context, ref string) ([]throughline.Consent, error)
	StaffContacts(ctx context.Context) ([]throughline.StaffContact, error)
	SupportServices(ctx context.Context) ([]throughline.SupportService, error)
	CourtAddresses(ctx context.Context) ([]throughline.CourtAddress, error)
}

// LoadDirectory reads the directory of case ref: the one place both the
// dispatcher and the portal read it from, so a message and the portal name
// the same people.
func LoadDirectory(ctx context.Context, s DirectoryReader, ref string) (Directory, error) {
	var d Directory
	var err error
	if d.Team, err = s.CaseMembers(ctx, ref); err != nil {
		return d, err
	}
	if d.Consents, err = s.Consents(ctx, ref); err != nil {
		return d, err
	}
	if d.Staff, err = s.StaffContacts(ctx); err != nil {
		return d, err
	}
	if d.Services, err = s.SupportServices(ctx); err != nil {
		return d, err
	}
	d.Courts, err = s.CourtAddresses(ctx)
	return d, err
}

// CourtAddress is where court (as a hearing records it) is, or "".
func (d Directory) CourtAddress(court string) string {
	for _, a := range d.Courts {
		if a.Court == court {
			return a.Address
		}
	}
	return ""
}

// WithAddresses is fs with each court's address from the directory.
func (d Directory) WithAddresses(fs []HearingFacts) []HearingFacts {
	for i := range fs {
		fs[i].Address = d.CourtAddress(fs[i].CourtID)
	}
	return fs
}

// Contacts are the people the complainant can reach about her case,
// Witness Care first: her named contact from the log, else the Witness
// Care officer the log designates, else the force's Witness Care Unit; then
// the officer in the case the log designates; each with the directory's
// phone, email and hours where it has an entry of that name, and the
// unit's line when no way to reach the person is known; then her ISVA, when
// on the case team with her consent standing. Who holds a role is the
// log's answer (case_team_changed, ADR 0326), the one the case page and the
// case list give: the case team grants access, it names no contact.
func Contacts(c *throughline.Case, cp *throughline.Complainant, lang string, d Directory) []Contact {
	wc := contactOf(c, cp, lang)
	wc.Role = throughline.ContactWitnessCare
	wc = d.reach(wc)
	if wc.Phone == "" && wc.Email == "" {
		if e := d.unit("wcu:" + c.Force); e != nil {
			wc.Phone, wc.Email, wc.Hours = e.Phone, e.Email, e.Hours
		}
	}
	out := []Contact{wc}
	if des := c.Designated(throughline.OfficerInCase); des != nil {
		force, _ := refdata.LookupForce(c.Force)
		out = append(out, d.reach(Contact{Role: throughline.ContactOfficer, Name: des.Name, Team: force.Name, Phone: des.Phone, Email: des.Email}))
	}
	if e := d.onTeam(cp, throughline.ContactISVA); e != nil {
		out = append(out, Contact{Role: e.Role, Name: e.Name, Team: e.Team, Phone: e.Phone, Email: e.Email, Hours: e.Hours})
	}
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// reach is ct with the directory's team, phone, email and hours for the
// person of its name and role, where the directory has them: the team the
// directory's (where she works, which a designation does not record), the
// phone and email the log's first.
func (d Directory) reach(ct Contact) Contact {
	name := strings.TrimSpace(ct.Name)
	for _, e := range d.Staff {
		if e.Role == ct.Role && e.Name != "" && strings.EqualFold(e.Name, name) {
			ct.Team, ct.Phone, ct.Email, ct.Hours = cmpOr(e.Team, ct.Team), cmpOr(ct.Phone, e.Phone), cmpOr(ct.Email, e.Email), e.Hours
			return ct
		}
	}
	return ct
}

// onTeam is the directory's entry of a person in role on the case team (an
// ISVA: no designation names one); only where the complainant's consent to
// that ISVA's organisation stands (ADR 0106): another complainant's ISVA is
// not hers.
func (d Directory) onTeam(cp *throughline.Complainant, role string) *throughline.StaffContact {
	for _, m := range d.Team {
		if m.Kind != "user" || m.Role != role || (role == throughline.ContactISVA && !d.consented(cp.ID, m.Agency)) {
			continue
		}
		for i, e := range d.Staff {
			if e.UserID == m.ID && e.Role == role {
				return &d.Staff[i]
			}
		}
	}
	return nil
}

// consented reports whether complainant's latest word on ISVA agency is yes.
func (d Directory) consented(complainant, agency string) bool {
	given := false
	for _, c := range d.Consents {
		if c.ComplainantID == complainant && c.ISVAAgency == agency {
			given = c.Given
		}
	}
	return given
}

// unit is the shared line of an agency: its entry with no person's name.
func (d Directory) unit(agency string) *throughline.StaffContact {
	for i, e := range d.Staff {
		if e.Name == "" && e.Agency == agency {
			return &d.Staff[i]
		}
	}
	return nil
}

// ServicesFor are the support services of the case's area that are for
// any of whom (all of them when whom is empty), local ones first.
func ServicesFor(c *throughline.Case, d Directory, whom ...string) []throughline.SupportService {
	var local, national []throughline.SupportService
	for _, s := range d.Services {
		if !s.Serves(c.Force) || (len(whom) > 0 && !slices.ContainsFunc(whom, func(w string) bool { return slices.Contains(s.For, w) })) {
			continue
		}
		if slices.Contains(s.Areas, throughline.AreaNational) {
			national = append(national, s)
		} else {
			local = append(local, s)
		}
	}
	return append(local, national...)
}

// MaxSupportInMessage is how many services a message names; the portal
// lists them all.
const MaxSupportInMessage = 2

// supportIn are the services a message names: for all survivors (and, to a
// Welsh speaker, those in Welsh first) in her area, local ones first.
func supportIn(c *throughline.Case, lang string, d Directory) []throughline.SupportService {
	var ss []throughline.SupportService
	if lang == "cy" {
		ss = ServicesFor(c, d, throughline.ForWelshLanguage)
	}
	for _, s := range ServicesFor(c, d, throughline.ForAll) {
		if !slices.ContainsFunc(ss, func(x throughline.SupportService) bool { return x.ID == s.ID }) {
			ss = append(ss, s)
		}
	}
	return ss[:min(len(ss), MaxSupportInMessage)]
}
