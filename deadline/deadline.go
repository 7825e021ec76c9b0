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
	"math"
	"sort"
	"time"

	"throughline"
	"throughline/calendar"
)

// Statuses of a deadline, as Deadline.Status reads them.
const (
	StatusPending       = throughline.DeadlinePending
	StatusDueSoon       = throughline.DeadlineDueSoon
	StatusMet           = throughline.DeadlineMet
	StatusMetLate       = throughline.DeadlineMetLate
	StatusMissed        = throughline.DeadlineMissed
	StatusNotApplicable = throughline.DeadlineNotApplicable
)

// init tells the root package each rule's due-soon threshold, read by
// Deadline.Status: the first version of a rule in the table holds its
// rule-wide attributes.
func init() {
	seen := map[string]bool{}
	for i := range table {
		r := &table[i]
		if !seen[r.ID] {
			seen[r.ID] = true
			throughline.RegisterDueSoon(r.ID, throughline.DueSoon{WorkingDays: r.Unit == WorkingDays, Days: r.DueSoon})
		}
	}
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

// None is the day of a deadline not met, for Count.
const None calendar.Day = math.MinInt32

// Count counts n deadlines (n < 0 takes them away) due on due and met on
// met (None if not met), as they stand as of asOf: met on time, met late
// (whenever), missed if unmet and due before asOf, else pending. It is the
// one classification ComplianceAsOf and the oversight measures' sums share.
func (rc *RuleCompliance) Count(due, met, asOf calendar.Day, n int) {
	rc.Due += n
	switch {
	case met != None && met <= due:
		rc.MetOnTime += n
	case met != None:
		rc.MetLate += n
	case due < asOf:
		rc.Missed += n
	default:
		rc.Pending += n
	}
}

// Compliance is ComplianceAsOf with asOf = to: for a period that has ended.
func Compliance(deadlines []throughline.Deadline, from, to time.Time) []RuleCompliance {
	return ComplianceAsOf(deadlines, from, to, to)
}

// ComplianceAsOf counts, for the deadlines due from `from` to `to`
// (inclusive), per rule and duty holder, how many were met on time, met
// late, missed and are still pending. Met and met late use everything known
// (a deadline due in the period and met after it counts as met late); an
// unmet deadline is missed if its due date is before asOf, else pending.
// Rows come in rule-table order, then by duty holder.
func ComplianceAsOf(deadlines []throughline.Deadline, from, to, asOf time.Time) []RuleCompliance {
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
		met := None
		if !d.MetAt.IsZero() {
			met = calendar.DayOf(d.MetAt)
		}
		out[j].Count(due, met, a, 1)
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
