// Package deadline computes the timescales of a case from its events: the
// Victims' Code duties to tell the victim, the Victim Communication and
// Liaison letter, early advice, Better Case Management stages, custody time
// limits, notice of information requests and regular updates.
//
// The rules are data (Rules); Compute is a pure function of one case's
// events; Status reads a deadline as of a day; Compliance rolls deadlines up
// per rule and duty holder. Dates are time.Time at midnight UTC standing for
// a London calendar day, as package calendar counts them.
//
// Conventions (each rule's Notes say more):
//   - A deadline is due by the end of its Due day. A working-day clock that
//     starts on a non-working day starts on the next working day; "within 1
//     working day of D" is due at the end of the next working day after D
//     (calendar.AddWorkingDays). Calendar-day periods are not moved off
//     weekends and holidays.
//   - A clock starts from the triggering event's occurred_at or recorded_at
//     date, as the rule says (recorded_at defaults to occurred_at). A meeting
//     event counts by its occurred_at date: a victim told on time but
//     recorded late was told on time.
//   - Events may be recorded late and out of order: Compute orders them by
//     occurred_at (then log order) and recomputes everything.
//   - A victim duty is met by a victim_informed for that complainant whose
//     about is one the rule lists, on or after the day the triggering event
//     occurred; one telling meets every open deadline of the rule it covers.
//   - A complainant who withdrew support keeps every victim duty: the
//     Victims' Code rights belong to the victim whether or not they support
//     the prosecution. Opting out of updates is not yet in the vocabulary.
package deadline

import (
	"fmt"
	"sort"
	"time"

	"throughline/calendar"
)

// Statuses.
const (
	StatusPending       = "pending"
	StatusDueSoon       = "due_soon"
	StatusMet           = "met"
	StatusMetLate       = "met_late"
	StatusMissed        = "missed"
	StatusNotApplicable = "not_applicable"
)

// Deadline is one duty of one rule, for one party of a case.
type Deadline struct {
	Rule string `json:"rule"` // rule id
	// RuleVersion is the version in force when the clock started; a custody
	// time limit a court extended has "+extended" appended.
	RuleVersion string `json:"rule_version"`
	// Subject is whom the deadline is kept for: "complainant:C1" or
	// "defendant:D1" (suspects and defendants share their ids).
	Subject string `json:"subject"`
	// Concerning names what the duty is about when a subject has several of
	// one rule: "defendant:D2" (a charge, remand change or VCL letter),
	// "hearing:H1" (a listing or outcome), or "" .
	Concerning string `json:"concerning,omitempty"`
	Owner      string `json:"owner"` // duty holder: police, cps, wcu, court or defence

	// StartedBy is the event type that started the clock, StartVersion its
	// version in the case's log (0 when the start is derived: a fallback).
	StartedBy    string    `json:"started_by"`
	StartVersion int64     `json:"start_version,omitempty"`
	Starts       time.Time `json:"starts"`       // the day the clock started (before moving to a working day)
	Due          time.Time `json:"due,omitzero"` // due by the end of this day; zero when not computable
	MetAt        time.Time `json:"met_at,omitzero"`
	MetBy        string    `json:"met_by,omitempty"` // event type that met it
	MetVersion   int64     `json:"met_version,omitempty"`
	// LateDays is how many working days after Due it was met (at least 1 when
	// met late, also for calendar-day rules).
	LateDays int `json:"late_days,omitempty"`
	// NotApplicable, when set, says why the duty does not apply (any more).
	NotApplicable string `json:"not_applicable,omitempty"`
	// Warnings are the days warnings fall on (custody time limits: 28, 14
	// and 7 days before expiry).
	Warnings []time.Time `json:"warnings,omitempty"`
	// Alert says what needs a person's attention: a custody time limit that
	// cannot be computed, an extension after expiry, custody past the limit.
	Alert string `json:"alert,omitempty"`
}

// Key identifies the deadline within its case, stably across recomputation.
func (d Deadline) Key() string {
	return fmt.Sprintf("%s/%s/%s/%d", d.Rule, d.Subject, d.Concerning, d.StartVersion)
}

// Status returns the deadline's status as of the end of day asOf:
//
//   - not_applicable: NotApplicable is set;
//   - met: met on or before asOf, on or before Due;
//   - met_late: met on or before asOf, after Due (never shown as met);
//   - missed: not met as of asOf and Due has passed;
//   - due_soon: not met and Due is at most the rule's DueSoon away (2 working
//     days for working-day victim duties, 7 days for calendar-day rules, 28
//     days for custody time limits: the first warning), or no due date could
//     be computed and Alert says why;
//   - pending: otherwise.
func (d Deadline) Status(asOf time.Time) string {
	if d.NotApplicable != "" {
		return StatusNotApplicable
	}
	a := calendar.DayOf(asOf)
	if !d.MetAt.IsZero() && calendar.DayOf(d.MetAt) <= a {
		if d.Due.IsZero() || !d.MetAt.After(d.Due) {
			return StatusMet
		}
		return StatusMetLate
	}
	if d.Due.IsZero() {
		if d.Alert != "" {
			return StatusDueSoon
		}
		return StatusPending
	}
	due := calendar.DayOf(d.Due)
	if a > due {
		return StatusMissed
	}
	unit, soon := CalendarDays, 7
	if rs := ruleSets[d.Rule]; rs != nil {
		unit, soon = rs.first().Unit, rs.first().DueSoon
	}
	left := int(due - a)
	if unit == WorkingDays {
		left = a.WorkingDaysTo(due)
	}
	if left <= soon {
		return StatusDueSoon
	}
	return StatusPending
}

// RuleCompliance is how one duty holder did on one rule over a period.
type RuleCompliance struct {
	Rule  string `json:"rule"`
	Owner string `json:"owner"`
	// Due counts the deadlines due in the period (not_applicable excluded);
	// it is MetOnTime + MetLate + Missed + Pending.
	Due       int `json:"due"`
	MetOnTime int `json:"met_on_time"`
	MetLate   int `json:"met_late"`
	Missed    int `json:"missed"`
	Pending   int `json:"pending"` // not met, and not yet past due as of the report date
	// OnTimeShare is MetOnTime / (MetOnTime + MetLate + Missed): the share of
	// the decided deadlines met on time; 0 when none is decided.
	OnTimeShare float64 `json:"on_time_share"`
}

// Compliance is ComplianceAsOf with asOf = to: for a period that has ended.
func Compliance(deadlines []Deadline, from, to time.Time) []RuleCompliance {
	return ComplianceAsOf(deadlines, from, to, to)
}

// ComplianceAsOf counts, for the deadlines due from `from` to `to`
// (inclusive), per rule and duty holder, how many were met on time, met
// late, missed and are still pending. Met and met late use everything known
// (a deadline due in the period and met after it counts as met late); an
// unmet deadline is missed if its due date is before asOf, else pending.
// Rows come in rule-table order, then by duty holder.
func ComplianceAsOf(deadlines []Deadline, from, to, asOf time.Time) []RuleCompliance {
	f, t, a := calendar.DayOf(from), calendar.DayOf(to), calendar.DayOf(asOf)
	type key struct{ rule, owner string }
	idx := map[key]int{}
	var out []RuleCompliance
	for i := range deadlines {
		d := &deadlines[i]
		if d.NotApplicable != "" || d.Due.IsZero() {
			continue
		}
		due := calendar.DayOf(d.Due)
		if due < f || due > t {
			continue
		}
		k := key{d.Rule, d.Owner}
		j, ok := idx[k]
		if !ok {
			j = len(out)
			idx[k] = j
			out = append(out, RuleCompliance{Rule: d.Rule, Owner: d.Owner})
		}
		rc := &out[j]
		rc.Due++
		switch {
		case !d.MetAt.IsZero() && calendar.DayOf(d.MetAt) <= due:
			rc.MetOnTime++
		case !d.MetAt.IsZero():
			rc.MetLate++
		case due < a:
			rc.Missed++
		default:
			rc.Pending++
		}
	}
	order := map[string]int{}
	for i, id := range ruleOrder {
		order[id] = i
	}
	sort.Slice(out, func(i, j int) bool {
		if oi, oj := order[out[i].Rule], order[out[j].Rule]; oi != oj {
			return oi < oj
		}
		return out[i].Owner < out[j].Owner
	})
	for i := range out {
		if n := out[i].MetOnTime + out[i].MetLate + out[i].Missed; n > 0 {
			out[i].OnTimeShare = float64(out[i].MetOnTime) / float64(n)
		}
	}
	return out
}
