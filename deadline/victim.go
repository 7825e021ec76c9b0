package deadline

import (
	"fmt"
	"strings"
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

// victimsCode is one edition of the Victims' Code. Each duty has a row per
// edition, and the row in force on the day the clock starts decides: a new
// Code is a new edition here and a new set of rows below, never an edit of
// the old ones, so deadlines whose clocks started under the old Code keep
// its timescales.
type victimsCode struct {
	version, source string
	from, to        time.Time
}

var (
	// Code of Practice for Victims of Crime (October 2015), in force 16 Nov 2015.
	vc2015 = victimsCode{"VC2015", "Code of Practice for Victims of Crime (October 2015), Chapter 2",
		date(2015, time.November, 16), date(2021, time.April, 1)}
	// Victims' Code 2020, in force 1 April 2021; a statutory duty from 29 January
	// 2025 (Victims and Prisoners Act 2024), and the Code under that Act until a
	// new one is laid.
	vc2020 = victimsCode{"VC2020", "Code of Practice for Victims of Crime in England and Wales (2020); a statutory duty from 29 January 2025 (Victims and Prisoners Act 2024)",
		date(2021, time.April, 1), time.Time{}}
)

// row returns duty r as this Code has it: right is the Code's own place for
// it, notes what this edition says beyond the shared notes.
func (c victimsCode) row(r Rule, right, notes string) Rule {
	r.Protects, r.Subject, r.Unit, r.DueSoon = "complainant", "complainant", WorkingDays, 2
	r.Version, r.Source, r.EffectiveFrom, r.EffectiveTo = c.version, c.source+", "+right, c.from, c.to
	if notes != "" {
		r.Notes = strings.TrimSpace(r.Notes + " " + notes)
	}
	return r
}

// received says where a Witness Care Unit duty's clock starts.
const received = "(its news_received from the court or the CPS; else, when nobody recorded the receipt, the event's recorded_at)"

// enhancedNote says who is entitled to the enhanced service.
const enhancedNote = "Enhanced: every victim of a sexual offence is entitled to the enhanced service whatever is recorded " +
	"(a victim's wish to hear less is a preference, not a loss of entitlement); others as recorded."

func victimRows() []Rule {
	charge := Rule{
		ID: VCCharge, Title: "Victim told of the charge (and bail or custody on charge)",
		Starts: []string{"charged"}, From: FromOccurred, Owner: "police",
		Enhanced: 1, Standard: 5, MetBy: []string{"victim_informed"}, About: []string{"charged"},
		Notes: "The charge is the police's own act, so the clock runs from it (occurred_at). " + enhancedNote,
	}
	remand := Rule{
		ID: VCRemandChange, Title: "Victim told of a change in remand: custody, bail or release",
		Starts: []string{"remand_status_changed"}, From: FromReceived, Owner: "wcu",
		Enhanced: 1, Standard: 5, MetBy: []string{"victim_informed"}, About: []string{"remand_status_changed"},
		Notes: "After charge remand decisions are the court's, passed to the victim by the Witness Care Unit: the clock runs from when it receives them " +
			"(its news_received, else recorded_at). The outcome of a hearing after re-arrest on a warrant is such a decision. " + enhancedNote,
	}
	hearing := Rule{
		ID: VCHearingDate, Title: "Victim told the date, time and place of a hearing",
		Starts: []string{"hearing_listed"}, From: FromReceived, Owner: "wcu",
		Enhanced: 1, Standard: 5, MetBy: []string{"victim_informed"}, About: []string{"hearing_listed"},
		Notes: "Every listing, including a hearing moved to a new date, starts a clock: the clock runs from when the WCU receives the listing " + received + ".",
	}
	outcome := Rule{
		ID: VCOutcome, Title: "Victim told the outcome of a hearing, the verdict or the sentence",
		Starts: []string{"hearing_held", "verdict", "sentenced"}, From: FromReceived, Owner: "wcu",
		Enhanced: 1, Standard: 5, MetBy: []string{"victim_informed"}, About: []string{"hearing_held", "verdict", "sentenced"},
		Notes: "From when the WCU receives the outcome " + received + ". An effective trial or sentence hearing starts no duty of its own: its news is the verdict or the sentence (throughline.HearingOutcomeIsNews).",
	}
	// The 2020 Code gives every victim 1 working day for hearings (Right 8.1)
	// and outcomes (Right 9).
	hearing2020, outcome2020 := hearing, outcome
	hearing2020.Standard, outcome2020.Standard = 1, 1
	const all = "1 working day for all victims."
	const split2015 = "1 working day for enhanced victims, 5 for others (2015 Code; an assumption to confirm against its text). " + enhancedNote
	policeNFA := Rule{
		ID: VCPoliceNFA, Title: "Victim told of a police decision to take no further action",
		Starts: []string{throughline.TypePoliceNoFurtherAction}, From: FromOccurred, Owner: "police",
		Enhanced: 1, Standard: 5, MetBy: []string{"victim_informed"}, About: []string{throughline.TypePoliceNoFurtherAction},
		Notes: "The police's own decision, so the clock runs from it (occurred_at). A CPS decision not to charge is the VCL letter (vcl_no_charge), " +
			"not this: one decision owes one telling. " + enhancedNote,
	}
	bailWarrant := Rule{
		ID: VCBailWarrant, Title: "Victim told of a change to bail conditions or a warrant for arrest",
		Starts: []string{throughline.TypeBailConditionsChanged, throughline.TypeWarrantIssued}, From: FromReceived, Owner: "wcu",
		Enhanced: 1, Standard: 5, MetBy: []string{"victim_informed"}, About: []string{throughline.TypeBailConditionsChanged, throughline.TypeWarrantIssued},
		Notes: "From when the WCU receives the court's decision " + received + ". The outcome of the hearing after re-arrest is a remand decision (vc_remand_change). " +
			"Periods read in a police and crime commissioner's summary of Right 8.1 (5 working days, 1 for enhanced victims), not the Code's own text: to confirm. " + enhancedNote,
	}
	evidence := Rule{
		ID: VCEvidence, Title: "Victim told whether she is required to give evidence",
		Starts: []string{throughline.TypeWitnessRequirementDecided}, From: FromReceived, Owner: "wcu",
		Enhanced: 1, Standard: 1, MetBy: []string{"victim_informed"}, About: []string{throughline.TypeWitnessRequirementDecided},
		Notes: "1 working day for all victims, from when the WCU receives the CPS's decision " + received + ". " +
			"Read in a police and crime commissioner's summary of Right 8.2, not the Code's own text: to confirm.",
	}
	return []Rule{
		vc2015.row(charge, "police: charge decisions and bail", ""),
		vc2020.row(charge, "Right 6", ""),
		vc2015.row(remand, "Witness Care Unit: bail and remand decisions", ""),
		vc2020.row(remand, "Right 8.1 (the outcome of a bail hearing and the bail conditions)", ""),
		vc2015.row(hearing, "Witness Care Unit: hearings", split2015),
		vc2020.row(hearing2020, "Right 8.1", all),
		vc2015.row(outcome, "Witness Care Unit: outcomes", split2015),
		vc2020.row(outcome2020, "Right 8.1 (outcome of a hearing) and Right 9 (verdict and sentence)", all),
		vc2015.row(policeNFA, "police: decisions not to charge", "The 2015 periods are an assumption to confirm against its text."),
		vc2020.row(policeNFA, "Right 6 (told of a decision not to charge)", ""),
		vc2020.row(bailWarrant, "Right 8.1 (bail conditions and their changes, warrants, re-arrest)", ""),
		vc2020.row(evidence, "Right 8.2 (told whether required to give evidence)", ""),
		{
			ID: VCLLetter, Version: "VCL", Title: "Victim Communication and Liaison letter: prosecution discontinued, no evidence offered or charge altered",
			Source: "CPS Victim Communication and Liaison (VCL) scheme; Victims' Code Right 6; the letter opens the Victims' Right to Review",
			Starts: []string{"prosecution_stopped"}, From: FromOccurred, Protects: "complainant", Subject: "complainant", Owner: "cps",
			Unit: WorkingDays, Enhanced: 1, Standard: 5, MetBy: []string{"victim_informed"}, About: []string{"prosecution_stopped"},
			DueSoon: 2, EffectiveFrom: vc2015.from,
			Notes: "The CPS makes the decision and owes the letter, so its clock runs from the decision (occurred_at). " + enhancedNote,
		},
		{
			ID: VCLNoCharge, Version: "VCL", Title: "Victim Communication and Liaison letter: CPS decision not to charge",
			Source: "CPS Victim Communication and Liaison (VCL) scheme; Victims' Code 2020 Right 6 (told of a decision not to charge); the letter opens the Victims' Right to Review",
			Starts: []string{"charging_decision"}, StartKinds: []string{"charging_decision:no_further_action"}, From: FromOccurred,
			Protects: "complainant", Subject: "complainant", Owner: "cps",
			Unit: WorkingDays, Enhanced: 1, Standard: 5, MetBy: []string{"victim_informed"}, About: []string{"charging_decision"},
			DueSoon: 2, EffectiveFrom: vc2015.from,
			Notes: "The CPS's own decision: its clock runs from the decision (occurred_at). Assumption to confirm against the VCL scheme's text: " +
				"the same 1 (enhanced) and 5 working days as its other letters. The police's duty to tell of their own no-further-action " +
				"decision is vc_police_nfa. " + enhancedNote,
		},
	}
}

// victimDutyRules are the rules victimDuties computes, in table order.
var victimDutyRules = []string{VCCharge, VCRemandChange, VCHearingDate, VCOutcome, VCPoliceNFA, VCBailWarrant, VCEvidence,
	VCLLetter, VCLNoCharge, VRRCPS, VRRPolice}

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
			// A telling that names its hearing meets only that hearing's duty.
			if m := s.next(e.occ, func(x *ev) bool {
				return r.met.match(x) && x.concernsComp(c.id) && (x.told == "" || x.told == e.hearing)
			}); m >= 0 {
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

// vcsMonths is the custodial sentence, in months, from which a victim of a
// sexual or violent offence is referred to the Victim Contact Scheme.
const vcsMonths = 12

func vcsRows() []Rule {
	r := Rule{
		ID: VCSReferral, Title: "Victim referred to the Probation Service's Victim Contact Scheme",
		Starts: []string{"sentenced"}, From: FromReceived, Owner: "wcu",
		Days: 10, MetBy: []string{"victim_informed"}, About: []string{throughline.AboutVictimContactScheme},
		Notes: "Only for a sentence of 12 months or more (sentenced.custodial_months >= 12; the Domestic Violence, Crime and Victims Act 2004 s.35, as we read it: a sentence of imprisonment of 12 months or more for a sexual or violent offence). " +
			"Every offence Throughline validates is a sexual offence (package refdata), so the offence condition holds; a case with none " +
			"(events not validated against the reference data) shows the deadline as not applicable: whether its offence is violent is not recorded. " +
			"A sentence recorded without custodial_months gives a not-applicable deadline asking for it, never a silent omission. " +
			"From when the referrer learns of the sentence " + received + ". " +
			"Met by a victim_informed about victim_contact_scheme: no event records the referral to the Probation Service itself. " +
			"The period is the edition's in force on the day the clock starts, as for every duty of the Code: " +
			"a referral owed under the 2015 Code keeps its 20 working days. " +
			"Assumptions to confirm against the Codes' texts: the same period for every victim, and that the referral is the Witness Care Unit's (the Codes say the police or the WCU).",
	}
	r2015, r2020 := r, r
	r2015.Days = 20
	return []Rule{
		vc2015.row(r2015, "Witness Care Unit: the Probation Service's Victim Contact Scheme",
			"20 working days: victims of a violent or sexual offence sentenced to 12 months or more are told their details will be referred to the Probation Service within 20 working days (2015 Code, as published in victims' information services' summaries: to confirm against its text)."),
		vc2020.row(r2020, "Right 11 (information about the offender after conviction: the Victim Contact Scheme)",
			"10 working days: the Code as summarised by police and crime commissioners, referred within 10 working days of sentencing; the Victim Liaison Officer then contacts her within 20 working days of the referral, a Probation duty not modelled here."),
	}
}

// vcsReferrals adds, per complainant, the Victim Contact Scheme referral
// that each sentence of 12 months or more owes. A sentence whose length is
// not recorded owes a deadline that is not applicable until it is.
func (s *state) vcsReferrals() {
	rs := s.rules.get(VCSReferral)
	for k := range s.evs {
		e := &s.evs[k]
		sen, ok := e.data.(*throughline.Sentenced)
		if !ok || !rs.startedBy(e) || sen.CustodialMonths != nil && *sen.CustodialMonths < vcsMonths {
			continue
		}
		start := rs.clockStart(e)
		for ci := range s.comps {
			c := &s.comps[ci]
			if !e.concernsComp(c.id) {
				continue
			}
			d, r := newDeadline(rs, c.subject, s.concerning(e), e, start)
			switch {
			case r == nil:
			case !s.sexualOffence():
				d.NotApplicable = "no offence of the case is a sexual offence, and whether it is a violent one is not recorded: the Victim Contact Scheme is for sexual or violent offences"
			case sen.CustodialMonths == nil:
				d.NotApplicable = "the sentence's length (custodial_months) is not recorded: the Victim Contact Scheme is for a sentence of 12 months or more"
			default:
				dd := due(r, start, r.DueDays(c.enhanced, false))
				d.Due = dd.Time()
				// A telling that names its hearing meets only that hearing's duty.
				if m := s.next(e.occ, func(x *ev) bool {
					return r.met.match(x) && x.concernsComp(c.id) && (x.told == "" || x.told == e.hearing)
				}); m >= 0 {
					x := &s.evs[m]
					meet(&d, dd, x.occ, x.typ, x.v)
				}
			}
			s.out = append(s.out, d)
		}
	}
}
