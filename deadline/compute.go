package deadline

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"throughline"
	"throughline/calendar"
	"throughline/refdata"
)

// This file is the core of the engine: Compute, the scratch state it loads a
// case's events into, and the helpers every family of rules shares. The
// families (victim.go, casemanagement.go, custody.go, requests.go) each add
// their own deadlines to state.out.

const (
	noDay  calendar.Day = math.MinInt32
	endDay calendar.Day = math.MaxInt32 - 1<<16 // "still open": far beyond any date, with room to add to
)

// ev is one event with what the rules ask of it worked out once: its days,
// its kind (see Rule) and the parties and hearing it concerns.
type ev struct {
	typ string
	occ calendar.Day
	rec calendar.Day
	// recv is the day the Witness Care Unit received the news of the event
	// (FromReceived), recvBy the index in state.evs of the news_received
	// saying so, or -1 when none does and recv is rec.
	recv   calendar.Day
	recvBy int
	v      int64
	idx    int
	data   throughline.Data

	kind    string
	agency  string // the kind of the recording agency (police, cps, …), "" if unknown
	def     string // defendant (or suspect) id, "" if the event names none
	comp    string // complainant id, "" if the event names none
	hearing string // hearing id, "" if none
	// told is the hearing a telling (victim_informed) names, "" if none.
	told string
}

// concernsDef reports whether e concerns defendant id: it names them, or
// names no defendant (a Stage 1 service without defendant_id, the start of a
// trial) and so concerns every defendant.
func (e *ev) concernsDef(id string) bool { return e.def == "" || e.def == id }

// concernsComp is concernsDef for complainants.
func (e *ev) concernsComp(id string) bool { return e.comp == "" || e.comp == id }

type complainant struct {
	id, subject string
	enhanced    bool
	dateOfBirth string // YYYY-MM-DD, "" if unknown: whether a notice reached her (s.44B(4))
}

type defendant struct {
	id, subject string

	charged                bool
	chargedOcc, chargedRec calendar.Day
	chargedV               int64

	// offences are the offences of every charge, in occurred order.
	offences []throughline.Offence

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

type pref struct {
	comp  int
	day   calendar.Day
	every int
}

type interval struct{ a, b calendar.Day } // custody from day a; released on day b

// state is the scratch space of one Compute; pooled.
type state struct {
	rules    *rules
	evs      []ev
	comps    []complainant
	defs     []defendant
	hearings []hearing
	remands  []remand
	prefs    []pref
	iv       []interval
	out      []throughline.Deadline
	closed   calendar.Day
	offences []throughline.Offence // the case's, as opened
}

var pool = sync.Pool{New: func() any { return new(state) }}

// Compute returns every deadline of one case from its events, given in log
// order. It is pure: the same events give the same deadlines, in the same
// order (early advice, then the victim duties started by each event in
// occurred_at order, then personal statements before sentence, then Victim
// Contact Scheme referrals, then the court's
// results to the Witness Care Unit, then regular updates per complainant,
// then per
// defendant PTPH, BCM stages and custody time limits, then notices of
// information requests, then action items plan by plan).
//
// Events may have been recorded late: every clock is computed from the
// events' own dates, whatever their order in the log. An event without a
// Version is numbered by its position in events (from 1).
func Compute(events []throughline.Event) []throughline.Deadline { return compute(events, std) }

// compute is Compute with a given rule table (tests change a row and see the
// result change).
func compute(events []throughline.Event, rt *rules) []throughline.Deadline {
	s := pool.Get().(*state)
	s.reset(rt)
	s.load(events)
	s.earlyAdvice()
	s.victimDuties()
	s.statements()
	s.vcsReferrals()
	s.courtResults()
	s.regularUpdates()
	for i := range s.defs {
		s.caseManagement(i)
		s.custodyLimits(i)
	}
	s.informationRequests()
	s.materialReviews()
	s.actionItems()
	out := slices.Clone(s.out)
	clear(s.out) // let go of the strings and slices
	pool.Put(s)
	return out
}

func (s *state) reset(rt *rules) {
	s.rules = rt
	s.evs, s.comps, s.defs, s.hearings = s.evs[:0], s.comps[:0], s.defs[:0], s.hearings[:0]
	s.remands, s.prefs, s.out = s.remands[:0], s.prefs[:0], s.out[:0]
	s.closed, s.offences = noDay, nil
}

// dayOf returns the London calendar day of w.
func dayOf(w throughline.When) calendar.Day {
	if w.IsZero() {
		return noDay
	}
	y, m, d := w.Time().In(throughline.London).Date()
	return calendar.Date(y, m, d)
}

// load reads the events into s: parties and hearings in log order, then the
// events sorted by the day they occurred, then the facts several families
// need (charges, remands, when each prosecution concluded).
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
		agency, _, _ := strings.Cut(e.Agency, ":")
		s.evs = append(s.evs, ev{typ: e.Type, occ: occ, rec: rec, v: v, idx: i, data: e.Data, agency: agency})
		// Parties and hearings, in log order (identity does not depend on dates).
		switch d := e.Data.(type) {
		case *throughline.CaseOpened:
			for _, c := range d.Complainants {
				if s.comp(c.ID) < 0 {
					s.comps = append(s.comps, complainant{id: c.ID, subject: "complainant:" + c.ID,
						enhanced: throughline.Complainant{ComplainantRecord: c}.IsEnhanced(), dateOfBirth: c.DateOfBirth})
				}
			}
			for _, p := range d.Suspects {
				s.def(p.ID)
			}
			if s.offences == nil {
				s.offences = d.Offences
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
		s.describe(&s.evs[k])
	}
	s.receipts()
	for k := range s.evs {
		e := &s.evs[k]
		switch d := e.data.(type) {
		case *throughline.SentToCrownCourt, *throughline.Verdict, *throughline.Sentenced, *throughline.ProsecutionStopped:
			s.def(e.def) // a defendant the case was not opened with is one all the same
		case *throughline.Charged:
			di := s.def(d.DefendantID)
			def := &s.defs[di]
			if !def.charged {
				def.charged, def.chargedOcc, def.chargedRec, def.chargedV = true, e.occ, e.rec, e.v
			}
			def.offences = append(def.offences, d.Offences...)
			s.remands = append(s.remands, remand{di, e.occ, d.Method == "custody"})
		case *throughline.RemandStatusChanged:
			s.remands = append(s.remands, remand{s.def(d.DefendantID), e.occ, d.Status == "custody"})
		case *throughline.ContactPreferencesSet:
			if ci := s.comp(d.ComplainantID); ci >= 0 {
				s.prefs = append(s.prefs, pref{ci, e.occ, d.RoutineEveryDays})
			}
		case *throughline.CaseClosed:
			if s.closed == noDay {
				s.closed = e.occ
			}
		}
		if e.data != nil && concludes(e) {
			if def := s.defPtr(e.def); def.final == noDay {
				def.final = e.occ
			}
		}
	}
	// Every victim of a sexual offence is entitled to the Victims' Code
	// enhanced service, whatever was recorded: a stored "not enhanced" must
	// not turn every duty to 5 days.
	if s.sexualOffence() {
		for i := range s.comps {
			s.comps[i].enhanced = true
		}
	}
}

// sexualOffence reports whether the case, as opened or charged, concerns a
// sexual offence: one in the reference data's sexual offence tables (package
// refdata lists only sexual offences).
func (s *state) sexualOffence() bool {
	sexual := func(o throughline.Offence) bool {
		_, ho := refdata.LookupHO(o.HOCode)
		_, cjs := refdata.LookupCJS(o.CJSCode)
		return ho || cjs
	}
	if slices.ContainsFunc(s.offences, sexual) {
		return true
	}
	for i := range s.defs {
		if slices.ContainsFunc(s.defs[i].offences, sexual) {
			return true
		}
	}
	return false
}

// describe works out e's kind and the parties and hearing it names.
func (s *state) describe(e *ev) {
	switch d := e.data.(type) {
	case *throughline.FileSubmitted:
		e.def, e.kind = d.SuspectID, d.Purpose
	case *throughline.EarlyAdviceGiven:
		e.def = d.SuspectID
	case *throughline.ChargingDecision:
		e.def, e.kind = d.SuspectID, d.Decision
	case *throughline.Charged:
		e.def, e.kind = d.DefendantID, d.Method
	case *throughline.RemandStatusChanged:
		e.def, e.kind = d.DefendantID, d.Status
	case *throughline.SentToCrownCourt:
		e.def = d.DefendantID
	case *throughline.AllocationDecided:
		e.def, e.kind = d.DefendantID, d.Venue
	case *throughline.Verdict:
		e.def, e.kind = d.DefendantID, d.Result
	case *throughline.Sentenced:
		e.def = d.DefendantID
	case *throughline.ProsecutionStopped:
		e.def, e.kind = d.DefendantID, d.How
	case *throughline.CTLExtended:
		e.def = d.DefendantID
	case *throughline.Stage1Served:
		e.def = d.DefendantID
	case *throughline.Stage2Served:
		e.def = d.DefendantID
	case *throughline.HearingListed:
		e.hearing, e.kind = d.HearingID, s.hearingKind(d.HearingID)
	case *throughline.HearingHeld:
		e.hearing, e.kind = d.HearingID, s.hearingKind(d.HearingID)
	case *throughline.HearingVacated:
		e.hearing, e.kind = d.HearingID, s.hearingKind(d.HearingID)
	case *throughline.TrialStarted:
		e.hearing, e.kind = d.HearingID, s.hearingKind(d.HearingID)
	case *throughline.VictimInformed:
		e.comp, e.kind, e.told = d.ComplainantID, d.About, d.HearingID
	case *throughline.InformationRequested:
		e.comp = d.ComplainantID
	case *throughline.ContactPreferencesSet:
		e.comp = d.ComplainantID
	case *throughline.ComplainantWithdrew:
		e.comp = d.ComplainantID
	case *throughline.NewsReceived:
		e.kind, e.hearing, e.def, e.comp = d.About, d.HearingID, d.DefendantID, d.ComplainantID
	case *throughline.InformationNoticeException:
		e.comp, e.kind = d.ComplainantID, d.Exception
	case *throughline.InformationRequestSent:
		e.comp = d.ComplainantID
	case *throughline.InformationRequestWithdrawn:
		e.comp = d.ComplainantID
	case *throughline.MaterialDecision:
		e.comp, e.kind = d.ComplainantID, d.Decision
	case *throughline.PoliceNoFurtherAction:
		e.def = d.SuspectID
	case *throughline.ReviewRequested:
		e.comp, e.kind = d.ComplainantID, d.Scheme
	case *throughline.ReviewDecided:
		e.comp, e.kind = d.ComplainantID, d.Scheme
	case *throughline.WitnessRequirementDecided:
		e.comp, e.kind = d.ComplainantID, d.Requirement
	case *throughline.BailConditionsChanged:
		e.def = d.DefendantID
	case *throughline.WarrantIssued:
		e.def = d.DefendantID
	case *throughline.VictimPersonalStatement:
		e.comp, e.kind = d.ComplainantID, d.Action
	}
}

// concludes reports whether e concludes its defendant's prosecution: an
// acquittal, a sentence, or the prosecution stopped. A charge altered goes
// on under the new charge; a conviction still awaits sentence.
func concludes(e *ev) bool {
	switch e.typ {
	case throughline.TypeVerdict:
		return e.kind == "not_guilty"
	case throughline.TypeSentenced:
		return true
	case throughline.TypeProsecutionStopped:
		return e.kind != "charge_altered"
	}
	return false
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

// def returns the index of defendant id, added if unknown: a charge may name
// a defendant the case was not opened with.
func (s *state) def(id string) int {
	for i := range s.defs {
		if s.defs[i].id == id {
			return i
		}
	}
	s.defs = append(s.defs, defendant{id: id, subject: "defendant:" + id, final: noDay})
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
	if i := s.hearing(id); i >= 0 {
		return s.hearings[i].kind
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

// concerning names what e is about, for a deadline it starts: the defendant
// or the hearing it names, or "".
func (s *state) concerning(e *ev) string {
	switch {
	case e.def != "":
		return s.defPtr(e.def).subject
	case e.hearing != "":
		return s.hearingSubject(e.hearing)
	}
	return ""
}

// next returns the index of the first event on or after day from (in
// occurred order) that ok accepts, or -1.
func (s *state) next(from calendar.Day, ok func(*ev) bool) int {
	for k := range s.evs {
		if e := &s.evs[k]; e.occ >= from && ok(e) {
			return k
		}
	}
	return -1
}

// newDeadline starts a deadline of the version of rs in force on start, or a
// not-applicable one when none is.
func newDeadline(rs *ruleSet, subject, concerning string, e *ev, start calendar.Day) (throughline.Deadline, *Rule) {
	r := rs.at(start)
	d := throughline.Deadline{Rule: rs.id, Subject: subject, Concerning: concerning, Owner: rs.first().Owner,
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
func meet(d *throughline.Deadline, dueDay, day calendar.Day, typ string, v int64) {
	d.MetAt, d.MetBy, d.MetVersion = day.Time(), typ, v
	if dueDay != noDay && day > dueDay {
		d.LateDays = max(1, dueDay.WorkingDaysTo(day))
	}
}

// firstEnd returns the first event on or after day after (noDay: the first
// ever), other than skip, that r.EndedBy lists for defendant def; or nil.
func (s *state) firstEnd(r *Rule, def string, after calendar.Day, skip *ev) *ev {
	k := s.next(after, func(e *ev) bool { return e != skip && r.ended.match(e) && e.concernsDef(def) })
	if k < 0 {
		return nil
	}
	return &s.evs[k]
}

// moot reports whether x made deadline d moot: it came on or after from, on
// or before the due day, and before d was met (a duty met the day it became
// moot was met).
func moot(d *throughline.Deadline, x *ev, from, dueDay calendar.Day) bool {
	if d.NotApplicable != "" || x == nil || x.occ < from || x.occ > dueDay {
		return false
	}
	return d.MetAt.IsZero() || calendar.DayOf(d.MetAt) > x.occ
}
