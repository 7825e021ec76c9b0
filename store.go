package throughline

import (
	"context"
	"time"
)

// What capabilities and handlers need from storage, one small interface
// per service; package sqlstore implements every one. A handler or a
// capability declares the interface (or a smaller one of its own) it uses,
// never the concrete store. Each method is one transaction.

// CaseReader reads cases and their logs.
type CaseReader interface {
	// Case returns a case as it stands. Errors: ENOTFOUND.
	Case(ctx context.Context, ref string) (*Case, error)
	// Cases lists cases in reference order.
	Cases(ctx context.Context, f CaseFilter) ([]CaseSummary, error)
	// Events returns a case's log in order. Errors: ENOTFOUND.
	Events(ctx context.Context, ref string) ([]Event, error)
}

// CaseLog appends to cases' logs.
type CaseLog interface {
	// Append decides a proposed event against its case (at version
	// expected, 0 for a new case, or AnyVersion) and appends what it
	// decides, with every projection and what the events owe, in one
	// transaction. Errors: ECONFLICT, ENOTFOUND, EINVALID.
	Append(ctx context.Context, e Event, expected int64) ([]Event, *Case, error)
	// OpenCase appends a case_opened event and puts opener (a user id) on
	// the new case's team, in one transaction. Errors: as Append.
	OpenCase(ctx context.Context, e Event, opener string) ([]Event, *Case, error)
}

// DeadlineReader reads the deadlines projection.
type DeadlineReader interface {
	// Deadlines returns a case's deadlines in due order.
	Deadlines(ctx context.Context, ref string) ([]CaseDeadline, error)
	// DeadlinesDue lists deadlines across cases, earliest due first.
	DeadlinesDue(ctx context.Context, f DeadlineFilter) ([]CaseDeadline, error)
}

// WorkReader answers the work lists' questions across cases.
type WorkReader interface {
	// HearingsBetween lists the listed hearings of open cases that start
	// in a window of days, earliest first.
	HearingsBetween(ctx context.Context, f HearingFilter) ([]CaseHearing, error)
	// Workload counts, for each active user of agency, the open cases whose
	// team they are on (in person or through a team) and of those the ones
	// with a deadline overdue as of asOf; busiest first.
	Workload(ctx context.Context, agency string, asOf time.Time) ([]Workload, error)
	// CaseLines returns, for each of refs, its parties, next deadline and
	// officers and prosecutors, for a case list.
	CaseLines(ctx context.Context, refs []string) (map[string]CaseLine, error)
}

// Outbox is the victim-message outbox as staff pages, the API and the
// portal use it (the dispatcher's own interface is in comms/dispatch).
type Outbox interface {
	// Messages lists a case's messages, oldest first.
	Messages(ctx context.Context, ref string) ([]MessageRecord, error)
	// Message returns one message. Errors: ENOTFOUND.
	Message(ctx context.Context, id int64) (MessageRecord, error)
	// FailedDeliveries is the queue of messages that need a person.
	FailedDeliveries(ctx context.Context, f ScopeFilter) ([]MessageRecord, error)
	// Tasks lists the tasks of a case ("" for every case in scope).
	Tasks(ctx context.Context, ref string, open bool, f ScopeFilter) ([]CommsTask, error)
	// CompleteTask closes a task; a phone call done is the message
	// delivered. Errors: ENOTFOUND; EINVALID if already done.
	CompleteTask(ctx context.Context, id int64, by string) error
	// Silence lists complainants owed a regular update as of asOf.
	Silence(ctx context.Context, asOf time.Time, f ScopeFilter) ([]SilentComplainant, error)
	// EnqueueFreeText queues an update a person wrote, checked against the
	// case. Errors: ENOTFOUND; EINVALID; ECONFLICT when the same words
	// were already queued on the case as it stands.
	EnqueueFreeText(ctx context.Context, ref, complainant, text, actor, agency string) (int64, error)
	// RetryFailed queues again, as the same message, one that failed on
	// every channel. Errors: ENOTFOUND; ECONFLICT when it has not failed.
	RetryFailed(ctx context.Context, ref string, id int64, by string) error
	// Receipt records a delivery receipt (a GOV.UK Notify callback).
	// Errors: ENOTFOUND for an unknown reference.
	Receipt(ctx context.Context, reference, status string) error
}

// Consultations is the consultation log (DPA 2018 s.62), break-glass
// access and ISVA consent.
type Consultations interface {
	// LogConsultations writes log entries and returns once they are
	// durable: data is shown only after it returns nil.
	LogConsultations(ctx context.Context, cs ...Consultation) error
	Consultations(ctx context.Context, f ConsultationFilter) ([]Consultation, error)
	// BreakGlass grants u emergency access to a case. Errors: EINVALID.
	BreakGlass(ctx context.Context, u User, c CaseScope, reason string) (BreakGlassGrant, error)
	BreakGlassGrants(ctx context.Context, f BreakGlassFilter) ([]BreakGlassGrant, error)
	// BreakGlassGrant returns one grant. Errors: ENOTFOUND.
	BreakGlassGrant(ctx context.Context, id string) (BreakGlassGrant, error)
	ReviewBreakGlass(ctx context.Context, grantID string, reviewer User, outcome, note string) error
	// RecordConsent appends a consent entry. Errors: EINVALID, ENOTFOUND.
	RecordConsent(ctx context.Context, c Consent) error
	Consents(ctx context.Context, ref string) ([]Consent, error)
}

// Teams is who is on which case: teams of users and case teams.
type Teams interface {
	// CreateTeam creates a team. Errors: EINVALID, ECONFLICT.
	CreateTeam(ctx context.Context, actorID, name, agency string) (Team, error)
	Teams(ctx context.Context) ([]Team, error)
	// SetTeamMember adds or removes a user. Errors: ENOTFOUND.
	SetTeamMember(ctx context.Context, actorID, teamID, userID string, in bool) error
	// SetCaseMember puts a user or team on a case team, or takes them off.
	// Errors: EINVALID, ENOTFOUND.
	SetCaseMember(ctx context.Context, actorID, ref, kind, id string, in bool) error
	CaseMembers(ctx context.Context, ref string) ([]CaseMember, error)
	// CaseScope is what the access policy needs of a case. Errors: ENOTFOUND.
	CaseScope(ctx context.Context, ref string) (CaseScope, error)
	// Relation is how u stands to a case, for Can.
	Relation(ctx context.Context, u User, ref string) (Relation, error)
	// MyCases lists the cases u may be entitled to, and how many in all.
	MyCases(ctx context.Context, u User, f MyCaseFilter) ([]MyCase, int, error)
	SearchCases(ctx context.Context, u User, q string, names bool, limit int) ([]SearchHit, error)
}

// FeedbackStore keeps victims' feedback from the portal.
type FeedbackStore interface {
	// GiveFeedback records an answer. Errors: EINVALID, ECONFLICT.
	GiveFeedback(ctx context.Context, f Feedback) error
	FeedbackGiven(ctx context.Context, ref, complainant, stage string) (bool, error)
	CaseFeedback(ctx context.Context, ref string) ([]Feedback, error)
	// FeedbackCounts rolls every answer up by force, CPS area, stage,
	// month and rating.
	FeedbackCounts(ctx context.Context) ([]FeedbackCount, error)
	// FeedbackComments returns the answers with a comment, on the cases of
	// the forces and CPS areas of f, given in the months from to to
	// (YYYY-MM, inclusive), newest first, at most f.Limit, comments opened.
	FeedbackComments(ctx context.Context, f ScopeFilter, from, to string) ([]Feedback, error)
}

// Directory keeps the contact directory, the support services and the
// courts' addresses (directory.go). Saving an entry with no ID adds it;
// with an ID, replaces it. Every change is in the administrators' log.
type Directory interface {
	StaffContacts(ctx context.Context) ([]StaffContact, error)
	// SaveStaffContact errors: EINVALID, ENOTFOUND (an unknown ID).
	SaveStaffContact(ctx context.Context, actorID string, c StaffContact) (StaffContact, error)
	// RemoveStaffContact errors: ENOTFOUND.
	RemoveStaffContact(ctx context.Context, actorID, id string) error
	SupportServices(ctx context.Context) ([]SupportService, error)
	// SaveSupportService errors: EINVALID, ENOTFOUND (an unknown ID).
	SaveSupportService(ctx context.Context, actorID string, s SupportService) (SupportService, error)
	// RemoveSupportService errors: ENOTFOUND.
	RemoveSupportService(ctx context.Context, actorID, id string) error
	CourtAddresses(ctx context.Context) ([]CourtAddress, error)
	// SaveCourtAddress errors: EINVALID, ENOTFOUND (an unknown ID),
	// ECONFLICT (the court has an address already).
	SaveCourtAddress(ctx context.Context, actorID string, a CourtAddress) (CourtAddress, error)
	// RemoveCourtAddress errors: ENOTFOUND.
	RemoveCourtAddress(ctx context.Context, actorID, id string) error
}
