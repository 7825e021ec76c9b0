package deadline

import (
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"throughline"
	"throughline/calendar"
)

const (
	noDay  calendar.Day = math.MinInt32
	endDay calendar.Day = math.MaxInt32 - 1<<16 // "still open": far beyond any date, with room to add to
)

// ev is one event with its days worked out.
type ev struct {
	typ  string
	occ  calendar.Day
	rec  calendar.Day
	v    int64
	idx  int
	data throughline.Data
}

type complainant struct {
	id, subject string
	enhanced    bool
}

type defendant struct {
	id, subject string

	charged                bool
	chargedOcc, chargedRec calendar.Day
	chargedV               int64

	sent    bool
	sentDay calendar.Day
	sentV   int64

	// ended is the first day the prosecution ended or a plea or verdict made
	// case preparation moot (stopped, plea, verdict other than hung, sentence).
	ended   calendar.Day
	endedBy string
	endedV  int64
	// final is the day the defendant's prosecution concluded (stopped,
	// acquitted, sentenced), or noDay while active.
	final calendar.Day
}

type hearing struct {
	id, kind, subject string
}

type remand struct {
	def     int
	day     calendar.Day
	custody bool
}

type inform struct {
	comp  int
	about string
	day   calendar.Day
	v     int64
}

type pref struct {
	comp  int
	day   calendar.Day
	every int
}

type interval struct{ a, b calendar.Day } // custody from day a; released on day b

// state is the scratch space of one Compute; pooled.
type state struct {
	evs      []ev
	comps    []complainant
	defs     []defendant
	hearings []hearing
	remands  []remand
	informs  []inform
	prefs    []pref
	iv       []interval
	out      []Deadline
	closed   calendar.Day
}

var pool = sync.Pool{New: func() any { return new(state) }}

// Compute returns every deadline of one case from its events, given in log
// order. It is pure: the same events give the same deadlines, in the same
// order (early advice, then the duties started by each event in occurred_at
// order, then regular updates per complainant, then per defendant PTPH, BCM
// stages and custody time limits, then notices of information requests).
//
// Events may have been recorded late: every clock is computed from the
// events' own dates, whatever their order in the log. An event without a
// Version is numbered by its position in events (from 1).
func Compute(events []throughline.Event) []Deadline {
	s := pool.Get().(*state)
	s.reset()
	s.load(events)
	s.earlyAdvice()
	s.eventDuties()
	s.regularUpdates()
	for i := range s.defs {
		s.caseManagement(i)
		s.custodyLimits(i)
	}
	s.informationRequests()
	out := slices.Clone(s.out)
	clear(s.out) // let go of the strings and slices
	pool.Put(s)
	return out
}

func (s *state) reset() {
	s.evs, s.comps, s.defs, s.hearings = s.evs[:0], s.comps[:0], s.defs[:0], s.hearings[:0]
	s.remands, s.informs, s.prefs, s.out = s.remands[:0], s.informs[:0], s.prefs[:0], s.out[:0]
	s.closed = noDay
}

// dayOf returns the London calendar day of w.
func dayOf(w throughline.When) calendar.Day {
	if w.IsZero() {
		return noDay
	}
	y, m, d := w.Time().In(throughline.London).Date()
	return calendar.Date(y, m, d)
}

func (s *state) load(events []throughline.Event) {
	for i := range events {
		e := &events[i]
		occ, rec := dayOf(e.OccurredAt), dayOf(e.RecordedAt)
		switch {
		case occ == noDay && rec == noDay:
			continue // undated: nothing can be computed from it
		case occ == noDay:
			occ = rec
		case rec == noDay:
			rec = occ
		}
		v := e.Version
		if v == 0 {
			v = int64(i + 1)
		}
		s.evs = append(s.evs, ev{typ: e.Type, occ: occ, rec: rec, v: v, idx: i, data: e.Data})
		// Parties and hearings, in log order (identity does not depend on dates).
		switch d := e.Data.(type) {
		case *throughline.CaseOpened:
			for _, c := range d.Complainants {
				if s.comp(c.ID) < 0 {
					s.comps = append(s.comps, complainant{id: c.ID, subject: "complainant:" + c.ID,
						enhanced: throughline.Complainant{ComplainantRecord: c}.IsEnhanced()})
				}
			}
			for _, p := range d.Suspects {
				s.def(p.ID)
			}
		case *throughline.HearingListed:
			if s.hearing(d.HearingID) < 0 {
				s.hearings = append(s.hearings, hearing{id: d.HearingID, kind: d.Kind})
			}
		}
	}
	// Order by occurred_at day, then log order (insertion sort: cases are short
	// and mostly in order already).
	for i := 1; i < len(s.evs); i++ {
		for j := i; j > 0 && s.evs[j].occ < s.evs[j-1].occ; j-- {
			s.evs[j], s.evs[j-1] = s.evs[j-1], s.evs[j]
		}
	}
	for k := range s.evs {
		e := &s.evs[k]
		switch d := e.data.(type) {
		case *throughline.Charged:
			di := s.def(d.DefendantID)
			def := &s.defs[di]
			if !def.charged {
				def.charged, def.chargedOcc, def.chargedRec, def.chargedV = true, e.occ, e.rec, e.v
			}
			s.remands = append(s.remands, remand{di, e.occ, d.Method == "custody"})
		case *throughline.RemandStatusChanged:
			s.remands = append(s.remands, remand{s.def(d.DefendantID), e.occ, d.Status == "custody"})
		case *throughline.SentToCrownCourt:
			def := s.defPtr(d.DefendantID)
			if !def.sent {
				def.sent, def.sentDay, def.sentV = true, e.occ, e.v
			}
		case *throughline.Verdict:
			def := s.defPtr(d.DefendantID)
			if d.Result != "hung_jury" {
				def.end(e)
			}
			if d.Result == "not_guilty" && def.final == noDay {
				def.final = e.occ
			}
		case *throughline.Sentenced:
			def := s.defPtr(d.DefendantID)
			def.end(e)
			if def.final == noDay {
				def.final = e.occ
			}
		case *throughline.ProsecutionStopped:
			if d.How != "charge_altered" {
				def := s.defPtr(d.DefendantID)
				def.end(e)
				if def.final == noDay {
					def.final = e.occ
				}
			}
		case *throughline.VictimInformed:
			if ci := s.comp(d.ComplainantID); ci >= 0 {
				s.informs = append(s.informs, inform{ci, d.About, e.occ, e.v})
			}
		case *throughline.ContactPreferencesSet:
			if ci := s.comp(d.ComplainantID); ci >= 0 {
				s.prefs = append(s.prefs, pref{ci, e.occ, d.RoutineEveryDays})
			}
		case *throughline.CaseClosed:
			if s.closed == noDay {
				s.closed = e.occ
			}
		}
	}
}

func (d *defendant) end(e *ev) {
	if d.ended == noDay {
		d.ended, d.endedBy, d.endedV = e.occ, e.typ, e.v
	}
}

// comp returns the index of complainant id, or -1: complainants are those
// the case was opened with, so an event about anyone else adds no duty.
func (s *state) comp(id string) int {
	for i := range s.comps {
		if s.comps[i].id == id {
			return i
		}
	}
	return -1
}

func (s *state) def(id string) int {
	for i := range s.defs {
		if s.defs[i].id == id {
			return i
		}
	}
	s.defs = append(s.defs, defendant{id: id, subject: "defendant:" + id, ended: noDay, final: noDay})
	return len(s.defs) - 1
}

// defPtr returns defendant id, added if unknown. The pointer is good until
// the next defendant is added.
func (s *state) defPtr(id string) *defendant {
	i := s.def(id)
	return &s.defs[i]
}

func (s *state) hearing(id string) int {
	for i := range s.hearings {
		if s.hearings[i].id == id {
			return i
		}
	}
	return -1
}

// hearingKind is the kind a hearing was listed as, or "".
func (s *state) hearingKind(id string) string {
	for _, h := range s.hearings {
		if h.id == id {
			return h.kind
		}
	}
	return ""
}

func (s *state) hearingSubject(id string) string {
	i := s.hearing(id)
	if i < 0 {
		return "hearing:" + id
	}
	if s.hearings[i].subject == "" {
		s.hearings[i].subject = "hearing:" + id
	}
	return s.hearings[i].subject
}

// newDeadline starts a deadline of the version of rs in force on start, or a
// not-applicable one when none is.
func newDeadline(rs *ruleSet, subject, concerning string, e *ev, start calendar.Day) (Deadline, *Rule) {
	r := rs.at(start)
	d := Deadline{Rule: rs.id, Subject: subject, Concerning: concerning, Owner: rs.first().Owner,
		StartedBy: e.typ, StartVersion: e.v, Starts: start.Time()}
	if r == nil {
		d.NotApplicable = notInForce(rs, start)
		return d, nil
	}
	d.RuleVersion, d.Owner = r.Version, r.Owner
	return d, r
}

func notInForce(rs *ruleSet, start calendar.Day) string {
	next := calendar.Day(math.MaxInt32)
	for _, r := range rs.versions {
		if r.from > start && r.from < next {
			next = r.from
		}
	}
	if next != math.MaxInt32 {
		return fmt.Sprintf("the clock started on %s, before the rule came into force on %s", start, next)
	}
	return fmt.Sprintf("no version of the rule was in force on %s", start)
}

// due returns the due day of r for a clock starting on start.
func due(r *Rule, start calendar.Day, days int) calendar.Day {
	if r.Unit == WorkingDays {
		return start.AddWorkingDays(days)
	}
	return start.AddDays(days)
}

// meet records d as met on day by the event typ/v.
func meet(d *Deadline, dueDay, day calendar.Day, typ string, v int64) {
	d.MetAt, d.MetBy, d.MetVersion = day.Time(), typ, v
	if dueDay != noDay && day > dueDay {
		d.LateDays = max(1, dueDay.WorkingDaysTo(day))
	}
}

// clockStart returns the day an event starts the clock of rules in rs.
func clockStart(rs *ruleSet, e *ev) calendar.Day {
	if rs.first().From == FromRecorded {
		return e.rec
	}
	return e.occ
}

// firstInform returns the first victim_informed for complainant ci whose
// about is in about (any, if empty) on or after day from, or -1.
func (s *state) firstInform(ci int, about []string, from calendar.Day) int {
	for i := range s.informs {
		in := &s.informs[i]
		if in.comp == ci && in.day >= from && (len(about) == 0 || slices.Contains(about, in.about)) {
			return i
		}
	}
	return -1
}

// victimDuty adds the deadlines of rs that event e starts, one per complainant.
func (s *state) victimDuty(rs *ruleSet, e *ev, concerning string) {
	start := clockStart(rs, e)
	for ci := range s.comps {
		c := &s.comps[ci]
		d, r := newDeadline(rs, c.subject, concerning, e, start)
		if r != nil {
			dd := due(r, start, r.DueDays(c.enhanced, false))
			d.Due = dd.Time()
			if m := s.firstInform(ci, r.About, e.occ); m >= 0 {
				meet(&d, dd, s.informs[m].day, throughline.TypeVictimInformed, s.informs[m].v)
			}
		}
		s.out = append(s.out, d)
	}
}

// eventDuties adds the victim duties each event starts, in occurred order.
func (s *state) eventDuties() {
	for k := range s.evs {
		e := &s.evs[k]
		switch d := e.data.(type) {
		case *throughline.Charged:
			s.victimDuty(rsVCCharge, e, s.defPtr(d.DefendantID).subject)
		case *throughline.RemandStatusChanged:
			s.victimDuty(rsVCRemand, e, s.defPtr(d.DefendantID).subject)
		case *throughline.HearingListed:
			s.victimDuty(rsVCHearing, e, s.hearingSubject(d.HearingID))
		case *throughline.HearingHeld:
			// A trial that went ahead has no outcome that day: its outcome is
			// the verdict, which is a duty of its own.
			if d.Outcome == "effective" && s.hearingKind(d.HearingID) == "trial" {
				continue
			}
			s.victimDuty(rsVCOutcome, e, s.hearingSubject(d.HearingID))
		case *throughline.Verdict:
			s.victimDuty(rsVCOutcome, e, s.defPtr(d.DefendantID).subject)
		case *throughline.Sentenced:
			s.victimDuty(rsVCOutcome, e, s.defPtr(d.DefendantID).subject)
		case *throughline.ProsecutionStopped:
			s.victimDuty(rsVCL, e, s.defPtr(d.DefendantID).subject)
		}
	}
}

// earlyAdvice adds a deadline for each file submitted for early advice.
func (s *state) earlyAdvice() {
	for k := range s.evs {
		e := &s.evs[k]
		f, ok := e.data.(*throughline.FileSubmitted)
		if !ok || f.Purpose != "early_advice" {
			continue
		}
		di := s.def(f.SuspectID)
		d, r := newDeadline(rsEarlyAdvice, s.defs[di].subject, "", e, e.occ)
		if r == nil {
			s.out = append(s.out, d)
			continue
		}
		dd := due(r, e.occ, r.DueDays(true, false))
		d.Due = dd.Time()
		met := endDay
		for j := range s.evs {
			x := &s.evs[j]
			if g, ok := x.data.(*throughline.EarlyAdviceGiven); ok && g.SuspectID == f.SuspectID && x.occ >= e.occ {
				meet(&d, dd, x.occ, x.typ, x.v)
				met = x.occ
				break
			}
		}
		// A charging-decision file (or a decision or charge) before the due date
		// overtakes a request for early advice not yet answered.
		for j := range s.evs {
			x := &s.evs[j]
			if x.occ < e.occ || x.occ > dd || x.occ >= met || j == k {
				continue
			}
			var id string
			switch g := x.data.(type) {
			case *throughline.FileSubmitted:
				if g.Purpose == "charging_decision" {
					id = g.SuspectID
				}
			case *throughline.ChargingDecision:
				id = g.SuspectID
			case *throughline.Charged:
				id = g.DefendantID
			}
			if id == f.SuspectID {
				d.NotApplicable = fmt.Sprintf("overtaken by %s on %s before early advice was given", x.typ, x.occ)
				break
			}
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

// every returns complainant ci's routine update period for a clock starting on day.
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

// regularUpdates adds, per complainant, the chain of regular updates: from
// the first charge, then from each victim_informed, until the case concludes.
func (s *state) regularUpdates() {
	first := -1
	for i := range s.defs {
		if d := &s.defs[i]; d.charged && (first < 0 || d.chargedRec < s.defs[first].chargedRec) {
			first = i
		}
	}
	if first < 0 {
		return
	}
	concl := s.concluded()
	charge := ev{typ: throughline.TypeCharged, v: s.defs[first].chargedV}
	anchor0 := s.defs[first].chargedRec
	if concl != noDay && concl <= anchor0 {
		return
	}
	for ci := range s.comps {
		c := &s.comps[ci]
		anchor, by, byV := anchor0, charge.typ, charge.v
		open := func() (Deadline, *Rule, calendar.Day) {
			e := ev{typ: by, v: byV}
			d, r := newDeadline(rsRegular, c.subject, "", &e, anchor)
			if r == nil {
				return d, nil, 0
			}
			dd := due(r, anchor, s.every(ci, anchor, r.Days))
			d.Due = dd.Time()
			return d, r, dd
		}
		for i := range s.informs {
			in := &s.informs[i]
			if in.comp != ci || in.day <= anchor {
				continue
			}
			if concl != noDay && in.day > concl {
				break
			}
			d, r, dd := open()
			if r != nil {
				meet(&d, dd, in.day, throughline.TypeVictimInformed, in.v)
			}
			s.out = append(s.out, d)
			anchor, by, byV = in.day, throughline.TypeVictimInformed, in.v
		}
		if concl != noDay && concl <= anchor {
			continue
		}
		d, r, dd := open()
		if r != nil && concl != noDay && concl <= dd {
			d.NotApplicable = fmt.Sprintf("the case concluded on %s", concl)
		}
		s.out = append(s.out, d)
	}
}

// endedBefore marks d not applicable if defendant def's prosecution ended
// (stopped, plea, verdict, sentence) on or before its due day and before it
// was met.
func endedBefore(d *Deadline, def *defendant, from, dueDay calendar.Day) {
	if d.NotApplicable != "" || def.ended == noDay || def.ended < from || def.ended > dueDay {
		return
	}
	if !d.MetAt.IsZero() && calendar.DayOf(d.MetAt) <= def.ended {
		return
	}
	d.NotApplicable = fmt.Sprintf("%s on %s", def.endedBy, def.ended)
}

// defendantOf reports whether a BCM stage event concerns defendant def (no
// defendant_id: every defendant).
func defendantOf(e *ev, def *defendant) bool {
	var id string
	switch d := e.data.(type) {
	case *throughline.Stage1Served:
		id = d.DefendantID
	case *throughline.Stage2Served:
		id = d.DefendantID
	}
	return id == "" || id == def.id
}

// caseManagement adds PTPH and BCM Stage 1 and 2 for a defendant sent for trial.
func (s *state) caseManagement(di int) {
	def := &s.defs[di]
	if !def.sent {
		return
	}
	sent := ev{typ: throughline.TypeSentToCrownCourt, v: def.sentV}
	S := def.sentDay

	// PTPH.
	d, r := newDeadline(rsPTPH, def.subject, "", &sent, S)
	if r != nil {
		dd := due(r, S, r.DueDays(true, false))
		d.Due = dd.Time()
		for k := range s.evs {
			x := &s.evs[k]
			if h, ok := x.data.(*throughline.HearingHeld); ok && x.occ >= S {
				if i := s.hearing(h.HearingID); i >= 0 && s.hearings[i].kind == "ptph" {
					meet(&d, dd, x.occ, x.typ, x.v)
					d.Concerning = s.hearingSubject(h.HearingID)
					break
				}
			}
		}
		endedBefore(&d, def, S, dd)
	}
	s.out = append(s.out, d)

	// Stage 1.
	d1, r := newDeadline(rsStage1, def.subject, "", &sent, S)
	var stage1Due calendar.Day
	stage1 := -1
	if r != nil {
		stage1Due = due(r, S, r.DueDays(true, s.custodyAt(di, S)))
		d1.Due = stage1Due.Time()
		for k := range s.evs {
			if x := &s.evs[k]; x.typ == TypeStage1Served && x.occ >= S && defendantOf(x, def) {
				meet(&d1, stage1Due, x.occ, x.typ, x.v)
				stage1 = k
				break
			}
		}
		endedBefore(&d1, def, S, stage1Due)
	}
	s.out = append(s.out, d1)

	// Stage 2: from Stage 1 served, else from the Stage 1 due date.
	start, from := stage1Due, ev{typ: BCMStage1}
	if stage1 >= 0 {
		start, from = s.evs[stage1].occ, s.evs[stage1]
	}
	if r == nil {
		start = S
	}
	d2, r2 := newDeadline(rsStage2, def.subject, "", &from, start)
	if r2 != nil && d1.NotApplicable == "" {
		dd := due(r2, start, r2.DueDays(true, false))
		d2.Due = dd.Time()
		for k := range s.evs {
			if x := &s.evs[k]; x.typ == TypeStage2Served && x.occ >= S && defendantOf(x, def) {
				meet(&d2, dd, x.occ, x.typ, x.v)
				break
			}
		}
		endedBefore(&d2, def, S, dd)
	} else if d2.NotApplicable == "" {
		d2.NotApplicable = "Stage 1 does not apply: " + d1.NotApplicable
	}
	s.out = append(s.out, d2)
}

// custodyAt reports whether defendant di was in custody at the end of day.
func (s *state) custodyAt(di int, day calendar.Day) bool {
	c := false
	for _, r := range s.remands {
		if r.def == di && r.day <= day {
			c = r.custody
		}
	}
	return c
}

// releasedBefore returns the last day on or before day that defendant di
// left custody.
func (s *state) releasedBefore(di int, day calendar.Day) calendar.Day {
	last, c := noDay, false
	for _, r := range s.remands {
		if r.def != di || r.day > day {
			continue
		}
		if c && !r.custody {
			last = r.day
		}
		c = r.custody
	}
	return last
}

// intervals returns defendant di's periods in custody, in order.
func (s *state) intervals(di int) []interval {
	s.iv = s.iv[:0]
	open, a := false, noDay
	for _, r := range s.remands {
		if r.def != di {
			continue
		}
		switch {
		case r.custody && !open:
			open, a = true, r.day
		case !r.custody && open:
			open = false
			if r.day > a {
				s.iv = append(s.iv, interval{a, r.day})
			}
		}
	}
	if open {
		s.iv = append(s.iv, interval{a, endDay})
	}
	return s.iv
}

// custodyDays counts the days in custody from a to b (days a..b-1).
func custodyDays(iv []interval, a, b calendar.Day) int {
	n := 0
	for _, in := range iv {
		lo, hi := max(in.a, a), min(in.b, b)
		if hi > lo {
			n += int(hi - lo)
		}
	}
	return n
}

// walk counts n custody days from day from and returns the day the limit
// expires (x) with running = true if the defendant was still in custody at
// the end of that day (the limit ran out in custody, or will if custody
// goes on). Otherwise custody ended before the limit ran out: x is the day it
// would have expired had the last period of custody gone on.
func walk(iv []interval, from calendar.Day, n int) (x calendar.Day, running bool) {
	x = noDay
	for _, in := range iv {
		if in.b <= from {
			continue
		}
		a := max(in.a, from)
		x = a + calendar.Day(n)
		if in.b > x {
			return x, true
		}
		n -= int(in.b - a)
	}
	return x, false
}

// ctlStage is one custody time limit to work out.
type ctlStage struct {
	rs      *ruleSet
	r       *Rule
	start   ev // the event that started it, with occ the start day
	days    int
	floor   calendar.Day // the expiry is no earlier than this (noDay: none)
	end     *ev          // the event that ended the stage, or nil
	extFrom calendar.Day // extensions decided in [extFrom, extTo) belong to this stage
	extTo   calendar.Day
	alert   string
}

func (s *state) ctl(di int, st ctlStage) {
	def := &s.defs[di]
	S := st.start.occ
	d := Deadline{Rule: st.rs.id, RuleVersion: st.r.Version, Subject: def.subject, Owner: st.r.Owner,
		StartedBy: st.start.typ, StartVersion: st.start.v, Starts: S.Time(), Alert: st.alert}
	iv := s.intervals(di)
	x, running := walk(iv, S, st.days)
	if running && st.floor != noDay && x < st.floor {
		x = st.floor
	}
	// A court's extension replaces the expiry, if made before it.
	for k := range s.evs {
		e := &s.evs[k]
		ext, ok := e.data.(*throughline.CTLExtended)
		if !ok || ext.DefendantID != def.id || e.occ < st.extFrom || e.occ >= st.extTo || !running {
			continue
		}
		t, err := time.Parse(time.DateOnly, ext.ExpiresOn)
		if err != nil {
			continue
		}
		if e.occ > x {
			d.Alert = fmt.Sprintf("the limit expired on %s: it could not be extended on %s (an expired limit cannot be extended)", x, e.occ)
			continue
		}
		x = calendar.DayOf(t)
		d.RuleVersion = st.r.Version + "+extended"
	}
	switch {
	case st.end != nil && (!running || st.end.occ <= x):
		E := st.end.occ
		if !s.custodyAt(di, E) && !s.custodyAt(di, E-1) {
			d.NotApplicable = fmt.Sprintf("custody ended on %s", s.releasedBefore(di, E))
			break
		}
		if x != noDay {
			d.Due = x.Time()
		}
		meet(&d, x, E, st.end.typ, st.end.v)
	case running:
		if !s.custodyAt(di, x) {
			d.NotApplicable = fmt.Sprintf("custody ended on %s", s.releasedBefore(di, x))
			break
		}
		d.Due = x.Time()
		if st.end != nil {
			d.Alert = fmt.Sprintf("in custody past the limit that expired on %s: %s on %s", x, st.end.typ, st.end.occ)
		}
	default:
		d.NotApplicable = fmt.Sprintf("not in custody since %s", s.releasedBefore(di, endDay))
	}
	if d.NotApplicable == "" && !d.Due.IsZero() {
		d.Warnings = make([]time.Time, len(st.r.Warnings))
		for i, w := range st.r.Warnings {
			d.Warnings[i] = x.AddDays(-w).Time()
		}
	}
	s.out = append(s.out, d)
}

// firstEnd returns the first event on or after from that ends a stage of
// defendant di's custody: for the magistrates' court (crown = false) sending,
// a plea or verdict, the prosecution stopped or a sentence; for the Crown
// Court the start of the trial or any of the others but sending.
func (s *state) firstEnd(di int, from calendar.Day, crown bool) *ev {
	def := &s.defs[di]
	for k := range s.evs {
		e := &s.evs[k]
		if e.occ < from {
			continue
		}
		switch d := e.data.(type) {
		case *throughline.SentToCrownCourt:
			if !crown && d.DefendantID == def.id {
				return e
			}
		case *throughline.TrialStarted:
			if crown {
				return e
			}
		case *throughline.Verdict:
			if d.DefendantID == def.id && d.Result != "hung_jury" {
				return e
			}
		case *throughline.ProsecutionStopped:
			if d.DefendantID == def.id && d.How != "charge_altered" {
				return e
			}
		case *throughline.Sentenced:
			if d.DefendantID == def.id {
				return e
			}
		}
	}
	return nil
}

// custodyLimits adds the magistrates' and Crown Court custody time limits of
// a defendant who has been in custody.
func (s *state) custodyLimits(di int) {
	def := &s.defs[di]
	iv := s.intervals(di)
	if len(iv) == 0 {
		return
	}
	if !def.charged {
		s.out = append(s.out, Deadline{Rule: CTLMagistrates, Subject: def.subject, Owner: rsCTLMags.first().Owner,
			StartedBy: throughline.TypeRemandStatusChanged, Starts: iv[0].a.Time(),
			Alert: "remanded in custody but no charge is recorded: no custody time limit can be computed"})
		return
	}
	// First appearance: the first first_appearance hearing held on or after
	// the charge; until one is held, the charge date.
	fa := ev{typ: throughline.TypeCharged, occ: def.chargedOcc, v: def.chargedV}
	for k := range s.evs {
		e := &s.evs[k]
		if h, ok := e.data.(*throughline.HearingHeld); ok && e.occ >= def.chargedOcc {
			if i := s.hearing(h.HearingID); i >= 0 && s.hearings[i].kind == "first_appearance" {
				fa = *e
				break
			}
		}
	}
	FA := fa.occ

	// Magistrates' court: from the first appearance to sending (or a plea,
	// verdict or the end of the prosecution).
	magsEnd := s.firstEnd(di, FA, false)
	magsTo := endDay
	if magsEnd != nil {
		magsTo = magsEnd.occ
	}
	if overlaps(iv, FA, magsTo) {
		if r := rsCTLMags.at(FA); r != nil {
			s.ctl(di, ctlStage{rs: rsCTLMags, r: r, start: fa, days: r.Days, floor: noDay, end: magsEnd,
				extFrom: FA, extTo: magsTo})
		}
	}

	// Crown Court: from sending, 182 days (238 under SI 2020/953) less the
	// days in the custody of the magistrates' court since the first appearance.
	if !def.sent {
		return
	}
	S := def.sentDay
	crownEnd := s.firstEnd(di, S, true)
	crownTo := endDay
	if crownEnd != nil {
		crownTo = crownEnd.occ
	}
	iv = s.intervals(di)
	if !overlaps(iv, S, crownTo) {
		return
	}
	deduct := 0
	if FA < S {
		deduct = custodyDays(iv, FA, S)
	}
	r, floor, alert := s.crownVersion(iv, S, deduct)
	if days := r.Days - deduct; days <= 0 {
		alert = fmt.Sprintf("%d days in the custody of the magistrates' court already use up the %d-day limit", deduct, r.Days)
	}
	s.ctl(di, ctlStage{rs: rsCTLCrown, r: r, start: ev{typ: throughline.TypeSentToCrownCourt, occ: S, v: def.sentV},
		days: r.Days - deduct, floor: floor, end: crownEnd, extFrom: S, extTo: crownTo, alert: alert})
}

// overlaps reports whether any custody period touches days from..to
// (inclusive: custody on the day a stage ends counts).
func overlaps(iv []interval, from, to calendar.Day) bool {
	for _, in := range iv {
		if in.b > from && in.a <= to {
			return true
		}
	}
	return false
}

// crownVersion chooses the Crown Court limit under SI 2020/953 reg. 3 from the
// day the defendant was first in custody and the day the Crown Court limit
// began (the first day in custody on or after sending). It returns the
// version, a floor for the expiry and an alert, for the one case where the
// 238-day limit lapsed with the Regulations on 28 June 2021.
func (s *state) crownVersion(iv []interval, S calendar.Day, deduct int) (*Rule, calendar.Day, string) {
	var base, covid *Rule
	for _, r := range rsCTLCrown.versions {
		if r.to != math.MaxInt32 {
			covid = r
		} else {
			base = r
		}
	}
	first := iv[0].a
	began := noDay
	for _, in := range iv {
		if in.b > S {
			began = max(in.a, S)
			break
		}
	}
	switch {
	case covid == nil || began < covid.from:
		return base, noDay, "" // reg. 3(1): already subject to a Crown Court limit
	case first >= covid.from && first < covid.to:
		return covid, noDay, "" // in force, and saved by reg. 3(2) after 28 Jun 2021
	case began < covid.to:
		// First in custody before 28 Sep 2020, Crown Court limit began while the
		// Regulations were in force: 238 days while they lasted.
		lastDay := covid.to - 1
		if x, running := walk(iv, S, covid.Days-deduct); !running || x <= lastDay {
			return covid, noDay, ""
		}
		return base, lastDay, fmt.Sprintf("first in custody before %s: the 238-day limit lapsed with SI 2020/953 on %s and the 182-day limit applies again (expiry no earlier than %s); check the limit",
			covid.from, covid.to, lastDay)
	}
	return base, noDay, ""
}

// informationRequests adds, per complainant, a notice deadline for each
// request for information about them. Notices do not (yet) say which request
// they are for, so they are paired in date order, erring against claiming
// compliance: a notice meets the unmet requests made the same day; else the
// latest unmet request before it (late); else the next request after it (in
// advance, on time).
func (s *state) informationRequests() {
	if !slices.ContainsFunc(s.evs, func(e ev) bool { return e.typ == TypeInformationRequested }) {
		return
	}
	about := rsInfoRequest.first().About
	for ci := range s.comps {
		c := &s.comps[ci]
		first := len(s.out)
		for k := range s.evs {
			e := &s.evs[k]
			if e.typ != TypeInformationRequested {
				continue
			}
			if d, ok := e.data.(*throughline.InformationRequested); ok && d.ComplainantID != "" && d.ComplainantID != c.id {
				continue
			}
			d, r := newDeadline(rsInfoRequest, c.subject, "", e, e.occ)
			if r != nil {
				d.Due = due(r, e.occ, r.Days).Time()
			}
			s.out = append(s.out, d)
		}
		reqs := s.out[first:]
		open := func(d *Deadline) bool { return d.NotApplicable == "" && d.MetAt.IsZero() }
		for i := range s.informs {
			in := &s.informs[i]
			if in.comp != ci || !slices.Contains(about, in.about) {
				continue
			}
			N := in.day
			target := noDay
			for j := range reqs {
				if d := &reqs[j]; open(d) && calendar.DayOf(d.Starts) == N {
					target = N
				}
			}
			if target == noDay {
				for j := range reqs {
					if d := &reqs[j]; open(d) && calendar.DayOf(d.Starts) < N {
						target = calendar.DayOf(d.Starts)
					}
				}
			}
			if target == noDay {
				for j := range reqs {
					if d := &reqs[j]; open(d) && calendar.DayOf(d.Starts) > N {
						target = calendar.DayOf(d.Starts)
						break
					}
				}
			}
			for j := range reqs {
				if d := &reqs[j]; open(d) && calendar.DayOf(d.Starts) == target {
					meet(d, target, N, throughline.TypeVictimInformed, in.v)
				}
			}
		}
	}
}
