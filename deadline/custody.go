package deadline

import (
	"fmt"
	"math"
	"slices"
	"time"

	"throughline"
	"throughline/calendar"
	"throughline/refdata"
)

// Custody time limits: how long the prosecution may keep a defendant in
// custody before trial. They run per defendant (the case's limit is the
// earliest), count only days in custody, and cannot be met late: a limit
// that expires is missed whatever happens next (StrictLimit). The rows say
// which events start each stage and which end it; this file counts the
// custody days, deducts the magistrates' custody from the Crown Court limit,
// applies a court's extension and chooses between the 182- and 238-day
// limits under the coronavirus regulations.

var (
	ctlCovidFrom = date(2020, time.September, 28)
	ctlCovidTo   = date(2021, time.June, 28)
)

// stageOver is what ends a custody stage besides its own milestone: a plea
// or verdict (not a hung jury), the prosecution stopped (not a charge
// altered) or a sentence.
var stageOverKinds = []string{"verdict:!hung_jury", "prosecution_stopped:!charge_altered"}

// reg25 is the note on every custody time limit: reg. 2(5) moves an expiry
// off a day the courts are closed, backwards.
const reg25 = "Reg. 2(5): a limit that would expire on a Saturday, Sunday, Christmas Day, Good Friday or an England and Wales bank holiday " +
	"expires on the next preceding day that is none of those; so does an extended limit (an assumption: the court normally fixes a working day). "

func custodyRows() []Rule {
	mags := Rule{
		ID: CTLMagistrates, Version: "1987", Title: "Custody time limit in the magistrates' court",
		Source: "Prosecution of Offences (Custody Time Limits) Regulations 1987 (SI 1987/299) reg. 4: 70 days for an offence triable either way (56 when summary trial is decided on within 56 days, reg. 4(4)), 56 for a summary offence; CrimPR Part 14",
		Starts: []string{"hearing_held"}, StartKinds: []string{"hearing_held:first_appearance"},
		Fallback: "the charge date, when no first appearance has been held", From: FromOccurred,
		Protects: "defendant", Subject: "defendant", Owner: "cps",
		Unit: CalendarDays, Days: 56, ClassDays: map[string]int{refdata.EitherWay: 70, refdata.SummaryOnly: 56}, MetBy: []string{"sent_to_crown_court", "trial_started", "verdict", "prosecution_stopped", "sentenced"},
		MetKinds: stageOverKinds, StrictLimit: true, PrecedingWorkingDay: true, DueSoon: 28, Warnings: []int{28, 14, 7},
		Notes: reg25 + "Per offence (Concerning names it), by how it may be tried (refdata.OffenceClass): 70 days for an either-way offence, " +
			"56 for a summary-only one; none for an indictable-only offence such as rape, sent to the Crown Court under s.51 Crime and Disorder Act 1998 " +
			"(its custody in the magistrates' court counts against the Crown Court limit instead). An offence whose class is not known gets 56 days with an alert. " +
			"Reg. 4(4): when the court decides on summary trial of an either-way offence (allocation_decided, venue magistrates_court) before 56 days " +
			"have run from the first appearance, its limit is 56 days; the 56 days are counted in custody days, as the limit is, so that when in doubt " +
			"the earlier limit is shown. Met by the start of a summary trial (trial_started) as by sending, a plea or verdict. From the first appearance (the first first_appearance hearing held on or after the charge). " +
			"Counts custody days only: bail stops the clock and a later remand resumes it.",
	}
	crown := Rule{
		ID: CTLCrown, Version: "1987", Title: "Custody time limit in the Crown Court",
		Source: "Prosecution of Offences (Custody Time Limits) Regulations 1987 (SI 1987/299) reg. 5(6B): 182 days from sending less the magistrates' custody",
		Starts: []string{"sent_to_crown_court"}, From: FromOccurred, Protects: "defendant", Subject: "defendant", Owner: "cps",
		Unit: CalendarDays, Days: 182, MetBy: []string{"trial_started", "verdict", "prosecution_stopped", "sentenced"},
		MetKinds: stageOverKinds, StrictLimit: true, PrecedingWorkingDay: true, DueSoon: 28, Warnings: []int{28, 14, 7},
		Notes: reg25 + "Counts custody days since sending plus the days in the custody of the magistrates' court since the first appearance. " +
			"A ctl_extended decision made before the limit expired replaces the expiry date.",
	}
	covid := crown
	covid.Version, covid.Days = "SI2020/953", 238
	covid.Source = "Prosecution of Offences (Custody Time Limits) (Coronavirus) (Amendment) Regulations 2020 (SI 2020/953) regs. 2(b) and 3: 238 days"
	covid.EffectiveFrom, covid.EffectiveTo = ctlCovidFrom, ctlCovidTo
	covid.Notes = reg25 + "Chosen by custody dates, not the clock start: not for an accused already subject to a Crown Court limit before 28 Sep 2020 (reg. 3(1)); " +
		"for an accused first in custody on or after 28 Sep 2020 and before 28 Jun 2021 it continues after 28 Jun 2021 (reg. 3(2)); " +
		"for one first in custody before 28 Sep 2020 but sent after it, 238 days only while the Regulations were in force (to 27 Jun 2021), " +
		"after which the 182-day limit applies again (flagged for review). The under-18 exclusion (reg. 1A, SI 2021/91) needs the defendant's date of birth, which is not recorded: " +
		"every 238-day limit says so in its alert, so that a limit later than the law allows a child is never shown in silence."
	return []Rule{mags, crown, covid}
}

// custodyLimits adds the magistrates' and Crown Court custody time limits of
// a defendant who has been in custody.
func (s *state) custodyLimits(di int) {
	def := &s.defs[di]
	iv := s.intervals(di)
	if len(iv) == 0 {
		return
	}
	rsMags, rsCrown := s.rules.get(CTLMagistrates), s.rules.get(CTLCrown)
	if !def.charged {
		s.out = append(s.out, throughline.Deadline{Rule: CTLMagistrates, Subject: def.subject, Owner: rsMags.first().Owner,
			StartedBy: throughline.TypeRemandStatusChanged, Starts: iv[0].a.Time(),
			Alert: "remanded in custody but no charge is recorded: no custody time limit can be computed"})
		return
	}
	// First appearance: the first event on or after the charge that starts
	// the magistrates' limit (a first_appearance hearing held); until one
	// is, the charge date.
	fa := ev{typ: throughline.TypeCharged, occ: def.chargedOcc, v: def.chargedV}
	if e := s.firstStart(rsMags, def.id, def.chargedOcc); e != nil {
		fa = *e
		fa.occ = rsMags.clockStart(e)
	}
	FA := fa.occ

	// Magistrates' court: from the first appearance to sending (or a plea,
	// verdict or the end of the prosecution).
	if r := rsMags.at(FA); r != nil {
		magsEnd := s.stageEnd(r, di, FA)
		magsTo := endDay
		if magsEnd != nil {
			magsTo = magsEnd.occ
		}
		if overlaps(iv, FA, magsTo) {
			for _, lim := range s.offenceLimits(r, di, FA) {
				s.ctl(di, ctlStage{rs: rsMags, r: r, start: fa, days: lim.days, floor: noDay, end: magsEnd,
					extFrom: FA, extTo: magsTo, concerning: lim.concerning, alert: lim.alert})
			}
		}
	}

	// Crown Court: from sending, 182 days (238 under SI 2020/953) less the
	// days in the custody of the magistrates' court since the first appearance.
	sent := s.firstStart(rsCrown, def.id, noDay)
	if sent == nil {
		return
	}
	S := rsCrown.clockStart(sent)
	iv = s.intervals(di)
	deduct := 0
	if FA < S {
		deduct = custodyDays(iv, FA, S)
	}
	r, floor, alert := s.crownVersion(rsCrown, iv, S, deduct)
	crownEnd := s.stageEnd(r, di, S)
	crownTo := endDay
	if crownEnd != nil {
		crownTo = crownEnd.occ
	}
	if !overlaps(iv, S, crownTo) {
		return
	}
	if days := r.Days - deduct; days <= 0 {
		alert = fmt.Sprintf("%d days in the custody of the magistrates' court already use up the %d-day limit", deduct, r.Days)
	}
	start := *sent
	start.occ = S
	s.ctl(di, ctlStage{rs: rsCrown, r: r, start: start, days: r.Days - deduct, floor: floor, end: crownEnd,
		extFrom: S, extTo: crownTo, alert: alert})
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
	// concerning names the offence the limit is for, when limits differ by
	// offence ("offence:SX03007").
	concerning string
}

func (s *state) ctl(di int, st ctlStage) {
	def := &s.defs[di]
	S := st.start.occ
	d := throughline.Deadline{Rule: st.rs.id, RuleVersion: st.r.Version, Subject: def.subject, Concerning: st.concerning, Owner: st.r.Owner,
		StartedBy: st.start.typ, StartVersion: st.start.v, Starts: S.Time(), Alert: st.alert}
	iv := s.intervals(di)
	x, running := walk(iv, S, st.days)
	if running && st.floor != noDay && x < st.floor {
		x = st.floor
	}
	if running {
		x = st.r.lawfulExpiry(x)
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
		x = st.r.lawfulExpiry(calendar.DayOf(t))
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

// offenceLimit is the limit of one offence of a defendant.
type offenceLimit struct {
	concerning string
	days       int
	alert      string
}

// offenceLimits returns the limits of r for each offence defendant di is
// charged with (the case's offences if the charges name none): custody time
// limits run per offence. With r.ClassDays the offence's class decides: an
// indictable-only offence (rape, sent under s.51 Crime and Disorder Act
// 1998) has no magistrates' limit; an offence whose class is not known gets
// the shortest limit, r.Days, with an alert, so that no limit is shown later
// than the law allows. Offences with the same code share one limit.
func (s *state) offenceLimits(r *Rule, di int, fa calendar.Day) []offenceLimit {
	offs := s.defs[di].offences
	if len(offs) == 0 {
		offs = s.offences
	}
	if r.ClassDays == nil || len(offs) == 0 {
		lim := offenceLimit{days: r.Days}
		if r.ClassDays != nil {
			lim.alert = fmt.Sprintf("no offence is recorded: the shortest limit (%d days) is shown", r.Days)
		}
		return []offenceLimit{lim}
	}
	var out []offenceLimit
	for i, o := range offs {
		code := o.CJSCode
		if code == "" {
			code = o.HOCode
		}
		if slices.ContainsFunc(offs[:i], func(p throughline.Offence) bool { return p == o }) {
			continue
		}
		lim := offenceLimit{concerning: "offence:" + code}
		class := refdata.OffenceClass(o.HOCode, o.CJSCode)
		days, ok := r.ClassDays[class]
		switch {
		case class == "":
			lim.days = r.Days
			lim.alert = fmt.Sprintf("how offence %s may be tried is not known: the shortest limit (%d days) is shown", code, r.Days)
		case !ok:
			continue // no such limit for this class
		default:
			lim.days = days
		}
		if class == refdata.EitherWay && s.summaryTrialInTime(r, di, fa) {
			lim.days = r.ClassDays[refdata.SummaryOnly]
			lim.alert = "" // reg. 4(4): summary trial decided on within 56 days
		}
		out = append(out, lim)
	}
	return out
}

// summaryTrialInTime reports whether the court decided on summary trial of
// defendant di's offences triable either way before the expiry of the
// summary-only limit (56 days) from the first appearance fa: then reg. 4(4)
// makes their limit 56 days, not 70. The 56 days are counted as the limit
// itself is, in custody days, which can only make the 56-day limit apply
// more often than a count of calendar days would: when in doubt, the
// earlier limit, so that none is shown later than the law allows. A later
// allocation to the Crown Court (s.25 Magistrates' Courts Act 1980)
// replaces a decision for summary trial.
func (s *state) summaryTrialInTime(r *Rule, di int, fa calendar.Day) bool {
	def := &s.defs[di]
	venue, on := "", noDay
	for k := range s.evs {
		if a, ok := s.evs[k].data.(*throughline.AllocationDecided); ok && a.DefendantID == def.id && s.evs[k].occ >= fa {
			venue, on = a.Venue, s.evs[k].occ
		}
	}
	if venue != "magistrates_court" {
		return false
	}
	x, _ := walk(s.intervals(di), fa, r.ClassDays[refdata.SummaryOnly])
	return x == noDay || on <= x
}

// lawfulExpiry returns the day a limit that would expire on x expires: with
// PrecedingWorkingDay, a limit that would expire on a Saturday, Sunday,
// Christmas Day, Good Friday or a bank holiday in England and Wales expires
// on the last day before it that is none of those (CTL Regulations reg.
// 2(5)). Those are exactly the days package calendar does not count as
// working days (its bank holidays include Christmas Day and Good Friday).
// Moving back, never forward: a limit is never shown later than the law
// allows, and the warnings count back from the lawful expiry.
func (r *Rule) lawfulExpiry(x calendar.Day) calendar.Day {
	if !r.PrecedingWorkingDay {
		return x
	}
	for !x.IsWorkingDay() {
		x--
	}
	return x
}

// stageEnd returns the first event on or after from that ends a stage of
// defendant di's custody: one that r.MetBy lists (for the magistrates'
// court the sending, a plea or verdict, the prosecution stopped or a
// sentence; for the Crown Court the start of the trial or any of the others
// but sending), or nil.
func (s *state) stageEnd(r *Rule, di int, from calendar.Day) *ev {
	def := &s.defs[di]
	k := s.next(from, func(e *ev) bool { return r.met.match(e) && e.concernsDef(def.id) })
	if k < 0 {
		return nil
	}
	return &s.evs[k]
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
// under18 is the alert on every 238-day limit: the extension does not apply
// to a defendant under 18 (reg. 1A of SI 2020/953, inserted by SI 2021/91),
// and Throughline does not record a defendant's date of birth, so it cannot
// choose; said rather than a later limit shown in silence.
const under18 = "the 238-day limit does not apply to a defendant under 18 (SI 2020/953 reg. 1A, inserted by SI 2021/91): " +
	"for one, the 182-day limit applies and expires earlier; the defendant's age is not recorded here: check it"

func (s *state) crownVersion(rs *ruleSet, iv []interval, S calendar.Day, deduct int) (*Rule, calendar.Day, string) {
	var base, covid *Rule
	for _, r := range rs.versions {
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
		return covid, noDay, under18 // in force, and saved by reg. 3(2) after 28 Jun 2021
	case began < covid.to:
		// First in custody before 28 Sep 2020, Crown Court limit began while the
		// Regulations were in force: 238 days while they lasted.
		lastDay := covid.to - 1
		if x, running := walk(iv, S, covid.Days-deduct); !running || x <= lastDay {
			return covid, noDay, under18
		}
		return base, lastDay, fmt.Sprintf("first in custody before %s: the 238-day limit lapsed with SI 2020/953 on %s and the 182-day limit applies again (expiry no earlier than %s); check the limit",
			covid.from, covid.to, lastDay)
	}
	return base, noDay, ""
}
