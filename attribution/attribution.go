package attribution

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"throughline"
)

// Result is who a case waited on, day by day, from the report (case_opened's
// occurred_at) up to but not including its closing day or asOf, whichever
// comes first. Days add up to that many days: End − Reported.
//
// Its JSON is exactly {"case", "days", "spans"}; the rest is for the caller.
type Result struct {
	Case  string `json:"case"`
	Days  Days   `json:"days"`
	Spans []Span `json:"spans"`

	// Defendants holds each defendant's own attribution, only when a case
	// has more than one and some defendant's spans differ from the case's.
	Defendants []DefendantResult `json:"-"`
	Reported   Day               `json:"-"` // the first day counted
	End        Day               `json:"-"` // the first day not counted: closing day or asOf
	Closed     bool              `json:"-"` // closed before asOf
	Charged    bool              `json:"-"` // a suspect was charged before asOf
	// Trial: counted to the day the first trial started (Fold.ToTrial), and
	// a trial started before asOf: End is that day.
	Trial bool `json:"-"`
	// ByRule is the case's days by the rule that decided them (index: the
	// Rule): the split of each party's days by the reason, which is the
	// stage of the case.
	ByRule  RuleDays `json:"-"`
	Force   string   `json:"-"`
	CPSArea string   `json:"-"`
}

// DefendantResult is one defendant's (or suspect's) own strand.
type DefendantResult struct {
	ID    string `json:"defendant"`
	Days  Days   `json:"days"`
	Spans []Span `json:"spans"`
}

// Span is a run of days waiting on one party for one reason. From and To
// are both inclusive: a span of one day has From == To, the next span
// starts the day after To, and To − From + 1 is its length.
type Span struct {
	Party   Party  `json:"party"`
	From    Day    `json:"from"`
	To      Day    `json:"to"`
	Because Reason `json:"because"`
}

// Days is the span's length in days.
func (s Span) Days() int { return int(s.To-s.From) + 1 }

// Reason is why a span waits on its party: the rule that decided it and the
// event (type and version in the case's log) that made the rule hold.
type Reason struct {
	Rule    Rule
	Event   string
	Version int64
}

// String is "file_submitted v7: a file is with the CPS, not yet answered".
func (r Reason) String() string { return string(r.append(nil)) }

func (r Reason) append(b []byte) []byte {
	b = append(b, r.Event...)
	b = append(b, " v"...)
	b = strconv.AppendInt(b, r.Version, 10)
	b = append(b, ": "...)
	return append(b, r.Rule.String()...)
}

// MarshalJSON writes the String form.
func (r Reason) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 96)
	b = append(b, '"')
	b = r.append(b)
	return append(b, '"'), nil
}

// Rule is one waiting-on rule. Rules are in precedence order: when several
// hold on a day, the lowest wins.
type Rule uint8

// The rules, strongest first. docs/measures.md explains each.
const (
	RuleWithdrawal    Rule = iota + 1 // complainant
	RulePoliceItem                    // police
	RuleFile                          // cps
	RuleCPSItem                       // cps
	RuleStage2                        // defence
	RuleHearing                       // court
	RuleRetrial                       // cps
	RuleInvestigation                 // police
	RuleToCharge                      // police
	RuleToCourt                       // police
	RuleCourt                         // court
	RuleOutcome                       // nobody
)

var rules = [...]struct {
	party Party
	words string
}{
	RuleWithdrawal:    {Complainant, "a complainant's withdrawal is under consideration"},
	RulePoliceItem:    {Police, "an action item owned by the police is open"},
	RuleFile:          {CPS, "a file is with the CPS, not yet answered"},
	RuleCPSItem:       {CPS, "an action item owned by the CPS is open"},
	RuleStage2:        {Defence, "the defence response (BCM stage 2) is due"},
	RuleHearing:       {Court, "a hearing is listed, not yet held"},
	RuleRetrial:       {CPS, "the jury could not agree: the prosecution to decide on a retrial"},
	RuleInvestigation: {Police, "under police investigation"},
	RuleToCharge:      {Police, "the CPS decided to charge: the police to charge"},
	RuleToCourt:       {Police, "charged: no first hearing listed yet"},
	RuleCourt:         {Court, "before the court: awaiting its listing, trial or sentence"},
	RuleOutcome:       {Nobody, "every suspect has an outcome; the case is not yet closed"},
}

// RuleDays counts days per rule, indexed by Rule (0 is unused).
type RuleDays [len(rules)]int

// Party is the party the rule attributes days to.
func (r Rule) Party() Party { return rules[r].party }

func (r Rule) String() string {
	if r == 0 || int(r) >= len(rules) {
		return "no rule"
	}
	return rules[r].words
}

// Rules lists every rule in precedence order.
func Rules() []Rule {
	out := make([]Rule, 0, len(rules)-1)
	for r := RuleWithdrawal; r <= RuleOutcome; r++ {
		out = append(out, r)
	}
	return out
}

// Spans attributes every day of a case's life, from its report to its
// closing day or asOf (whichever is first; neither counted), to exactly one
// party. events are the case's log in version order; only their
// occurred_at dates matter for timing, and events dated on or after asOf's
// London day are not yet history. A log whose dates run backwards (a
// backdated entry) is attributed in date order, ties in log order.
func Spans(events []throughline.Event, asOf time.Time) Result {
	return spans(events, asOf, false)
}

// SpansToTrial is Spans with the days ending at the first trial's start
// (Fold.ToTrial).
func SpansToTrial(events []throughline.Event, asOf time.Time) Result {
	return spans(events, asOf, true)
}

func spans(events []throughline.Event, asOf time.Time, toTrial bool) Result {
	f := folds.Get().(*Fold)
	defer folds.Put(f)
	return f.run(events, asOf, toTrial)
}

// run is spans with f. Afterwards f.late tells whether either pass saw a
// backdated event after the closing (Keep).
func (f *Fold) run(events []throughline.Event, asOf time.Time, toTrial bool) Result {
	f.Init(asOf, true)
	f.toTrial = toTrial
	for i := range events {
		f.Add(events[i])
	}
	if !f.disordered {
		return f.Result()
	}
	// Rare: a backdated entry. Fold again in date order.
	late := f.late
	idx := make([]int, len(events))
	days := make([]Day, len(events))
	for i := range events {
		idx[i] = i
		days[i] = DayOf(events[i].OccurredAt.Date())
	}
	slices.SortStableFunc(idx, func(a, b int) int { return int(days[a]) - int(days[b]) })
	f.Init(asOf, true)
	f.toTrial = toTrial
	for _, i := range idx {
		f.addAt(events[i], int64(i+1))
	}
	f.late = f.late || late
	return f.Result()
}

// stage is where one suspect or defendant stands, for attribution.
type stage uint8

const (
	stInvestigation stage = iota
	stToCharge            // decided to charge, not yet charged
	stCharged             // charged, not yet sent
	stSent                // sent to the Crown Court, awaiting trial
	stTrial               // trial under way
	stRetrial             // hung jury
	stConvicted           // awaiting sentence
	stDone                // no further action, acquitted, stopped or sentenced
)

type ev struct {
	typ string
	v   int64
}

func (e ev) set() bool { return e.v != 0 }

type suspect struct {
	id     string
	st     stage
	since  ev // the event that put it at st
	ea, cd ev // a file for early advice / a charging decision, not yet answered
	stage2 ev // stage 1 served, stage 2 owed
	sent   bool
	listed bool // a hearing was listed since the charge
}

// preLive: still being investigated, or a file is with the CPS.
func (s *suspect) preLive() bool { return s.st == stInvestigation || s.ea.set() || s.cd.set() }

// beforeCourt: charged and not finished, so the court's hearings are its.
func (s *suspect) beforeCourt() bool { return s.st >= stCharged && s.st < stDone }

type item struct {
	plan, id string
	police   bool
	pre      bool // issued while a suspect was still pre-charge: part of the investigation
	open     bool
	from     ev
	// disputed: its owner disputes it, so it waits on the other agency
	// until both supervisors settle it (sides: what the police and the CPS
	// side recorded).
	disputed bool
	sides    [2]string
}

type hearing struct {
	id      string
	pending bool
	from    ev
}

type strand struct {
	days   Days
	byRule RuleDays
	spans  []Span
}

func (s *strand) give(r Reason, from, to Day, keep bool) {
	if to <= from {
		return
	}
	p := r.Rule.Party()
	s.days.Add(p, int(to-from))
	s.byRule[r.Rule] += int(to - from)
	if !keep {
		return
	}
	if n := len(s.spans); n > 0 && s.spans[n-1].Because == r && s.spans[n-1].To == from-1 {
		s.spans[n-1].To = to - 1
		return
	}
	s.spans = append(s.spans, Span{Party: p, From: from, To: to - 1, Because: r})
}

// Fold computes a Result from one case's events given one at a time, in
// date order, without keeping them: one pass, a few small allocations.
// Spans is the usual way in; Fold is for streaming many cases at once.
type Fold struct {
	ref, force, area string
	end              Day // asOf's day: not counted
	keep             bool
	started, closed  bool
	charged          bool
	toTrial, trial   bool // ToTrial: the days end at the first trial's start
	disordered       bool
	// late: an event came after the closing in the log, dated before it,
	// or before the report (Kept.Backdated).
	late          bool
	chargedDay    Day // the first charge's day, when charged
	reported, cur Day
	closeDay      Day
	n             int64 // events seen, for logs without versions

	suspects   []suspect
	items      []item
	hearings   []hearing
	withdrawal ev

	whole   strand
	each    []strand // per suspect, kept only with spans and two or more suspects
	eachBuf []strand // each's storage, kept from case to case
}

// folds recycles Folds between calls of Spans, so that a case costs no
// allocation but its result's.
var folds = sync.Pool{New: func() any { return new(Fold) }}

// Init readies f for a new case attributed as of asOf. keepSpans false
// counts days only (for totals across many cases).
func (f *Fold) Init(asOf time.Time, keepSpans bool) {
	// Keep the storage of the last case: a Fold reused costs no allocation.
	sus, its, hs, sp, each := f.suspects[:0], f.items[:0], f.hearings[:0], f.whole.spans[:0], f.eachBuf
	*f = Fold{end: DayOf(asOf.In(throughline.London)), keep: keepSpans}
	f.suspects, f.items, f.hearings, f.whole.spans, f.eachBuf = sus, its, hs, sp, each
}

// ToTrial ends the case's days at the day its first trial starts
// (trial_started), as if it closed then: the days from the report to the
// trial, the inspection's 706. Call it after Init. A case whose trial has
// not started runs to its closing day or asOf as usual; Result.Trial says
// which.
func (f *Fold) ToTrial() { f.toTrial = true }

// Disordered reports whether an event came dated before one already added:
// its effect then ran from the later date. Spans refolds such a case in
// date order; a streaming caller should do the same.
func (f *Fold) Disordered() bool { return f.disordered }

// Closed reports whether the case closed before asOf: no later event
// changes its result.
func (f *Fold) Closed() bool { return f.closed }

// Case is the case reference of the events added.
func (f *Fold) Case() string { return f.ref }

// Add folds in the case's next event.
func (f *Fold) Add(e throughline.Event) {
	f.n++
	v := e.Version
	if v == 0 {
		v = f.n
	}
	f.addAt(e, v)
}

func (f *Fold) addAt(e throughline.Event, v int64) {
	if !relevant(e.Data) {
		return
	}
	day := DayOf(e.OccurredAt.Date())
	if f.closed {
		// Ignored; but had the closing not yet been history (an earlier
		// asOf), this event would have counted.
		f.late = f.late || day < f.closeDay
		return
	}
	if !f.started {
		f.started, f.ref, f.reported, f.cur = true, e.Case, day, day
	}
	switch {
	case day >= f.end:
		return // not yet history as of asOf
	case day < f.reported:
		// Dated before the report: counted from it. (Had the report not
		// yet been history, the case would have started with this.)
		day, f.late = f.reported, true
	}
	if day > f.cur {
		f.flush(day)
		f.cur = day
	} else if day < f.cur {
		f.disordered = true
	}
	f.apply(e, ev{e.Type, v}, day)
}

// relevant reports whether an event can change who a case waits on.
func relevant(d throughline.Data) bool {
	switch d.(type) {
	case *throughline.CaseOpened, *throughline.FileSubmitted, *throughline.EarlyAdviceGiven,
		*throughline.ActionPlanIssued, *throughline.ActionItemCompleted, *throughline.ChargingDecision,
		*throughline.Charged, *throughline.SentToCrownCourt, *throughline.HearingListed,
		*throughline.HearingVacated, *throughline.HearingHeld, *throughline.TrialStarted,
		*throughline.Verdict, *throughline.Sentenced, *throughline.ProsecutionStopped,
		*throughline.ComplainantWithdrew, *throughline.CaseClosed,
		*throughline.Stage1Served, *throughline.Stage2Served,
		*throughline.ActionItemDisputed, *throughline.ActionItemCancelled, *throughline.DisputeResolved,
		*throughline.CaseConferenceHeld, *throughline.FileQualityAssessed:
		return true
	}
	return false
}

func (f *Fold) suspect(id string) *suspect {
	for i := range f.suspects {
		if f.suspects[i].id == id {
			return &f.suspects[i]
		}
	}
	return nil
}

func (f *Fold) apply(e throughline.Event, x ev, day Day) {
	// Any step in the case's progress ends a withdrawal's consideration:
	// an agency has acted on it (or on the case regardless).
	if _, w := e.Data.(*throughline.ComplainantWithdrew); !w {
		f.withdrawal = ev{}
	}
	switch d := e.Data.(type) {
	case *throughline.CaseOpened:
		f.force, f.area = d.Force, d.CPSArea
		for _, s := range d.Suspects {
			f.suspects = append(f.suspects, suspect{id: s.ID, since: x})
		}
		if f.keep && len(f.suspects) > 1 {
			for len(f.eachBuf) < len(f.suspects) {
				f.eachBuf = append(f.eachBuf, strand{})
			}
			f.each = f.eachBuf[:len(f.suspects)]
			for i := range f.each {
				f.each[i] = strand{spans: f.each[i].spans[:0]}
			}
		}
	case *throughline.FileSubmitted:
		if s := f.suspect(d.SuspectID); s != nil {
			if d.Purpose == "early_advice" {
				s.ea = x
			} else {
				s.cd = x
			}
		}
	case *throughline.EarlyAdviceGiven:
		if s := f.suspect(d.SuspectID); s != nil {
			s.ea = ev{}
			if s.st == stInvestigation {
				s.since = x
			}
		}
	case *throughline.ChargingDecision:
		if s := f.suspect(d.SuspectID); s != nil {
			s.ea, s.cd, s.since = ev{}, ev{}, x
			switch d.Decision {
			case "charge":
				s.st = stToCharge
			case "no_further_action":
				s.st = stDone
			default:
				s.st = stInvestigation
			}
		}
	case *throughline.Charged:
		if s := f.suspect(d.DefendantID); s != nil {
			s.st, s.since, s.listed, s.ea, s.cd = stCharged, x, false, ev{}, ev{}
			if !f.charged {
				f.charged, f.chargedDay = true, day
			}
		}
	case *throughline.SentToCrownCourt:
		if s := f.suspect(d.DefendantID); s != nil {
			s.st, s.since, s.sent = stSent, x, true
		}
	case *throughline.ActionPlanIssued:
		f.plan(d.PlanID, d.Items, x)
	case *throughline.CaseConferenceHeld:
		f.plan(d.ConferenceID, d.Items, x)
	case *throughline.ActionItemCompleted:
		if it := f.item(d.PlanID, d.ItemID); it != nil {
			it.open = false
		}
	case *throughline.ActionItemCancelled:
		if it := f.item(d.PlanID, d.ItemID); it != nil {
			it.open = false
		}
	case *throughline.ActionItemDisputed:
		if it := f.item(d.PlanID, d.ItemID); it != nil && it.open {
			it.disputed, it.sides, it.from = true, [2]string{}, x
		}
	case *throughline.DisputeResolved:
		if it := f.item(d.PlanID, d.ItemID); it != nil && d.PlanID != "" && it.disputed {
			side := 0
			if strings.HasPrefix(e.Agency, "cps:") {
				side = 1
			}
			it.sides[side] = d.Outcome
			if it.sides[0] != "" && it.sides[0] == it.sides[1] { // settled
				it.disputed, it.from = false, x
				it.open = d.Outcome == "upheld"
			}
		}
	case *throughline.HearingListed:
		found := false
		for i := range f.hearings {
			if h := &f.hearings[i]; h.id == d.HearingID {
				found = true
				if h.pending { // moved: the new listing is the one awaited
					h.from = x
				}
			}
		}
		if !found {
			f.hearings = append(f.hearings, hearing{id: d.HearingID, pending: true, from: x})
		}
		for i := range f.suspects {
			if f.suspects[i].st == stCharged {
				f.suspects[i].listed = true
			}
		}
	case *throughline.HearingVacated:
		f.endHearing(d.HearingID)
	case *throughline.HearingHeld:
		f.endHearing(d.HearingID)
	case *throughline.TrialStarted:
		if f.toTrial {
			f.closed, f.closeDay, f.trial = true, day, true
			return
		}
		for i := range f.suspects {
			if s := &f.suspects[i]; s.st == stSent || s.st == stRetrial {
				s.st, s.since = stTrial, x
			}
		}
	case *throughline.Verdict:
		if s := f.suspect(d.DefendantID); s != nil {
			s.since = x
			switch d.Result {
			case "guilty", "guilty_plea":
				s.st = stConvicted
			case "not_guilty":
				s.st = stDone
			case "hung_jury":
				s.st = stRetrial
			}
		}
	case *throughline.Sentenced:
		if s := f.suspect(d.DefendantID); s != nil {
			s.st, s.since = stDone, x
		}
	case *throughline.ProsecutionStopped:
		if s := f.suspect(d.DefendantID); s != nil && d.How != "charge_altered" {
			s.st, s.since = stDone, x
		}
	case *throughline.ComplainantWithdrew:
		if !f.withdrawal.set() {
			f.withdrawal = x
		}
	case *throughline.Stage1Served:
		for i := range f.suspects {
			if s := &f.suspects[i]; s.sent && (d.DefendantID == "" || d.DefendantID == s.id) {
				s.stage2 = x
			}
		}
	case *throughline.Stage2Served:
		for i := range f.suspects {
			if s := &f.suspects[i]; d.DefendantID == "" || d.DefendantID == s.id {
				s.stage2 = ev{}
			}
		}
	case *throughline.CaseClosed:
		f.closed, f.closeDay = true, day
	}
}

// plan adds the items of a plan (or of a case conference).
func (f *Fold) plan(id string, items []throughline.ActionItem, x ev) {
	pre := false
	for i := range f.suspects {
		pre = pre || f.suspects[i].preLive()
	}
	for _, it := range items {
		f.items = append(f.items, item{plan: id, id: it.ItemID, police: it.Owner == "police", pre: pre, open: true, from: x})
	}
}

func (f *Fold) item(plan, id string) *item {
	for i := range f.items {
		if f.items[i].plan == plan && f.items[i].id == id {
			return &f.items[i]
		}
	}
	return nil
}

func (f *Fold) endHearing(id string) {
	for i := range f.hearings {
		if f.hearings[i].id == id {
			f.hearings[i].pending = false
		}
	}
}

// conditions are the case-wide facts of one day, found once per day.
type conditions struct {
	policeItem, cpsItem [2]ev // [0] pre-charge plans, [1] plans after charge
	hearing             ev
}

func (f *Fold) conditions() conditions {
	var c conditions
	for i := range f.items {
		it := &f.items[i]
		if !it.open {
			continue
		}
		k := 1
		if it.pre {
			k = 0
		}
		if it.police != it.disputed { // a disputed item waits on the other agency
			if !c.policeItem[k].set() {
				c.policeItem[k] = it.from
			}
		} else if !c.cpsItem[k].set() {
			c.cpsItem[k] = it.from
		}
	}
	for i := range f.hearings {
		if f.hearings[i].pending {
			c.hearing = f.hearings[i].from
			break
		}
	}
	return c
}

// waiting is what one suspect's strand waits on, by the rules in order.
func (f *Fold) waiting(s *suspect, c *conditions) Reason {
	if s.st == stDone {
		return Reason{RuleOutcome, s.since.typ, s.since.v}
	}
	if f.withdrawal.set() {
		return Reason{RuleWithdrawal, f.withdrawal.typ, f.withdrawal.v}
	}
	k := -1 // which action plans are this suspect's
	switch {
	case s.preLive():
		k = 0
	case s.beforeCourt():
		k = 1
	}
	if k >= 0 && c.policeItem[k].set() {
		return Reason{RulePoliceItem, c.policeItem[k].typ, c.policeItem[k].v}
	}
	if s.cd.set() {
		return Reason{RuleFile, s.cd.typ, s.cd.v}
	}
	if s.ea.set() {
		return Reason{RuleFile, s.ea.typ, s.ea.v}
	}
	if k >= 0 && c.cpsItem[k].set() {
		return Reason{RuleCPSItem, c.cpsItem[k].typ, c.cpsItem[k].v}
	}
	if s.stage2.set() {
		return Reason{RuleStage2, s.stage2.typ, s.stage2.v}
	}
	if s.beforeCourt() && c.hearing.set() {
		return Reason{RuleHearing, c.hearing.typ, c.hearing.v}
	}
	r := RuleCourt
	switch s.st {
	case stInvestigation:
		r = RuleInvestigation
	case stToCharge:
		r = RuleToCharge
	case stCharged:
		if !s.listed {
			r = RuleToCourt
		}
	case stRetrial:
		r = RuleRetrial
	}
	return Reason{r, s.since.typ, s.since.v}
}

// flush attributes the days from f.cur up to (not including) to, by the
// state at the end of day f.cur.
func (f *Fold) flush(to Day) {
	if to <= f.cur {
		return
	}
	c := f.conditions()
	var best Reason
	for i := range f.suspects {
		r := f.waiting(&f.suspects[i], &c)
		if best.Rule == 0 || r.Rule < best.Rule {
			best = r
		}
		if f.each != nil {
			f.each[i].give(r, f.cur, to, true)
		}
	}
	if best.Rule == 0 { // a log without suspects: only the report
		best = Reason{RuleInvestigation, throughline.TypeCaseOpened, 1}
	}
	f.whole.give(best, f.cur, to, f.keep)
}

// Result finishes the fold: the days from the last event to the closing day
// or asOf are attributed, and the result returned. Call it once.
func (f *Fold) Result() Result {
	end := f.end
	if f.closed && f.closeDay < end {
		end = f.closeDay
	}
	if !f.started || end < f.reported {
		end = f.reported
	}
	f.flush(end)
	r := Result{Case: f.ref, Days: f.whole.days, Spans: f.whole.spans, Reported: f.reported, End: end,
		Closed: f.closed && f.closeDay <= end, Charged: f.charged, Trial: f.trial && f.closeDay <= end, Force: f.force, CPSArea: f.area,
		ByRule: f.whole.byRule}
	if f.keep {
		// The spans must not alias the Fold, which may be reused.
		r.Spans = append([]Span{}, r.Spans...)
		for _, s := range f.each {
			if !slices.Equal(s.spans, r.Spans) {
				r.Defendants = f.defendants()
				break
			}
		}
	}
	return r
}

func (f *Fold) defendants() []DefendantResult {
	out := make([]DefendantResult, len(f.each))
	for i, s := range f.each {
		out[i] = DefendantResult{ID: f.suspects[i].id, Days: s.days, Spans: append([]Span{}, s.spans...)}
	}
	return out
}

// MarshalJSON writes the rule in words.
func (r Rule) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(r.String())), nil }
