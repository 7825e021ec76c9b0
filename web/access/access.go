// Package access applies the one policy, throughline.Can, to a request for
// a case: it loads the case with how the user stands to it, asks the
// policy, redacts the case to the decision, and logs the consultation
// before anything is shown. The route guard and every handler that shows a
// case use it.
package access

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"net/http"
	"slices"
	"strings"

	"throughline"
)

// Store is what deciding on a case needs from storage.
type Store interface {
	Case(ctx context.Context, ref string) (*throughline.Case, error)
	CasesOf(ctx context.Context, refs []string) (map[string]*throughline.Case, error)
	RelationsOf(ctx context.Context, u throughline.User, refs []string) (map[string]throughline.Relation, error)
	CaseScope(ctx context.Context, ref string) (throughline.CaseScope, error)
	Relation(ctx context.Context, u throughline.User, ref string) (throughline.Relation, error)
	LogConsultations(ctx context.Context, cs ...throughline.Consultation) error
	Secret(ctx context.Context, name string, n int) ([]byte, error)
}

// Cases decides on cases for users.
type Cases struct {
	Store Store
	// PseudonymKey is the installation's key for inspectors' pseudonyms,
	// held outside the database (ADR 0108, 0113). Without one, a
	// pseudonymised view shows no names at all.
	PseudonymKey []byte
}

// Case is a case as one user may see it: the decision of the policy and
// the case redacted to it.
type Case struct {
	Ref      string
	Scope    throughline.CaseScope
	Relation throughline.Relation
	// Decision is the policy's answer for the action asked; Read its answer
	// for reading the case, which decides what is shown and logged.
	Decision throughline.Decision
	Read     throughline.Decision
	// Case is the case redacted to the decision (nil when only the scope
	// was loaded).
	Case *throughline.Case
	// Full is the case before redaction, for deciding events against it.
	Full *throughline.Case
}

// MayRecord is the policy's answer to whether u may record events of type
// typ on this case: its recorders and its decision for appending, together
// (throughline.CanRecord).
func (ca *Case) MayRecord(u throughline.User, typ string) bool {
	return throughline.CanRecord(u, typ, &ca.Scope, ca.Relation).Allowed
}

// MayRecordEvent refuses, EFORBIDDEN, an event u may not record on this
// case (throughline.CanRecordEvent): one about a victim who has not
// consented to an ISVA's support, when an ISVA relays it.
func (ca *Case) MayRecordEvent(u throughline.User, e throughline.Event) error {
	if !throughline.CanRecordEvent(u, e, &ca.Scope, ca.Relation).Allowed {
		return throughline.Errorf(throughline.EFORBIDDEN, "you may not record this about that person on case %s", ca.Ref)
	}
	return nil
}

// NotFound is the answer for a case the user may not see: exactly the
// answer for a case that does not exist.
func NotFound(ref string) error { return throughline.Errorf(throughline.ENOTFOUND, "no case %s", ref) }

// Load loads case ref with how u stands to it and asks the policy about
// action. A case u may not take the action on is ENOTFOUND, as if it did
// not exist: nobody learns from a refusal that a case exists.
func (s *Cases) Load(ctx context.Context, u throughline.User, ref, action string) (*Case, error) {
	c, err := s.Store.Case(ctx, ref)
	if err != nil {
		if throughline.ErrorCode(err) == throughline.ENOTFOUND {
			return nil, NotFound(ref)
		}
		return nil, err
	}
	ca, err := s.Decide(ctx, u, throughline.ScopeOf(c), action)
	if err != nil {
		return nil, err
	}
	ca.Full = c
	ca.Case = s.redact(ctx, c, ca.Read)
	return ca, nil
}

// LoadMany is Load for each of refs (a page's worth) in two queries: the
// cases u may take action on, by reference; a case that does not exist or
// that u may not take the action on is absent, as Load's ENOTFOUND.
func (s *Cases) LoadMany(ctx context.Context, u throughline.User, refs []string, action string) (map[string]*Case, error) {
	cs, err := s.Store.CasesOf(ctx, refs)
	if err != nil {
		return nil, err
	}
	rels, err := s.Store.RelationsOf(ctx, u, refs)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*Case, len(cs))
	for ref, c := range cs {
		ca, err := s.Open(ctx, u, c, rels[ref], action)
		if throughline.ErrorCode(err) == throughline.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[ref] = ca
	}
	return out, nil
}

// Open is Load for a case already read, with how u stands to it (from a
// list query): it asks the policy about action and redacts the case to the
// decision. A refusal is ENOTFOUND, as from Load.
func (s *Cases) Open(ctx context.Context, u throughline.User, c *throughline.Case, rel throughline.Relation, action string) (*Case, error) {
	ca, err := decide(u, throughline.ScopeOf(c), rel, action)
	if err != nil {
		return nil, err
	}
	ca.Full = c
	ca.Case = s.redact(ctx, c, ca.Read)
	return ca, nil
}

// Scope is Load for actions that need the case's scope only.
func (s *Cases) Scope(ctx context.Context, u throughline.User, ref, action string) (*Case, error) {
	sc, err := s.Store.CaseScope(ctx, ref)
	if err != nil {
		if throughline.ErrorCode(err) == throughline.ENOTFOUND {
			return nil, NotFound(ref)
		}
		return nil, err
	}
	return s.Decide(ctx, u, sc, action)
}

// Decide asks the policy about action on the case of scope sc for u; a
// refusal is ENOTFOUND.
func (s *Cases) Decide(ctx context.Context, u throughline.User, sc throughline.CaseScope, action string) (*Case, error) {
	rel, err := s.Store.Relation(ctx, u, sc.Ref)
	if err != nil {
		return nil, err
	}
	return decide(u, sc, rel, action)
}

// decide asks the policy about action for u standing as rel to the case of
// scope sc, and about reading it.
func decide(u throughline.User, sc throughline.CaseScope, rel throughline.Relation, action string) (*Case, error) {
	d := throughline.Can(u, action, &sc, rel)
	if !d.Allowed {
		return nil, NotFound(sc.Ref)
	}
	read := d
	if action != throughline.ActionReadCase {
		read = throughline.Can(u, throughline.ActionReadCase, &sc, rel)
	}
	return &Case{Ref: sc.Ref, Scope: sc, Relation: rel, Decision: d, Read: read}, nil
}

// Consulted writes the consultation log entry for showing parts of a case
// to u, and returns once it is durable. Call it before rendering: if it
// fails, nothing is shown.
func (s *Cases) Consulted(r *http.Request, u throughline.User, ca *Case, parts []string, channel string) error {
	return s.ConsultedMany(r, u, channel, Consultation{ca, parts})
}

// Consultation is parts of a case shown.
type Consultation struct {
	Case  *Case
	Parts []string
}

// ConsultedMany is Consulted for several cases at once, in one write.
func (s *Cases) ConsultedMany(r *http.Request, u throughline.User, channel string, cs ...Consultation) error {
	var entries []throughline.Consultation
	for _, c := range cs {
		// The purpose is the user's standing to read the case; where the
		// action is not a read (the consultation log, an access review), the
		// action's own decision.
		d := c.Case.Read
		if !d.Allowed {
			d = c.Case.Decision
		}
		var shown []string
		for _, p := range c.Parts {
			if d.Has(p) || c.Case.Decision.Has(p) || p == throughline.PartSearch {
				shown = append(shown, p)
			}
		}
		if len(shown) == 0 {
			continue
		}
		e := throughline.Consultation{UserID: u.ID, UserName: u.Name, Role: u.Role, Agency: u.Agency, CaseRef: c.Case.Ref,
			Parts: shown, Purpose: d.Purpose, Basis: d.Basis, Channel: channel, Target: Target(r)}
		if d.Basis == throughline.BasisBreakGlass {
			e.BreakGlass = c.Case.Relation.BreakGlass
		}
		entries = append(entries, e)
	}
	return s.Store.LogConsultations(r.Context(), entries...)
}

// Target names what was asked for, without query strings (which may hold
// names typed into a search).
func Target(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	return r.Method + " " + r.URL.Path
}

// pseudonym is the stable pseudonym of party id of case ref: the same
// person reads the same on every page and for every inspector.
func pseudonym(key []byte, ref, kind, id string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(ref + "\x00" + kind + "\x00" + id))
	return throughline.Pseudonym(kind, m.Sum(nil))
}

// withheld is a party's name in a pseudonymised view: their stable
// pseudonym, or without a key no name at all.
func withheld(key []byte, ref, kind, id string) string {
	if key == nil {
		return strings.ToUpper(kind[:1]) + kind[1:] + " (name withheld)"
	}
	return pseudonym(key, ref, kind, id)
}

// redact returns a copy of c holding only what the decision shows: an
// ISVA's view loses the other complainants and the internal work, an
// inspector's has pseudonyms for names and no contact details.
func (s *Cases) redact(ctx context.Context, c *throughline.Case, d throughline.Decision) *throughline.Case {
	out := *c
	out.Complainants = nil
	for _, cp := range c.Complainants {
		if !d.ShowsComplainant(cp.ID) {
			continue
		}
		if !d.Has(throughline.PartVictim) {
			cp.Preferences = nil
			cp.Requests, cp.Flows, cp.NoNotice = nil, nil, nil
			cp.Devices = nil
			cp.CallbackWhen = ""
			cp.Statement = ""
		}
		out.Complainants = append(out.Complainants, cp)
	}
	out.Defendants = slices.Clone(c.Defendants)
	if !d.Has(throughline.PartWork) {
		out.Plans, out.Assessments, out.Conferences = nil, nil, nil
	}
	if !d.Has(throughline.PartTeam) {
		out.Team = nil
	}
	if !d.Has(throughline.PartHearings) {
		out.Hearings = nil
	}
	if d.WithholdsFreeText() {
		// Typed free text may name people (another complainant, a
		// witness): withheld from an inspector's and an ISVA's view.
		if out.CloseReason != "" {
			out.CloseReason = "reason withheld"
		}
		out.Hearings = slices.Clone(out.Hearings)
		for i := range out.Hearings {
			if out.Hearings[i].Status == "vacated" {
				out.Hearings[i].Reason = ""
			}
		}
		withholdCollabText(&out)
	}
	if d.Pseudonymise {
		out.Plans = nil
		key := s.PseudonymKey
		for i := range out.Complainants {
			cp := &out.Complainants[i]
			cp.Name = withheld(key, c.Ref, "complainant", cp.ID)
			cp.DateOfBirth = ""
			cp.Preferences = nil
			cp.CallbackWhen = ""
			cp.Statement = ""
		}
		for i := range out.Defendants {
			df := &out.Defendants[i]
			df.Name = withheld(key, c.Ref, "defendant", df.ID)
		}
	}
	return &out
}

// Approvable returns the requests to join a case team that u may decide,
// decided row by row: the policy's ActionApproveCaseTeam on each request's
// case, and never u's own request or u's own addition (the store refuses
// those too: a second person decides).
func (s *Cases) Approvable(ctx context.Context, u throughline.User, qs []throughline.CaseMemberRequest) ([]throughline.CaseMemberRequest, error) {
	out := []throughline.CaseMemberRequest{}
	may := map[string]bool{}
	for _, q := range qs {
		if q.RequestedBy == u.ID || (q.Kind == "user" && q.MemberID == u.ID) {
			continue
		}
		ok, seen := may[q.CaseRef]
		if !seen {
			_, err := s.Scope(ctx, u, q.CaseRef, throughline.ActionApproveCaseTeam)
			if err != nil && throughline.ErrorCode(err) != throughline.ENOTFOUND {
				return nil, err
			}
			ok = err == nil
			may[q.CaseRef] = ok
		}
		if ok {
			out = append(out, q)
		}
	}
	return out, nil
}

// withholdCollabText removes the typed text of the joint police–CPS work
// (comments, notes, hand-overs, decisions, names of staff at conferences),
// keeping the coded facts an inspection counts: outcomes, reasons, statuses
// and dates.
func withholdCollabText(c *throughline.Case) {
	c.Assessments = slices.Clone(c.Assessments)
	for i := range c.Assessments {
		a := &c.Assessments[i]
		a.Comment = ""
		a.Reasons = slices.Clone(a.Reasons)
		for j := range a.Reasons {
			r := &a.Reasons[j]
			r.Comment, r.AnswerComment = "", ""
			if r.Resolution != nil {
				res := *r.Resolution
				res.PoliceNote, res.CPSNote = "", ""
				r.Resolution = &res
			}
		}
	}
	c.Team = slices.Clone(c.Team)
	for i := range c.Team {
		c.Team[i].Handover = ""
	}
	c.Conferences = nil
}
