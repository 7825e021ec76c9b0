package deadline

import (
	"fmt"
	"time"

	"throughline"
	"throughline/calendar"
)

// Victim duties: the Victims' Code duties to tell the victim of a charge, a
// remand, a hearing and its outcome, the CPS letter when a prosecution stops
// or changes, and Throughline's regular update when nothing has changed.
//
// Each starting event owes one deadline per complainant; a victim_informed
// for that complainant about one of the rule's `about` values, on or after
// the day the event occurred, meets it. One telling meets every open
// deadline of the rule it covers.

// Effective dates of the Victims' Code editions.
var (
	victimsCode2015 = date(2015, time.November, 16) // Code of Practice for Victims of Crime 2015 in force
	victimsCode2020 = date(2021, time.April, 1)     // Victims' Code 2020 in force
)

const (
	sourceVC2015 = "Code of Practice for Victims of Crime (October 2015), Chapter 2"
	sourceVC2020 = "Code of Practice for Victims of Crime in England and Wales (2020); a statutory duty from 29 January 2025 (Victims and Prisoners Act 2024)"
)

// victimRule returns the two editions of a Victims' Code duty (2015 and
// 2020 codes: the same timescales, different sources).
func victimRule(r Rule, right2015, right2020 string) []Rule {
	r.Protects, r.Subject, r.Unit, r.DueSoon = "complainant", "complainant", WorkingDays, 2
	a, b := r, r
	a.Version, a.Source, a.EffectiveFrom, a.EffectiveTo = "VC2015", sourceVC2015+", "+right2015, victimsCode2015, victimsCode2020
	b.Version, b.Source, b.EffectiveFrom = "VC2020", sourceVC2020+", "+right2020, victimsCode2020
	return []Rule{a, b}
}

func victimRows() []Rule {
	var t []Rule
	t = append(t, victimRule(Rule{
		ID: VCCharge, Title: "Victim told of the charge (and bail or custody on charge)",
		Starts: []string{"charged"}, From: FromRecorded, Owner: "police",
		Enhanced: 1, Standard: 5, MetBy: []string{"victim_informed"}, About: []string{"charged"},
	}, "police: charge decisions and bail", "Right 6")...)
	t = append(t, victimRule(Rule{
		ID: VCRemandChange, Title: "Victim told of a change in remand: custody, bail or release",
		Starts: []string{"remand_status_changed"}, From: FromRecorded, Owner: "wcu",
		Enhanced: 1, Standard: 5, MetBy: []string{"victim_informed"}, About: []string{"remand_status_changed"},
		Notes: "After charge remand decisions are the court's, passed to the victim by the Witness Care Unit.",
	}, "Witness Care Unit: bail and remand decisions", "Right 6")...)
	t = append(t, victimRule(Rule{
		ID: VCHearingDate, Title: "Victim told the date, time and place of a hearing",
		Starts: []string{"hearing_listed"}, From: FromRecorded, Owner: "wcu",
		Enhanced: 1, Standard: 5, MetBy: []string{"victim_informed"}, About: []string{"hearing_listed"},
		Notes: "Every listing, including a hearing moved to a new date, starts a clock: the clock runs from when the WCU receives the listing (recorded_at).",
	}, "Witness Care Unit: hearings", "Right 8")...)
	t = append(t, victimRule(Rule{
		ID: VCOutcome, Title: "Victim told the outcome of a hearing, the verdict or the sentence",
		Starts: []string{"hearing_held", "verdict", "sentenced"}, From: FromRecorded, Owner: "wcu",
		Enhanced: 1, Standard: 5, MetBy: []string{"victim_informed"}, About: []string{"hearing_held", "verdict", "sentenced"},
		Notes: "An effective trial or sentence hearing starts no duty of its own: its news is the verdict or the sentence (throughline.HearingOutcomeIsNews).",
	}, "Witness Care Unit: outcomes", "Rights 8 and 9")...)
	t = append(t, Rule{
		ID: VCLLetter, Version: "VCL", Title: "Victim Communication and Liaison letter: prosecution discontinued, no evidence offered or charge altered",
		Source: "CPS Victim Communication and Liaison (VCL) scheme; Victims' Code Right 6; the letter opens the Victims' Right to Review",
		Starts: []string{"prosecution_stopped"}, From: FromOccurred, Protects: "complainant", Subject: "complainant", Owner: "cps",
		Unit: WorkingDays, Enhanced: 1, Standard: 5, MetBy: []string{"victim_informed"}, About: []string{"prosecution_stopped"},
		DueSoon: 2, EffectiveFrom: victimsCode2015,
		Notes: "The CPS makes the decision and owes the letter, so its clock runs from the decision (occurred_at).",
	})
	return t
}

// victimDutyRules are the rules victimDuties computes, in table order.
var victimDutyRules = []string{VCCharge, VCRemandChange, VCHearingDate, VCOutcome, VCLLetter}

// victimDuties adds the victim duties each event starts, in occurred order.
func (s *state) victimDuties() {
	for k := range s.evs {
		e := &s.evs[k]
		if h, ok := e.data.(*throughline.HearingHeld); ok && !throughline.HearingOutcomeIsNews(e.kind, h.Outcome) {
			continue
		}
		for _, id := range victimDutyRules {
			if rs := s.rules.get(id); rs.startedBy(e) {
				s.victimDuty(rs, e)
			}
		}
	}
}

// victimDuty adds the deadlines of rs that event e starts, one per
// complainant it concerns (an event naming no complainant concerns all).
func (s *state) victimDuty(rs *ruleSet, e *ev) {
	start := rs.clockStart(e)
	concerning := s.concerning(e)
	for ci := range s.comps {
		c := &s.comps[ci]
		if !e.concernsComp(c.id) {
			continue
		}
		d, r := newDeadline(rs, c.subject, concerning, e, start)
		if r != nil {
			dd := due(r, start, r.DueDays(c.enhanced, false))
			d.Due = dd.Time()
			// Told on or after the day it happened: a telling recorded before
			// the agency knew (recorded_at) still counts if it followed the event.
			if m := s.next(e.occ, func(x *ev) bool { return r.met.match(x) && x.concernsComp(c.id) }); m >= 0 {
				x := &s.evs[m]
				meet(&d, dd, x.occ, x.typ, x.v)
			}
		}
		s.out = append(s.out, d)
	}
}

func regularUpdateRows() []Rule {
	return []Rule{{
		ID: RegularUpdate, Version: "TL1", Title: "Regular update to the victim, even when nothing has changed",
		Source: "Throughline service standard (configurable per complainant by contact_preferences_set.routine_every_days)",
		Starts: []string{"victim_informed", "charged"}, From: FromRecorded, Protects: "complainant", Subject: "complainant", Owner: "wcu",
		Unit: CalendarDays, Days: 28, MetBy: []string{"victim_informed"}, DueSoon: 7,
		Notes: "From the charge (recorded_at of the first charge) and then from each victim_informed (any about; the day it occurred) while the case is post-charge and not concluded. " +
			"The period is routine_every_days from the latest contact preferences set on or before the clock start, else 28.",
	}}
}

// regularUpdates adds, per complainant, the chain of regular updates. The
// chain opens at the earliest clock start of an event that starts the rule
// without meeting it (the first charge, as the agency learned of it); each
// meeting event (a telling, on the day it occurred: it is the agency's own
// act) meets the open deadline and, if it also starts the rule, opens the
// next. The chain stops when the case concludes.
func (s *state) regularUpdates() {
	rs := s.rules.get(RegularUpdate)
	opens := func(e *ev) bool { return rs.startedBy(e) && !rs.first().met.match(e) }
	// Each defendant's first such event (their charge, not a later one), in
	// the order the defendants are known; then any naming no defendant.
	var opener *ev
	anchor0 := endDay
	consider := func(k int) {
		if e := &s.evs[k]; rs.clockStart(e) < anchor0 {
			opener, anchor0 = e, rs.clockStart(e)
		}
	}
	for i := range s.defs {
		id := s.defs[i].id
		if k := s.next(noDay, func(e *ev) bool { return e.def == id && opens(e) }); k >= 0 {
			consider(k)
		}
	}
	for k := range s.evs {
		if s.evs[k].def == "" && opens(&s.evs[k]) {
			consider(k)
		}
	}
	if opener == nil {
		return
	}
	concl := s.concluded()
	if concl != noDay && concl <= anchor0 {
		return
	}
	for ci := range s.comps {
		c := &s.comps[ci]
		anchor, by := anchor0, opener
		open := func() (throughline.Deadline, *Rule, calendar.Day) {
			d, r := newDeadline(rs, c.subject, "", by, anchor)
			if r == nil {
				return d, nil, 0
			}
			dd := due(r, anchor, s.every(ci, anchor, r.Days))
			d.Due = dd.Time()
			return d, r, dd
		}
		chained := true
		for k := range s.evs {
			x := &s.evs[k]
			if x.occ <= anchor || !rs.first().met.match(x) || !x.concernsComp(c.id) {
				continue
			}
			if concl != noDay && x.occ > concl {
				break
			}
			d, r, dd := open()
			if r != nil {
				meet(&d, dd, x.occ, x.typ, x.v)
			}
			s.out = append(s.out, d)
			if !rs.startedBy(x) {
				chained = false
				break
			}
			anchor, by = x.occ, x
		}
		if !chained || concl != noDay && concl <= anchor {
			continue
		}
		d, r, dd := open()
		if r != nil && concl != noDay && concl <= dd {
			d.NotApplicable = fmt.Sprintf("the case concluded on %s", concl)
		}
		s.out = append(s.out, d)
	}
}

// concluded returns the day the case concluded: closed, or every charged
// defendant's prosecution over (stopped, acquitted or sentenced); noDay if not.
func (s *state) concluded() calendar.Day {
	c := noDay
	for i := range s.defs {
		d := &s.defs[i]
		if !d.charged {
			continue
		}
		if d.final == noDay {
			c = noDay
			break
		}
		c = max(c, d.final)
	}
	if s.closed != noDay && (c == noDay || s.closed < c) {
		c = s.closed
	}
	return c
}

// every returns complainant ci's routine update period for a clock starting
// on day: the latest contact preferences set on or before it, else def.
func (s *state) every(ci int, day calendar.Day, def int) int {
	n := 0
	found := false
	for _, p := range s.prefs {
		if p.comp == ci && p.day <= day {
			n, found = p.every, true
		}
	}
	if !found || n <= 0 {
		return def
	}
	return n
}
