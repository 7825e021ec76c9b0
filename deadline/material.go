package deadline

import (
	"fmt"
	"strings"
	"time"

	"throughline"
	"throughline/calendar"
)

// Decisions not to seek material about a victim, or to withhold it, kept
// under review (ADR 0400): each such decision (material_decision, not
// sought or withheld) is to be looked at again at the two points of a
// Crown Court case where what is relevant changes: before the Plea and
// Trial Preparation Hearing, where disclosure is timetabled, and after the
// defence statement (Better Case Management Stage 2, stage2_served), which
// the prosecutor must review disclosure against (CPIA 1996 s.7A(2)).

// MaterialReview is the rule id.
const MaterialReview = "material_review"

var disclosureGuidelines2024 = date(2024, time.May, 29) // Attorney General's Guidelines on Disclosure 2024 in force (assumed: see Notes)

func materialRows() []Rule {
	return []Rule{{
		ID: MaterialReview, Version: "AGG2024", Title: "Decision not to seek or to withhold material revisited",
		Source: "Attorney General's Guidelines on Disclosure (2024): disclosure decisions, and their reasons, recorded and kept under review throughout the case; " +
			"Criminal Procedure and Investigations Act 1996 s.7A: the prosecutor's continuing duty to keep disclosure under review, in particular after a defence statement (s.7A(2))",
		Starts: []string{throughline.TypeMaterialDecision}, StartKinds: []string{throughline.TypeMaterialDecision + ":!" + throughline.MaterialRevisited},
		// It protects the case (a fair trial), not a duty to tell her: it is
		// kept for her because the material is about her.
		From: FromOccurred, Protects: "case", Subject: "complainant", Owner: "cps",
		Unit: WorkingDays, Days: 5, DueSoon: 2, EffectiveFrom: disclosureGuidelines2024,
		MetBy:    []string{throughline.TypeMaterialDecision, throughline.TypeInformationRequestSent},
		MetKinds: []string{throughline.TypeMaterialDecision + ":" + throughline.MaterialRevisited},
		EndedBy:  prosecutionOver, EndKinds: prosecutionOverKinds,
		Notes: "Two reminders per decision (not sought or withheld) about one kind of material for one complainant. " +
			"Before the PTPH: due the working day before the first hearing of kind ptph listed to start after the day of the decision; not applicable until one is listed. " +
			"After the defence statement: due 5 working days after the first stage2_served (any defendant) on or after the day of the decision; not applicable until it is served. " +
			"Each is met by a material_decision revisited for the same complainant and material, or an information_request_sent for a request of hers for that material, " +
			"on or after the decision: one after the due day is late; one before the point is known meets it (the decision was no longer standing). " +
			"A plea or verdict, a sentence, or the prosecution stopped, before the due day, makes it moot: s.7A applies until then (s.7A(1)). " +
			"s.7A(1) and (2) were read in the text the Criminal Justice Act 2003 s.37 inserted; the Guidelines' own text was not read, so what is said of them is assumed. " +
			"Assumptions: neither source fixes a day. The working day before the PTPH and the 5 working days after the defence statement are this project's reading " +
			"(the Guidelines ask for review at each stage; s.7A(2) asks for it after a defence statement, without a period); the effective date is the date the 2024 Guidelines " +
			"were published as in force, not verified against the text. A PTPH vacated and relisted is counted by its first listing.",
	}}
}

// The two points a decision is revisited at, as Concerning says them.
const (
	beforePTPH   = "before the PTPH"
	afterDefence = "after the defence statement"
)

// materialReviews adds, for each decision not to seek or to withhold
// material, its two reminders.
func (s *state) materialReviews() {
	rs := s.rules.get(MaterialReview)
	for k := range s.evs {
		e := &s.evs[k]
		if !rs.startedBy(e) {
			continue
		}
		md := e.data.(*throughline.MaterialDecision)
		what := strings.ReplaceAll(md.Material, "_", " ")
		met := s.materialRevisit(k, md)
		for _, point := range []string{beforePTPH, afterDefence} {
			d, r := newDeadline(rs, "complainant:"+md.ComplainantID, what+", "+point, e, e.occ)
			if r == nil {
				s.out = append(s.out, d)
				continue
			}
			dueDay, pending := noDay, ""
			if point == beforePTPH {
				if h := s.ptphAfter(e.occ); h != noDay {
					// The working day before the hearing: counting back one
					// working day from its clock start (a hearing listed on a
					// non-working day counts from the next working day).
					dueDay = h.AddWorkingDays(-1)
				} else {
					pending = "no PTPH is listed after the decision yet"
				}
			} else {
				if x := s.next(e.occ, func(x *ev) bool { return x.typ == TypeStage2Served }); x >= 0 {
					dueDay = due(r, s.evs[x].occ, r.Days)
				} else {
					pending = "the defence statement (Stage 2) has not been served since the decision"
				}
			}
			if dueDay != noDay {
				d.Due = dueDay.Time()
			}
			switch {
			case met != nil && dueDay == noDay:
				d.NotApplicable = fmt.Sprintf("the decision was revisited (%s on %s) before %s", met.typ, met.occ, pending)
			case met != nil:
				meet(&d, dueDay, met.occ, met.typ, met.v)
			case pending != "":
				d.NotApplicable = pending
			}
			if dueDay != noDay {
				if j := s.next(e.occ, func(x *ev) bool { return r.ended.match(x) }); j >= 0 && moot(&d, &s.evs[j], e.occ, dueDay) {
					d.NotApplicable = fmt.Sprintf("%s on %s", s.evs[j].typ, s.evs[j].occ)
				}
			}
			s.out = append(s.out, d)
		}
	}
}

// materialRevisit returns the first event after decision k (in date, then
// log, order) that revisits it: a material_decision revisited of the same
// material, or a request of hers for that material sent; or nil.
func (s *state) materialRevisit(k int, md *throughline.MaterialDecision) *ev {
	for j := k + 1; j < len(s.evs); j++ {
		x := &s.evs[j]
		switch d := x.data.(type) {
		case *throughline.MaterialDecision:
			if d.Decision == throughline.MaterialRevisited && d.ComplainantID == md.ComplainantID && d.Material == md.Material {
				return x
			}
		case *throughline.InformationRequestSent:
			if d.ComplainantID == md.ComplainantID && s.requestMaterial(d.ComplainantID, d.RequestID) == md.Material {
				return x
			}
		}
	}
	return nil
}

// requestMaterial is the kind of material request id of complainant comp
// seeks, or "".
func (s *state) requestMaterial(comp, id string) string {
	for k := range s.evs {
		if d, ok := s.evs[k].data.(*throughline.InformationRequested); ok && d.ComplainantID == comp && d.RequestID == id {
			return d.Material
		}
	}
	return ""
}

// ptphAfter is the day of the earliest PTPH listed to start after day, or
// noDay.
func (s *state) ptphAfter(day calendar.Day) calendar.Day {
	best := noDay
	for k := range s.evs {
		h, ok := s.evs[k].data.(*throughline.HearingListed)
		if !ok || h.Kind != "ptph" {
			continue
		}
		w, err := throughline.ParseWhen(h.StartsAt)
		if err != nil {
			continue
		}
		if d := dayOf(w); d > day && (best == noDay || d < best) {
			best = d
		}
	}
	return best
}
