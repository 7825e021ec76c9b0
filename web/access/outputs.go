package access

import (
	"context"
	"slices"
	"strings"

	"throughline"
)

// What a case's rows beside the record (messages, deadlines, feedback) show
// under a decision. Every output that carries them — the API, the pages, the
// exports — takes them through here, so that a redaction decision made once
// holds for all of them: the per-complainant scope, the parts, and for a
// pseudonymised view no words that name people.

// Shows reports whether the decision for reading the case shows any of
// parts; a route that shows none of them has nothing to show this user.
func (ca *Case) Shows(parts ...string) bool {
	return slices.ContainsFunc(parts, ca.Read.Has)
}

// subjectShown reports whether a deadline's or row's subject
// ("complainant:C1", "defendant:D1", "") is shown: a complainant only when
// the decision shows them.
func (ca *Case) subjectShown(subject string) bool {
	kind, id, _ := strings.Cut(subject, ":")
	return kind != "complainant" || ca.Read.ShowsComplainant(id)
}

// Messages returns the victim messages the decision shows: none without the
// victim or work part; only those to complainants it shows; and for a
// pseudonymised view without their words (subject, body, the provider's
// error), which name the victim, the defendant and the officer.
func (ca *Case) Messages(ms []throughline.MessageRecord) []throughline.MessageRecord {
	out := []throughline.MessageRecord{}
	if !ca.Shows(throughline.PartVictim, throughline.PartWork) {
		return out
	}
	for _, m := range ms {
		if !ca.Read.ShowsComplainant(m.Complainant) {
			continue
		}
		if ca.Read.Pseudonymise {
			m.Subject, m.Body, m.LastError = "", "", ""
		}
		out = append(out, m)
	}
	return out
}

// Deadlines returns the deadlines the decision shows: they are the case's
// internal work (the work part), and of those only the ones about
// complainants it shows.
func (ca *Case) Deadlines(ds []throughline.CaseDeadline) []throughline.CaseDeadline {
	out := []throughline.CaseDeadline{}
	if !ca.Read.Has(throughline.PartWork) {
		return out
	}
	for _, d := range ds {
		if ca.subjectShown(d.Subject) && ca.subjectShown(d.Concerning) {
			out = append(out, d)
		}
	}
	return out
}

// Tasks returns the victim-contact tasks the decision shows, as Messages.
func (ca *Case) Tasks(ts []throughline.CommsTask) []throughline.CommsTask {
	out := []throughline.CommsTask{}
	if !ca.Shows(throughline.PartVictim, throughline.PartWork) {
		return out
	}
	for _, t := range ts {
		if !ca.Read.ShowsComplainant(t.Complainant) {
			continue
		}
		if ca.Read.Pseudonymise {
			t.Assignee, t.Detail, t.Say = "", "", ""
		}
		out = append(out, t)
	}
	return out
}

// Parties returns the parties of a list row that the decision for reading
// the case shows: none without the parties part, only the complainants it
// shows, and for a pseudonymised view their pseudonyms, as the case page
// names them.
func (s *Cases) Parties(ctx context.Context, ca *Case, ps []throughline.Party) []throughline.Party {
	out := []throughline.Party{}
	if !ca.Read.Has(throughline.PartParties) {
		return out
	}
	key := s.PseudonymKey
	for _, p := range ps {
		if p.Role == "complainant" && !ca.Read.ShowsComplainant(p.ID) {
			continue
		}
		if ca.Read.Pseudonymise {
			p.Name = withheld(key, ca.Ref, p.Role, p.ID)
		}
		out = append(out, p)
	}
	return out
}
