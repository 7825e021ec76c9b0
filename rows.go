package throughline

import (
	"time"
)

// CaseSummary is one row of a case list.
type CaseSummary struct {
	Ref          string `json:"ref"`
	Version      int64  `json:"version"`
	Force        string `json:"force"`
	CPSArea      string `json:"cps_area"`
	Stage        string `json:"stage"`
	ReportedOn   string `json:"reported_on"`
	LastOccurred string `json:"last_occurred"`
	ClosedOn     string `json:"closed_on,omitempty"`
}

// CaseFilter selects cases. Empty fields match everything.
type CaseFilter struct {
	Forces   []string // any of these forces
	CPSAreas []string // any of these areas
	Stage    string
	// QuietBefore (YYYY-MM-DD) keeps the open cases whose latest event
	// happened before that day: candidates for the stalled list.
	QuietBefore string
	After       string // keyset paging: refs after this one
	Limit       int
}

// CaseDeadline is a deadline with the case it belongs to.
type CaseDeadline struct {
	Case    string
	Force   string
	CPSArea string
	Deadline
}

// DeadlineFilter selects deadlines across cases.
type DeadlineFilter struct {
	OpenOnly  bool      // not met and still applicable
	DueAfter  time.Time // due strictly after this day (zero: no bound)
	DueBefore time.Time // due on or before this day (zero: no bound)
	Forces    []string
	CPSAreas  []string
	Owners    []string
	Rules     []string // deadline rule ids (all when empty)
	// LiveCases leaves out the deadlines of closed cases: no work list
	// shows a closed case.
	LiveCases bool
	Limit     int // 0: no limit
}

// ScopeFilter narrows a cross-case list to forces or CPS areas (all when empty).
type ScopeFilter struct {
	Forces   []string
	CPSAreas []string
	Limit    int
}

// Team is a named group of users of one agency, e.g. a RASSO unit, that
// can be put on case teams as a whole.
type Team struct {
	ID      string
	Name    string
	Agency  string
	Members []User
}

// CaseMember is a user or a team on a case team.
type CaseMember struct {
	Kind    string // user or team
	ID      string
	Name    string
	Role    string // for a user
	Agency  string
	AddedBy string
	AddedAt time.Time
}

// CaseMemberRequest is an addition to a case team waiting for a second
// person's approval.
type CaseMemberRequest struct {
	ID          string
	CaseRef     string
	Kind        string // user or team
	MemberID    string
	Name        string
	Agency      string
	RequestedBy string
	RequestedAt time.Time
}

// MyCase is a row of a user's case list, with how they stand to it.
type MyCase struct {
	CaseSummary
	Relation Relation
}

// MyCaseFilter selects and orders a user's case list.
type MyCaseFilter struct {
	// Open leaves out closed cases; Team keeps only the cases whose team
	// the user is on (not those they see as a supervisor or by break-glass).
	Open    bool
	Team    bool
	Stage   string
	Force   string
	CPSArea string
	Refs    []string // only these cases (nil: no restriction)
	After   string   // refs after this one (keyset paging by ref)
	Sort    string   // ref, stage, reported, last (default: last event, newest first)
	Desc    bool
	Offset  int
	Limit   int
}

// SearchHit is a case matched by a search, and the party whose name matched
// (empty for a match on the reference).
type SearchHit struct {
	CaseSummary
	Relation  Relation
	PartyID   string
	PartyRole string // complainant or defendant
	PartyName string
}

// AnyVersion skips the optimistic concurrency check of Append.
const AnyVersion = -1

// CaseHearing is a hearing as the hearings projection holds it, with the
// case it belongs to.
type CaseHearing struct {
	Case     string
	Force    string
	CPSArea  string
	ID       string
	Kind     string
	Court    string
	StartsAt When
	Listing  string
}

// HearingFilter selects the listed hearings of open cases in a window of
// days (London), for the cases of Refs, or of Forces or CPSAreas.
type HearingFilter struct {
	From, To time.Time // first and last day, inclusive
	Refs     []string
	Forces   []string
	CPSAreas []string
	Limit    int // 0: 500
}

// CaseLine is what a row of a case list shows beside the case's summary:
// its parties, its next open deadline and the officers and prosecutors on
// its team. The caller shows each part only as its decision allows.
type CaseLine struct {
	Parties     []Party
	Next        *Deadline // the open deadline due soonest (nil: none)
	Officers    []string  // the officer in the case its log designates (none or one)
	Prosecutors []string  // the reviewing prosecutor its log designates (none or one)
}

// Party is a complainant or a defendant as the parties projection holds it.
type Party struct {
	ID   string
	Role string // complainant or defendant
	Name string
}

// Workload is how many open cases one person is on the team of, and how
// many of those have a deadline overdue.
type Workload struct {
	UserID  string
	Name    string
	Role    string
	Cases   int
	Overdue int
}
