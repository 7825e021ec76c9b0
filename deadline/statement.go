package deadline

import (
	"throughline"
	"throughline/calendar"
)

// The Victim Personal Statement (Victims' Code 2020 Right 7): after a
// conviction, the victim must have the chance to make or update her
// statement before the defendant is sentenced. The duty is due by the day of
// sentence: the sentence itself once given, else the sentencing hearing
// listed for it; until one is listed there is no day, and the deadline asks
// for attention.

func statementRows() []Rule {
	return []Rule{vc2020.row(Rule{
		ID: VCStatement, Title: "Victim offered the chance to make or update her personal statement before sentence",
		Starts: []string{throughline.TypeVerdict}, StartKinds: []string{"verdict:guilty", "verdict:guilty_plea"}, From: FromOccurred, Owner: "police",
		MetBy: []string{throughline.TypeVictimPersonalStatement},
		MetKinds: []string{throughline.TypeVictimPersonalStatement + ":" + throughline.StatementOffered, throughline.TypeVictimPersonalStatement + ":" + throughline.StatementMade,
			throughline.TypeVictimPersonalStatement + ":" + throughline.StatementUpdated, throughline.TypeVictimPersonalStatement + ":" + throughline.StatementDeclined},
		Notes: "From the conviction (a guilty verdict or plea), due on or before the day of sentence (the sentence if given, else the latest " +
			"sentencing hearing listed after the conviction); met by a victim_personal_statement (offered, made, updated or declined; " +
			"not by her asking for help to write it, which opens a call-back task and leaves the duty open) " +
			"on or after the conviction. Until a sentencing hearing is listed there is no due day and the deadline needs attention. " +
			"Assumptions to confirm against the Code's text: that the duty holder is the police (the Witness Care Unit may make the offer), " +
			"and that the offer at the time of the witness statement is not kept here (no event records a witness statement).",
	}, "Right 7 (make a Victim Personal Statement, and update it before sentence)", "")}
}

// statements adds, per conviction and complainant, the chance to make or
// update a personal statement before sentence.
func (s *state) statements() {
	rs := s.rules.get(VCStatement)
	for k := range s.evs {
		e := &s.evs[k]
		if !rs.startedBy(e) {
			continue
		}
		start := rs.clockStart(e)
		dueDay := s.sentenceDay(e.def, start)
		for ci := range s.comps {
			c := &s.comps[ci]
			d, r := newDeadline(rs, c.subject, s.concerning(e), e, start)
			if r != nil {
				if dueDay == noDay {
					d.Alert = "no sentencing hearing is listed yet: offer the chance to make or update the statement before sentence"
				} else {
					d.Due = dueDay.Time()
				}
				if m := s.next(start, func(x *ev) bool { return r.met.match(x) && x.concernsComp(c.id) }); m >= 0 {
					x := &s.evs[m]
					meet(&d, dueDay, x.occ, x.typ, x.v)
				}
			}
			s.out = append(s.out, d)
		}
	}
}

// sentenceDay is the day defendant def was sentenced after convicted, else
// the day of the latest sentencing hearing listed on or after convicted (a
// hearing naming no defendant is every defendant's), else noDay.
func (s *state) sentenceDay(def string, convicted calendar.Day) calendar.Day {
	if k := s.next(convicted, func(x *ev) bool { return x.typ == throughline.TypeSentenced && x.def == def }); k >= 0 {
		return s.evs[k].occ
	}
	day := noDay
	for k := range s.evs {
		x := &s.evs[k]
		h, ok := x.data.(*throughline.HearingListed)
		if !ok || x.occ < convicted || h.Kind != "sentence" {
			continue
		}
		if w, err := throughline.ParseWhen(h.StartsAt); err == nil {
			day = dayOf(w)
		}
	}
	return day
}
