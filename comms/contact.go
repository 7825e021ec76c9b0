package comms

import (
	"strings"
	"throughline"
	"throughline/refdata"
)

// ContactOf names the complainant's named contact (or their team) in English.
func ContactOf(c *throughline.Case, cp *throughline.Complainant) string {
	ct := contactOf(c, cp, "en")
	if ct.Name != "" {
		return ct.Name + " (" + ct.Team + ")"
	}
	return ct.Team
}

// ContactFor is the complainant's named contact in language lang.
func ContactFor(c *throughline.Case, cp *throughline.Complainant, lang string) Contact {
	return contactOf(c, cp, lang)
}

// contactOf is the victim's named contact; with none recorded, the Witness
// Care officer the log designates (ADR 0326); with neither, the Witness
// Care Unit of the force.
func contactOf(c *throughline.Case, cp *throughline.Complainant, lang string) Contact {
	if n := cp.Contact; n != nil {
		return Contact{Name: n.Name, Team: n.Team, Phone: n.Phone, Email: n.Email}
	}
	force := ""
	if f, ok := refdata.LookupForce(c.Force); ok {
		force = f.Name
	}
	unit := Contact{Team: strings.TrimSpace(force + " Witness Care Unit")}
	if lang == "cy" {
		unit.Team = strings.TrimSpace("Uned Gofal Tystion " + force)
	}
	if des := c.Designated(throughline.WitnessCareOfficer); des != nil {
		unit.Name, unit.Phone, unit.Email = des.Name, des.Phone, des.Email
	}
	return unit
}
