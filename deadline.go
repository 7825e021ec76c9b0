package throughline

import (
	"fmt"
	"time"

	"throughline/calendar"
)

// Deadline statuses, as Deadline.Status reads them.
const (
	DeadlinePending       = "pending"
	DeadlineDueSoon       = "due_soon"
	DeadlineMet           = "met"
	DeadlineMetLate       = "met_late"
	DeadlineMissed        = "missed"
	DeadlineNotApplicable = "not_applicable"
)

// DueSoon is how near its due day a rule's deadline counts as due soon:
// Days working days (WorkingDays) or calendar days.
type DueSoon struct {
	WorkingDays bool
	Days        int
}

// dueSoon holds each rule's DueSoon, registered by the package that owns
// the rule table (package deadline, at init). A rule not registered is due
// soon 7 calendar days ahead.
var dueSoon = map[string]DueSoon{}

// RegisterDueSoon records how near its due day rule's deadline counts as
// due soon. It is called at init, before any Status.
func RegisterDueSoon(rule string, ds DueSoon) { dueSoon[rule] = ds }

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
		return DeadlineNotApplicable
	}
	a := calendar.DayOf(asOf)
	if !d.MetAt.IsZero() && calendar.DayOf(d.MetAt) <= a {
		if d.Due.IsZero() || !d.MetAt.After(d.Due) {
			return DeadlineMet
		}
		return DeadlineMetLate
	}
	if d.Due.IsZero() {
		if d.Alert != "" {
			return DeadlineDueSoon
		}
		return DeadlinePending
	}
	due := calendar.DayOf(d.Due)
	if a > due {
		return DeadlineMissed
	}
	soon, ok := dueSoon[d.Rule]
	if !ok {
		soon = DueSoon{Days: 7}
	}
	left := int(due - a)
	if soon.WorkingDays {
		left = a.WorkingDaysTo(due)
	}
	if left <= soon.Days {
		return DeadlineDueSoon
	}
	return DeadlinePending
}
