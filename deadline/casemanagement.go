package deadline

import (
	"fmt"
	"time"

	"throughline"

	"throughline/calendar"
)

// Case management: the timescales the police, the CPS, the court and the
// defence work to before trial. Early advice runs per suspect from each file
// submitted for it; the Plea and Trial Preparation Hearing and the Better
// Case Management stages run per defendant from the sending to the Crown
// Court. A plea, a verdict or the end of the prosecution before a stage is
// due makes it moot (EndedBy): there is nothing left to prepare for.

var (
	bcmPTPH       = date(2016, time.January, 5) // PTPH and BCM stages nationally
	nationalModel = date(2023, time.July, 10)   // CPS/NPCC national operating model for adult rape in force
)

// prosecutionOver is what makes case preparation moot: a plea or verdict
// (not a hung jury: there will be a retrial), a sentence, or the prosecution
// stopped (not a charge altered: it goes on under the new charge).
var (
	prosecutionOver      = []string{"verdict", "sentenced", "prosecution_stopped"}
	prosecutionOverKinds = []string{"verdict:!hung_jury", "prosecution_stopped:!charge_altered"}
)

func caseManagementRows() []Rule {
	return []Rule{{
		ID: EarlyAdvice, Version: "NOM2023", Title: "Early investigative advice given",
		Source: "CPS and NPCC joint national operating model for adult rape and serious sexual offences (in force 10 July 2023): early advice within 21 days of the file",
		Starts: []string{"file_submitted"}, StartKinds: []string{"file_submitted:early_advice"}, From: FromOccurred,
		Protects: "case", Subject: "defendant", Owner: "cps",
		Unit: CalendarDays, Days: 21, MetBy: []string{"early_advice_given"}, DueSoon: 7, EffectiveFrom: nationalModel,
		EndedBy:  []string{"file_submitted", "charging_decision", "charged"},
		EndKinds: []string{"file_submitted:charging_decision"},
		Notes: "Covers adult rape and serious sexual offences (the national operating model's scope); applied to every case in Throughline, which holds only those. " +
			"Only files submitted with purpose early_advice. A charging-decision file for the suspect (or a decision or charge) before the due date makes it not applicable. " +
			"Assumption: the 21 days are calendar days, as the model states them.",
	}, {
		ID: PTPH, Version: "BCM2016", Title: "Plea and Trial Preparation Hearing held",
		Source: "Better Case Management (2016); Criminal Practice Directions: PTPH within 28 days of sending",
		Starts: []string{"sent_to_crown_court"}, From: FromOccurred, Protects: "case", Subject: "defendant", Owner: "court",
		Unit: CalendarDays, Days: 28, MetBy: []string{"hearing_held"}, MetKinds: []string{"hearing_held:ptph"},
		EndedBy: prosecutionOver, EndKinds: prosecutionOverKinds, DueSoon: 7, EffectiveFrom: bcmPTPH,
		Notes: "Met by a hearing_held for a hearing listed as kind ptph.",
	}, {
		ID: BCMStage1, Version: "BCM2016", Title: "Stage 1: prosecution case served",
		Source: "Better Case Management (2016); standard PTPH directions: Stage 1 50 days after sending (custody), 70 (bail)",
		Starts: []string{"sent_to_crown_court"}, From: FromOccurred, Protects: "case", Subject: "defendant", Owner: "cps",
		Unit: CalendarDays, Custody: 50, Bail: 70, MetBy: []string{TypeStage1Served},
		EndedBy: prosecutionOver, EndKinds: prosecutionOverKinds, DueSoon: 7, EffectiveFrom: bcmPTPH,
		Notes: "Custody or bail is the defendant's remand status at the end of the day of sending.",
	}, {
		ID: BCMStage2, Version: "BCM2016", Title: "Stage 2: defence response (defence statement)",
		Source: "Better Case Management (2016); standard PTPH directions: Stage 2 28 days after Stage 1",
		Starts: []string{TypeStage1Served}, Fallback: "the Stage 1 due date", From: FromOccurred,
		Protects: "case", Subject: "defendant", Owner: "defence",
		Unit: CalendarDays, Days: 28, MetBy: []string{TypeStage2Served},
		EndedBy: prosecutionOver, EndKinds: prosecutionOverKinds, DueSoon: 7, EffectiveFrom: bcmPTPH,
		Notes: "Stage 2 exists once Stage 1 does. Its clock runs from Stage 1 served, or from the Stage 1 due date until it is.",
	}}
}

// earlyAdvice adds a deadline for each event that starts the early advice
// rule (a file submitted for early advice), for the suspect it names.
func (s *state) earlyAdvice() {
	rs := s.rules.get(EarlyAdvice)
	for k := range s.evs {
		e := &s.evs[k]
		if !rs.startedBy(e) {
			continue
		}
		start := rs.clockStart(e)
		d, r := newDeadline(rs, s.defPtr(e.def).subject, "", e, start)
		if r != nil {
			dd := due(r, start, r.DueDays(true, false))
			d.Due = dd.Time()
			if m := s.next(e.occ, func(x *ev) bool { return r.met.match(x) && x.concernsDef(e.def) }); m >= 0 {
				x := &s.evs[m]
				meet(&d, dd, x.occ, x.typ, x.v)
			}
			// A file for a charging decision (or a decision or a charge)
			// overtakes a request for advice not yet answered.
			if x := s.firstEnd(r, e.def, e.occ, e); moot(&d, x, e.occ, dd) {
				d.NotApplicable = fmt.Sprintf("overtaken by %s on %s before early advice was given", x.typ, x.occ)
			}
		}
		s.out = append(s.out, d)
	}
}

// firstStart returns the first event that starts a clock of rs for
// defendant def, or nil: the rules here run once per defendant.
func (s *state) firstStart(rs *ruleSet, def string, from calendar.Day) *ev {
	k := s.next(from, func(e *ev) bool { return rs.startedBy(e) && e.concernsDef(def) })
	if k < 0 {
		return nil
	}
	return &s.evs[k]
}

// firstMet returns the first event on or after from that meets r for
// defendant def, or nil.
func (s *state) firstMet(r *Rule, def string, from calendar.Day) *ev {
	k := s.next(from, func(e *ev) bool { return r.met.match(e) && e.concernsDef(def) })
	if k < 0 {
		return nil
	}
	return &s.evs[k]
}

// caseManagement adds PTPH and BCM Stage 1 and 2 for a defendant whose
// clocks have started (sent for trial).
func (s *state) caseManagement(di int) {
	def := &s.defs[di]
	s.ptph(def)

	rs1 := s.rules.get(BCMStage1)
	e := s.firstStart(rs1, def.id, noDay)
	if e == nil {
		return
	}
	S := rs1.clockStart(e)
	d1, r := newDeadline(rs1, def.subject, "", e, S)
	var stage1Due calendar.Day
	if r != nil {
		// The timescale depends on remand at the end of the day the clock starts.
		stage1Due = due(r, S, r.DueDays(true, s.custodyAt(di, S)))
		d1.Due = stage1Due.Time()
		if x := s.firstMet(r, def.id, S); x != nil {
			meet(&d1, stage1Due, x.occ, x.typ, x.v)
		}
		if x := s.firstEnd(r, def.id, noDay, nil); moot(&d1, x, S, stage1Due) {
			d1.NotApplicable = fmt.Sprintf("%s on %s", x.typ, x.occ)
		}
	}
	s.out = append(s.out, d1)
	s.stage2(def, r, &d1, S, stage1Due)
}

func (s *state) ptph(def *defendant) {
	rs := s.rules.get(PTPH)
	e := s.firstStart(rs, def.id, noDay)
	if e == nil {
		return
	}
	S := rs.clockStart(e)
	d, r := newDeadline(rs, def.subject, "", e, S)
	if r != nil {
		dd := due(r, S, r.DueDays(true, false))
		d.Due = dd.Time()
		if x := s.firstMet(r, def.id, S); x != nil {
			meet(&d, dd, x.occ, x.typ, x.v)
			if x.hearing != "" {
				d.Concerning = s.hearingSubject(x.hearing) // which hearing was the PTPH
			}
		}
		if x := s.firstEnd(r, def.id, noDay, nil); moot(&d, x, S, dd) {
			d.NotApplicable = fmt.Sprintf("%s on %s", x.typ, x.occ)
		}
	}
	s.out = append(s.out, d)
}

// stage2 adds Stage 2, given Stage 1 (r1, d1: its version and deadline, S its
// clock start). Its clock runs from the event that starts it (Stage 1
// served), else from the Stage 1 due date: the defence's time cannot wait
// for a service that is late.
func (s *state) stage2(def *defendant, r1 *Rule, d1 *throughline.Deadline, S, stage1Due calendar.Day) {
	rs := s.rules.get(BCMStage2)
	start, from := stage1Due, &ev{typ: BCMStage1}
	if r1 == nil {
		start = S // Stage 1 not in force: neither is Stage 2, said from the same day
	} else if e := s.firstStart(rs, def.id, S); e != nil {
		start, from = rs.clockStart(e), e
	}
	d2, r2 := newDeadline(rs, def.subject, "", from, start)
	switch {
	case r2 != nil && d1.NotApplicable == "":
		dd := due(r2, start, r2.DueDays(true, false))
		d2.Due = dd.Time()
		if x := s.firstMet(r2, def.id, S); x != nil {
			meet(&d2, dd, x.occ, x.typ, x.v)
		}
		if x := s.firstEnd(r2, def.id, noDay, nil); moot(&d2, x, S, dd) {
			d2.NotApplicable = fmt.Sprintf("%s on %s", x.typ, x.occ)
		}
	case d2.NotApplicable == "":
		d2.NotApplicable = "Stage 1 does not apply: " + d1.NotApplicable
	}
	s.out = append(s.out, d2)
}
