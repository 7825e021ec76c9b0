package deadline

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"throughline"
	"throughline/calendar"
)

// This file holds what a rule is and how the table is put together. The rows
// themselves live beside the code that computes them, one file per family:
//
//	victim.go          Victims' Code duties to tell, the VCL letter, the Victim
//	                   Contact Scheme referral, regular updates
//	casemanagement.go  early advice, PTPH, Better Case Management stages 1 and 2
//	custody.go         custody time limits (magistrates' and Crown Court)
//	requests.go        notice to the victim of a request for information about them
//	material.go        decisions not to seek or to withhold material, kept under review
//	receipt.go         when the Witness Care Unit received news, and the court's
//	                   duty to send it
//	review.go          the Victims' Right to Review: the response to a request
//	statement.go       the Victim Personal Statement before sentence
//	actionplans.go     the items of police–CPS action plans and case conferences
//
// The engine reads each rule's events from its row: which events start the
// clock (Starts, StartKinds), which meet the duty (MetBy, MetKinds, About)
// and which make it moot (EndedBy, EndKinds). Change a row and the computed
// deadlines change with it. What the code keeps is what the table cannot
// say in a list: whom an event concerns, how custody days are counted, the
// coronavirus transitional rules.

// Clock says which of an event's two times starts a rule's clock.
type Clock string

const (
	// FromOccurred runs the clock from when the event happened in the world:
	// statutory and court clocks (custody time limits, Better Case Management)
	// and duties of the agency whose own act the event is.
	FromOccurred Clock = "occurred_at"
	// FromRecorded runs the clock from when the agency learned of the event:
	// duties to pass news on to a victim (the Witness Care Unit cannot tell a
	// victim of a hearing before the court has told it).
	FromRecorded Clock = "recorded_at"
	// FromReceived runs the clock from when the Witness Care Unit received
	// the news from the court or the CPS: the news_received recording it,
	// else (nobody recorded the receipt) the event's recorded_at. Its duties
	// to tell run "of them receiving the information" (Victims' Code 2020
	// Rights 8 and 9).
	FromReceived Clock = "received"
)

// Unit is how a rule counts its days.
type Unit string

const (
	WorkingDays  Unit = "working_days"  // England and Wales working days (package calendar)
	CalendarDays Unit = "calendar_days" // every day; a period ending on a weekend is not moved
)

// Rule is one version of a timescale: what starts its clock, whom it
// protects, who must act, and by when. A rule that changes gets a new
// version with its own effective dates, so deadlines whose clocks started
// under the old version keep the old timescale.
//
// Event lists name event types. A kind list narrows them: "type:kind" keeps
// only the events of that type of the listed kinds, "type:!kind" drops one
// kind. An event's kind is the field that says what sort of it it is: the
// purpose of file_submitted, the kind of the hearing for hearing_listed,
// hearing_held, hearing_vacated and trial_started, the result of a verdict,
// how a prosecution_stopped, the decision of charging_decision, the method of
// charged, the status of remand_status_changed and the about of
// victim_informed.
type Rule struct {
	ID      string // stable id, e.g. "vc_charge"
	Version string // which edition of the source, e.g. "VC2020"
	Title   string
	Source  string // the citation

	// Starts lists the event types that start the clock, StartKinds narrows
	// them; From says which of their times. A name in Starts that is not
	// (yet) in the event vocabulary is an event this rule waits for; see
	// Fallback.
	Starts     []string
	StartKinds []string
	From       Clock
	// Fallback says where the clock starts when the Starts event has not
	// happened, or "" if the deadline does not exist until it does.
	Fallback string

	Protects string // the party the rule protects: "complainant", "defendant" or "case"
	Owner    string // the duty holder: "police", "cps", "wcu", "court" or "defence"
	Subject  string // who the deadline is kept for: "complainant" or "defendant"

	Unit Unit
	// Days is the due offset. Victim rules give Enhanced (complainants
	// entitled to the Victims' Code enhanced service: every victim of a sexual
	// offence unless recorded otherwise) and Standard; defendant rules whose
	// timescale depends on remand give Custody and Bail (remand status when
	// the clock starts).
	Days, Enhanced, Standard, Custody, Bail int
	// ClassDays, when set, gives the due offset by offence class (how the
	// offence may be tried: refdata.OffenceClass), one deadline per offence:
	// an offence of a class not listed has no such deadline, one whose class
	// is not known takes Days (which must then be the shortest).
	ClassDays map[string]int

	// MetBy lists the event types that meet the duty, MetKinds narrows them.
	// About is shorthand for the kinds of victim_informed that count (its
	// `about` field); empty About means any.
	MetBy    []string
	MetKinds []string
	About    []string
	// EndedBy lists the event types that make the duty moot when they come
	// after the clock started, by the due date and before it was met (a plea
	// before the PTPH, a charge before early advice); EndKinds narrows them.
	EndedBy  []string
	EndKinds []string
	// NoticeBefore: the duty is to act on or before the event that starts
	// the clock (a notice), so a meeting event before the clock start counts.
	NoticeBefore bool
	// StrictLimit: the duty is a limit that cannot be met late: an ending
	// event after the due date leaves the deadline missed (custody time
	// limits). Otherwise a late meeting event makes it met_late.
	StrictLimit bool
	// PrecedingWorkingDay: a due day that is not a working day moves back to
	// the last working day before it (custody time limits, reg. 2(5) of the
	// 1987 Regulations). Otherwise calendar-day periods are not moved.
	PrecedingWorkingDay bool

	// DueSoon is how close to its due date (in the rule's Unit) an unmet
	// deadline is shown as due_soon.
	DueSoon int
	// Warnings are the days before the due date at which warnings fall
	// (custody time limits: 28, 14 and 7).
	Warnings []int

	// The version applies to clocks that start on or after EffectiveFrom and
	// before EffectiveTo; a zero time is unbounded. (The custody time limit
	// versions choose by custody dates instead: see ctl_crown's Notes.)
	EffectiveFrom, EffectiveTo time.Time
	Notes                      string

	from, to           calendar.Day
	starts, met, ended matcher
}

// DueDays returns the due offset for a complainant entitled to the enhanced
// service (enhanced) and a defendant in custody (custody).
func (r *Rule) DueDays(enhanced, custody bool) int {
	switch {
	case r.Enhanced != 0 || r.Standard != 0:
		if enhanced {
			return r.Enhanced
		}
		return r.Standard
	case r.Custody != 0 || r.Bail != 0:
		if custody {
			return r.Custody
		}
		return r.Bail
	}
	return r.Days
}

// InForce reports whether this version applies to a clock starting on t.
func (r *Rule) InForce(t time.Time) bool { return r.inForce(calendar.DayOf(t)) }

func (r *Rule) inForce(d calendar.Day) bool { return d >= r.from && d < r.to }

// Rule ids.
const (
	VCCharge          = "vc_charge"
	VCRemandChange    = "vc_remand_change"
	VCHearingDate     = "vc_hearing_date"
	VCOutcome         = "vc_outcome"
	VCLLetter         = "vcl_letter"
	VCLNoCharge       = "vcl_no_charge"
	EarlyAdvice       = "early_advice"
	PTPH              = "ptph"
	BCMStage1         = "bcm_stage1"
	BCMStage2         = "bcm_stage2"
	CTLMagistrates    = "ctl_magistrates"
	CTLCrown          = "ctl_crown"
	InfoRequestNotice = "info_request_notice"
	RegularUpdate     = "regular_update"
	VCSReferral       = "vcs_referral"
	VCPoliceNFA       = "vc_police_nfa"
	VCBailWarrant     = "vc_bail_warrant"
	VCEvidence        = "vc_evidence_required"
	CourtResult       = "vc_court_result"
	VRRCPS            = "vrr_cps_response"
	VRRPolice         = "vrr_police_response"
	VCStatement       = "vc_statement"
	ActionItem        = "action_item"
)

// Event types of the vocabulary that start or meet the BCM and information
// request rules.
const (
	TypeStage1Served         = throughline.TypeStage1Served
	TypeStage2Served         = throughline.TypeStage2Served
	TypeInformationRequested = throughline.TypeInformationRequested
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// table is every version of every rule, in the order screens and compliance
// reports list them.
var table = withDays(slices.Concat(victimRows(), statementRows(), vcsRows(), receiptRows(), reviewRows(), caseManagementRows(), custodyRows(),
	requestRows(), materialRows(), regularUpdateRows(), actionPlanRows()))

// withDays works out the rows' effective dates as calendar days (InForce).
func withDays(rows []Rule) []Rule {
	for i := range rows {
		r := &rows[i]
		r.from, r.to = math.MinInt32, math.MaxInt32
		if !r.EffectiveFrom.IsZero() {
			r.from = calendar.DayOf(r.EffectiveFrom)
		}
		if !r.EffectiveTo.IsZero() {
			r.to = calendar.DayOf(r.EffectiveTo)
		}
	}
	return rows
}

// std is the rule table Compute uses; ruleOrder is its ids in table order
// (Compliance reads it).
var (
	std       = mustRules(table)
	ruleOrder = std.order
)

// ruleSet is every version of one rule id.
type ruleSet struct {
	id       string
	versions []*Rule
}

// at returns the version in force for a clock starting on d, or nil. Where
// versions overlap the later-starting one wins.
func (rs *ruleSet) at(d calendar.Day) *Rule {
	var best *Rule
	for _, r := range rs.versions {
		if r.inForce(d) && (best == nil || r.from > best.from) {
			best = r
		}
	}
	return best
}

// first returns the first version in the table: its rule-wide attributes
// (unit, duty holder, due-soon threshold, clock) are shared by every version.
func (rs *ruleSet) first() *Rule { return rs.versions[0] }

// clockStart returns the day event e would start the clock of rs.
func (rs *ruleSet) clockStart(e *ev) calendar.Day {
	switch rs.first().From {
	case FromRecorded:
		return e.rec
	case FromReceived:
		return e.recv
	}
	return e.occ
}

// startedBy reports whether e starts a clock of rs: the version in force on
// the day it would start lists it. When no version is in force on that day,
// any version listing it will do, so that the deadline is still shown (as
// not applicable, saying when the rule came into force).
func (rs *ruleSet) startedBy(e *ev) bool {
	if r := rs.at(rs.clockStart(e)); r != nil {
		return r.starts.match(e)
	}
	for _, r := range rs.versions {
		if r.starts.match(e) {
			return true
		}
	}
	return false
}

// rules is a rule table made ready for Compute: versions grouped by id.
type rules struct {
	sets  map[string]*ruleSet
	order []string
}

// get returns the versions of rule id. Every id the engine asks for is in
// the table (newRules checks), so it never returns nil.
func (rt *rules) get(id string) *ruleSet { return rt.sets[id] }

// required are the rule ids the engine computes: a table must have each.
var required = []string{VCCharge, VCRemandChange, VCHearingDate, VCOutcome, VCLLetter, VCLNoCharge, EarlyAdvice,
	PTPH, BCMStage1, BCMStage2, CTLMagistrates, CTLCrown, InfoRequestNotice, RegularUpdate, VCSReferral,
	VCPoliceNFA, VCBailWarrant, VCEvidence, CourtResult, VRRCPS, VRRPolice, VCStatement}

// newRules checks a table and groups it by id. The rows are copied, so the
// caller's table is not changed.
func newRules(rows []Rule) (*rules, error) {
	rt := &rules{sets: map[string]*ruleSet{}}
	for _, row := range withDays(slices.Clone(rows)) {
		r := new(Rule)
		*r = row
		var err error
		about := make([]string, len(r.About))
		for i, a := range r.About {
			about[i] = throughline.TypeVictimInformed + ":" + a
		}
		if r.starts, err = newMatcher(r.Starts, r.StartKinds); err != nil {
			return nil, fmt.Errorf("rule %s %s: starts: %w", r.ID, r.Version, err)
		}
		if r.met, err = newMatcher(r.MetBy, slices.Concat(r.MetKinds, about)); err != nil {
			return nil, fmt.Errorf("rule %s %s: met by: %w", r.ID, r.Version, err)
		}
		if r.ended, err = newMatcher(r.EndedBy, r.EndKinds); err != nil {
			return nil, fmt.Errorf("rule %s %s: ended by: %w", r.ID, r.Version, err)
		}
		rs := rt.sets[r.ID]
		if rs == nil {
			rs = &ruleSet{id: r.ID}
			rt.sets[r.ID] = rs
			rt.order = append(rt.order, r.ID)
		}
		rs.versions = append(rs.versions, r)
	}
	for _, id := range required {
		if rt.sets[id] == nil {
			return nil, fmt.Errorf("rule %s: missing from the table", id)
		}
	}
	return rt, nil
}

func mustRules(rows []Rule) *rules {
	rt, err := newRules(rows)
	if err != nil {
		panic(err) // the built-in table is wrong: every test fails here
	}
	return rt
}

// matcher says whether an event is one a rule's list names.
type matcher struct {
	types []string
	kinds []kindFilter
}

type kindFilter struct {
	typ, kind string
	not       bool
}

func newMatcher(types, kinds []string) (matcher, error) {
	m := matcher{types: types}
	for _, k := range kinds {
		typ, kind, ok := strings.Cut(k, ":")
		if !ok || kind == "" || kind == "!" {
			return m, fmt.Errorf("kind %q: want type:kind or type:!kind", k)
		}
		if !slices.Contains(types, typ) {
			return m, fmt.Errorf("kind %q: %s is not in the list of event types", k, typ)
		}
		f := kindFilter{typ: typ, kind: kind}
		if kind[0] == '!' {
			f.kind, f.not = kind[1:], true
		}
		m.kinds = append(m.kinds, f)
	}
	return m, nil
}

// match reports whether e is of a listed type and, if kinds are given for
// its type, of a kind they keep.
func (m *matcher) match(e *ev) bool {
	if !slices.Contains(m.types, e.typ) {
		return false
	}
	listed, kept := false, false
	for _, f := range m.kinds {
		if f.typ != e.typ {
			continue
		}
		if f.not {
			if f.kind == e.kind {
				return false
			}
			continue
		}
		listed = true
		kept = kept || f.kind == e.kind
	}
	return !listed || kept
}

// Rules returns the rule table: every version of every rule, in table order.
// The slices inside are shared and must not be changed.
func Rules() []Rule { return append([]Rule(nil), table...) }

// RuleIDs returns the rule ids in table order.
func RuleIDs() []string { return append([]string(nil), std.order...) }

// RuleNamed is the version of rule id in force on day t, or else its latest
// version: a rule not yet in force when the clock started still has a name.
func RuleNamed(id string, t time.Time) (Rule, bool) {
	if r, ok := RuleAt(id, t); ok {
		return r, true
	}
	var out Rule
	found := false
	for _, r := range Rules() {
		if r.ID == id {
			out, found = r, true
		}
	}
	return out, found
}

// RuleAt returns the version of rule id in force for a clock starting on t.
func RuleAt(id string, t time.Time) (Rule, bool) {
	rs := std.sets[id]
	if rs == nil {
		return Rule{}, false
	}
	r := rs.at(calendar.DayOf(t))
	if r == nil {
		return Rule{}, false
	}
	return *r, true
}
