package throughline

import (
	"encoding/hex"
	"slices"
	"strings"
)

// Restricted material (issue 16 item 4, ADR 0402): what a holder sends back
// in answer to a victim information request (PCSCA 2022 Part 2 Chapter 3A,
// s.44A) — counselling notes, medical or school records — is kept encrypted
// outside the event log (package envelope, sqlstore restricted_material) and
// seen only by the case's named disclosure officer and reviewing
// prosecutor. Under the CPIA 1996 Code of Practice the disclosure officer
// examines and schedules the material the investigation holds; under
// CPIA 1996 s.3 and s.7A and the Attorney General's Guidelines on
// Disclosure (2024) the prosecutor reviews it and decides what meets the
// test for disclosure. Nobody else needs to read it: what may be shared
// more widely is a redacted copy they make.
//
// The events carry only what is safe in a copy of the database: ids, the
// request answered, and the SHA-256 of the ciphertext (tamper-evidence: the
// stored item must still be the one recorded). Title, holder and content
// are inside the envelope.

// Event types of restricted material.
const (
	TypeDisclosureDesignated       = "disclosure_designated"
	TypeRestrictedMaterialReceived = "restricted_material_received"
	TypeRestrictedMaterialRedacted = "restricted_material_redacted"
)

// The two designations that open restricted material.
const (
	DisclosureOfficer   = "disclosure_officer"
	ReviewingProsecutor = "reviewing_prosecutor"
)

// DisclosureRoles are the values of DisclosureDesignated.Role.
var DisclosureRoles = []string{DisclosureOfficer, ReviewingProsecutor}

// DisclosureDesignated names the member of staff who holds one of the two
// roles that see restricted material. The police supervisor designates the
// disclosure officer (CPIA 1996 Code of Practice, paras 3.1–3.3: the
// officer in charge and supervisors appoint and may replace one), the CPS
// manager the reviewing prosecutor; a new designation replaces the last.
// The person is named by their user id, so that access follows the
// designation and nothing typed; the name is the one the pages show.
type DisclosureDesignated struct {
	Role   string `json:"role"`
	UserID string `json:"user_id"`
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

func (*DisclosureDesignated) EventType() string { return TypeDisclosureDesignated }
func (d *DisclosureDesignated) validate(fe *fieldErrors) {
	oneOf(fe, "role", d.Role, DisclosureRoles)
	required(fe, "user_id", d.UserID)
	required(fe, "name", d.Name)
	required(fe, "reason", d.Reason)
}

// RestrictedMaterialReceived records that material a holder sent in answer
// to request RequestID was stored, encrypted, as MaterialID. SHA256 is the
// hex SHA-256 of the stored ciphertext.
type RestrictedMaterialReceived struct {
	MaterialID    string `json:"material_id"`
	ComplainantID string `json:"complainant_id"`
	RequestID     string `json:"request_id"`
	SHA256        string `json:"sha256"`
}

func (*RestrictedMaterialReceived) EventType() string { return TypeRestrictedMaterialReceived }
func (d *RestrictedMaterialReceived) validate(fe *fieldErrors) {
	partyID(fe, "material_id", d.MaterialID)
	partyID(fe, "complainant_id", d.ComplainantID)
	partyID(fe, "request_id", d.RequestID)
	digest(fe, d.SHA256)
}

// RestrictedMaterialRedacted records a redacted copy of MaterialID, made
// by one of the named two for wider sharing and stored, encrypted like the
// original, as RedactionID. The reason (why these passages were taken out
// and why the rest may be shared) is sealed with the case's personal data
// and shown, with the copy, to the case team.
type RestrictedMaterialRedacted struct {
	MaterialID  string `json:"material_id"`
	RedactionID string `json:"redaction_id"`
	SHA256      string `json:"sha256"`
	Reason      string `json:"reason"`
}

func (*RestrictedMaterialRedacted) EventType() string { return TypeRestrictedMaterialRedacted }
func (d *RestrictedMaterialRedacted) validate(fe *fieldErrors) {
	partyID(fe, "material_id", d.MaterialID)
	partyID(fe, "redaction_id", d.RedactionID)
	digest(fe, d.SHA256)
	if len(strings.TrimSpace(d.Reason)) < minReasons {
		fe.add("reason", "Say what was taken out and why the rest may be shared, in at least %d characters", minReasons)
	}
}

func (d *RestrictedMaterialRedacted) splitPersonal() (Data, map[string]string) {
	pub := *d
	m := map[string]string{}
	take(m, "reason", &pub.Reason)
	return &pub, m
}

func (d *RestrictedMaterialRedacted) mergePersonal(m map[string]string) {
	restore(m, "reason", &d.Reason, true)
}

func digest(fe *fieldErrors, v string) {
	if b, err := hex.DecodeString(v); err != nil || len(b) != 32 {
		fe.add("sha256", "must be the hex SHA-256 of the stored ciphertext")
	}
}

// Custodian is who holds one of DisclosureRoles on a case.
type Custodian struct {
	Role   string
	UserID string
	Name   string
	Since  When
}

// RestrictedItem is one item of restricted material and its redacted
// copies, as the log knows them (no content, title or holder).
type RestrictedItem struct {
	ID            string
	ComplainantID string
	RequestID     string
	SHA256        string
	Received      When
	By            string
	Redactions    []Redaction `json:",omitzero"`
}

// Redaction is a redacted copy of a restricted item.
type Redaction struct {
	ID     string
	SHA256 string
	Reason string
	By     string
	On     When
}

// Custodian returns who holds role on the case, or nil.
func (c *Case) Custodian(role string) *Custodian {
	for i := range c.Custodians {
		if c.Custodians[i].Role == role {
			return &c.Custodians[i]
		}
	}
	return nil
}

// RestrictedItem returns the item with id, or nil.
func (c *Case) RestrictedItem(id string) *RestrictedItem {
	for i := range c.Restricted {
		if c.Restricted[i].ID == id {
			return &c.Restricted[i]
		}
	}
	return nil
}

// RedactionOf returns the redacted copy with id and its original, or nils.
func (c *Case) RedactionOf(id string) (*RestrictedItem, *Redaction) {
	for i := range c.Restricted {
		for j := range c.Restricted[i].Redactions {
			if c.Restricted[i].Redactions[j].ID == id {
				return &c.Restricted[i], &c.Restricted[i].Redactions[j]
			}
		}
	}
	return nil, nil
}

// usedMaterialID reports whether id names an item or a copy already.
func (c *Case) usedMaterialID(id string) bool {
	_, r := c.RedactionOf(id)
	return c.RestrictedItem(id) != nil || r != nil
}

// decideRestricted checks the events of restricted material; ok is false
// for other events. Who may record them (the named two, and the
// supervisors who name them) is the edge's question: CanHoldRestricted and
// CanDesignate; these events have no Recorders, so no general form or
// the events API records them.
func decideRestricted(c *Case, e Event) (ok bool, err error) {
	switch d := e.Data.(type) {
	case *DisclosureDesignated:
		return true, nil
	case *RestrictedMaterialReceived:
		if c.usedMaterialID(d.MaterialID) {
			return true, refuse("material %s is already recorded: choose another id", d.MaterialID)
		}
		cp, err := complainant(c, d.ComplainantID)
		if err != nil {
			return true, err
		}
		if cp.Request(d.RequestID) == nil {
			return true, refuse("complainant %s has no information request %s", cp.ID, d.RequestID)
		}
		f := cp.Flow(d.RequestID)
		if f == nil || f.Sent.IsZero() {
			return true, refuse("information request %s has not been sent: material is received only in answer to a request made (PCSCA 2022 s.44A)", d.RequestID)
		}
		if !f.Withdrawn.IsZero() {
			return true, refuse("information request %s was withdrawn on %s", d.RequestID, f.Withdrawn)
		}
		if c.Custodian(DisclosureOfficer) == nil && c.Custodian(ReviewingProsecutor) == nil {
			return true, refuse("name the case's disclosure officer or reviewing prosecutor first: nobody else may see restricted material")
		}
		return true, notBefore(e, "the request was sent", f.Sent)
	case *RestrictedMaterialRedacted:
		it := c.RestrictedItem(d.MaterialID)
		if it == nil {
			return true, refuse("there is no restricted material %s", d.MaterialID)
		}
		if c.usedMaterialID(d.RedactionID) {
			return true, refuse("material %s is already recorded: choose another id", d.RedactionID)
		}
		return true, notBefore(e, "the material was received", it.Received)
	}
	return false, nil
}

// applyRestricted folds the events of restricted material.
func (c *Case) applyRestricted(e Event) bool {
	switch d := e.Data.(type) {
	case *DisclosureDesignated:
		c.Custodians = slices.DeleteFunc(c.Custodians, func(x Custodian) bool { return x.Role == d.Role })
		c.Custodians = append(c.Custodians, Custodian{Role: d.Role, UserID: d.UserID, Name: d.Name, Since: e.OccurredAt})
	case *RestrictedMaterialReceived:
		c.Restricted = append(c.Restricted, RestrictedItem{ID: d.MaterialID, ComplainantID: d.ComplainantID, RequestID: d.RequestID, SHA256: d.SHA256, Received: e.OccurredAt, By: e.Actor})
	case *RestrictedMaterialRedacted:
		if it := c.RestrictedItem(d.MaterialID); it != nil {
			it.Redactions = append(it.Redactions, Redaction{ID: d.RedactionID, SHA256: d.SHA256, Reason: d.Reason, By: e.Actor, On: e.OccurredAt})
		}
	default:
		return false
	}
	return true
}

// PartRestricted is restricted material, in the consultation log.
const PartRestricted = "restricted_material"

// CanHoldRestricted decides whether u may see, add to and redact the
// restricted material of case c: only the person the case names as its
// disclosure officer or reviewing prosecutor, and only while they are
// entitled to the case itself as its team or its supervisor (never by
// break-glass, never pseudonymised or victim-facing). The decision's
// purpose names the designation; every access is logged with the
// justification the person types.
func CanHoldRestricted(u User, c *Case, rel Relation) Decision {
	read := Can(u, ActionReadCase, &CaseScope{Ref: c.Ref, Force: c.Force, CPSArea: c.CPSArea}, rel)
	if !read.Allowed || (read.Basis != BasisTeam && read.Basis != BasisSupervisor) || read.WithholdsFreeText() {
		return deny
	}
	for _, cu := range c.Custodians {
		if cu.UserID == u.ID && slices.Contains(custodianRoles[cu.Role], u.Role) {
			return Decision{Allowed: true, Basis: read.Basis, Purpose: teamRoleWord(cu.Role), Parts: []string{PartRestricted}}
		}
	}
	return deny
}

// custodianRoles are the roles that may hold each designation.
var custodianRoles = map[string][]string{
	DisclosureOfficer:   {RoleOfficer, RolePoliceSupervisor},
	ReviewingProsecutor: {RoleProsecutor, RoleCPSManager},
}

// designators are who names each designation: a police supervisor the
// disclosure officer, a CPS manager the reviewing prosecutor.
var designators = map[string]string{DisclosureOfficer: RolePoliceSupervisor, ReviewingProsecutor: RoleCPSManager}

// agencyOf names the agency of each designation, for messages.
var agencyOf = map[string]string{DisclosureOfficer: "force", ReviewingProsecutor: "CPS area"}

// MayDesignate reports whether actor (standing as rel to the case of scope
// sc) names the holder of role on it: the supervisor of the case's own
// agency for that role. CanDesignate adds the checks on whom.
func MayDesignate(actor User, role string, sc CaseScope, rel Relation) bool {
	d := Can(actor, ActionManageCaseTeam, &sc, rel)
	return slices.Contains(DisclosureRoles, role) && actor.Role == designators[role] && d.Allowed && d.Basis == BasisSupervisor
}

// CanDesignate decides whether actor (standing as actorRel to the case of
// scope sc) may name designee (standing as designeeRel) to role: actor must
// be the supervisor of the case's own agency for that role, and the
// designee an enabled member of staff of a role that may hold it who is
// entitled to the case as its team or supervisor. The error says why not.
func CanDesignate(actor User, role string, designee User, sc CaseScope, actorRel, designeeRel Relation) error {
	if !slices.Contains(DisclosureRoles, role) {
		return refuse("choose the disclosure officer or the reviewing prosecutor")
	}
	if !MayDesignate(actor, role, sc, actorRel) {
		return Errorf(EFORBIDDEN, "The %s is named by a %s of the case's own %s.", teamRoleWord(role), RoleName(designators[role]), agencyOf[role])
	}
	if designee.Disabled || !slices.Contains(custodianRoles[role], designee.Role) {
		return &Error{Code: EINVALID, Message: "choose someone who can hold the role", Fields: []FieldError{{Field: "user_id", Message: "Choose a " + strings.Join(roleNamesOf(custodianRoles[role]), " or a ") + " of the case's " + agencyOf[role]}}}
	}
	r := Can(designee, ActionReadCase, &sc, designeeRel)
	if !r.Allowed || (r.Basis != BasisTeam && r.Basis != BasisSupervisor) {
		return &Error{Code: EINVALID, Message: "choose someone on the case", Fields: []FieldError{{Field: "user_id", Message: "Choose someone on the case team: add them to the team first"}}}
	}
	return nil
}

func roleNamesOf(rs []string) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = RoleName(r)
	}
	return out
}

// MayHold reports whether a user of role userRole may hold designation role.
func MayHold(role, userRole string) bool { return slices.Contains(custodianRoles[role], userRole) }

// TeamRoleWord is a designation in words: "disclosure officer".
func TeamRoleWord(role string) string { return teamRoleWord(role) }
