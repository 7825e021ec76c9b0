package throughline

import "time"

// MessageRecord is one message to a complainant, as staff and the victim
// portal see it: the same row, so both sides show the same words.
type MessageRecord struct {
	ID          int64     `json:"id"`
	Case        string    `json:"case"`
	Complainant string    `json:"complainant_id"`
	Kind        string    `json:"kind"`
	About       string    `json:"about"`
	Status      string    `json:"status"`
	Channel     string    `json:"channel,omitempty"`
	Attempts    int       `json:"attempts"`
	Failure     string    `json:"failure,omitempty"`
	LastError   string    `json:"last_error,omitempty"`
	Reference   string    `json:"reference,omitempty"`
	Lang        string    `json:"lang,omitempty"`
	Subject     string    `json:"subject,omitempty"` // the subject line, once composed
	Body        string    `json:"body,omitempty"`    // the words sent, once composed
	TriggeredBy string    `json:"triggered_by"`      // who recorded the event that called for it
	Agency      string    `json:"agency"`
	CausedBy    int64     `json:"caused_by_version,omitempty"`
	Created     time.Time `json:"created_at"`
	Sent        string    `json:"sent_at,omitempty"`
	Delivered   string    `json:"delivered_at,omitempty"`
}

// Who acts on a victim message that failed or was stopped (ADR 0326): one
// owner per case, from its case team, so that each such message is on one
// list of people who can open the case and act.
const (
	// OwnerWitnessCare: someone of Witness Care is on the case team (in
	// person or through a team): their Victim contact page.
	OwnerWitnessCare = "wcu"
	// OwnerPolice: no one of Witness Care, but someone of the police is:
	// the "Victims to contact" list of their Today page.
	OwnerPolice = "police"
	// OwnerSupervisor: neither: the Victim contact page of the police
	// supervisors of the case's force, who may open every case of it.
	OwnerSupervisor = "police_supervisor"
)

// ActsOnFailed reports whether the failed messages of a case whose owner
// is owner are on u's lists: Witness Care's when theirs, a police
// supervisor's when no one else's, any other police user's when the
// police's. Others (the CPS Victim Liaison Unit) see what they see.
func ActsOnFailed(u User, owner string) bool {
	switch u.Role {
	case RoleWitnessCare:
		return owner == OwnerWitnessCare
	case RolePoliceSupervisor:
		return owner == OwnerSupervisor
	}
	if a, err := ParseAgency(u.Agency); err == nil && a.Kind == "police" {
		return owner == OwnerPolice
	}
	return true
}

// FailedTask reports whether a task of kind is a message that failed or was
// stopped, whose owner is the case's message owner.
func FailedTask(kind string) bool {
	return kind == TaskDeliveryFailed || kind == TaskNoChannel || kind == TaskBlocked
}

// CommsTask is work for a person: a phone call to make, a failed delivery
// to follow up, a text the guard refused, a call-back asked for. To open
// one, give Case, Complainant, MessageID, Kind, Assignee, Detail and Say;
// the store keeps ID, Status, Created and DoneBy.
type CommsTask struct {
	ID          int64     `json:"id"`
	Case        string    `json:"case"`
	Complainant string    `json:"complainant_id"`
	MessageID   int64     `json:"message_id"`
	Kind        string    `json:"kind"`
	Assignee    string    `json:"assignee"`
	Detail      string    `json:"detail"`        // what went wrong, without personal data
	Say         string    `json:"say,omitempty"` // what to say (sealed in the store)
	Status      string    `json:"status"`
	Created     time.Time `json:"created_at"`
	DoneBy      string    `json:"done_by,omitempty"`
}

// SilentComplainant is a complainant owed a regular update.
type SilentComplainant struct {
	Case        string    `json:"case"`
	Force       string    `json:"force"`
	CPSArea     string    `json:"cps_area"`
	Complainant string    `json:"complainant_id"`
	Since       time.Time `json:"since"` // the last update (or the charge)
	Due         time.Time `json:"due"`   // when the next update was due
	DaysSilent  int       `json:"days_silent"`
	Every       int       `json:"every_days"` // their cadence
}

// Message statuses in the outbox.
const (
	MessageQueued     = "queued"     // waiting for its turn (or a retry)
	MessageSending    = "sending"    // an attempt began: its outcome is unknown until recorded
	MessageSent       = "sent"       // the channel accepted it; waiting for a delivery receipt
	MessageDelivered  = "delivered"  // delivered; victim_informed recorded
	MessageTask       = "task"       // a person must do it (a phone call)
	MessageFailed     = "failed"     // every channel failed; a person must act
	MessageBlocked    = "blocked"    // the guard refused it at sending time
	MessageSuperseded = "superseded" // the record moved on; a later message tells it
)

// Failure kinds of a delivery, as GOV.UK Notify names them.
const (
	FailPermanent = "permanent" // this channel will never reach them: fall back
	FailTemporary = "temporary" // try again later on the same channel
	FailTechnical = "technical" // our side or the provider's: try again later
)

// PendingMessage is an outbox message a dispatcher has claimed.
type PendingMessage struct {
	ID           int64
	Case         string
	Complainant  string
	Kind         string
	About        string
	Subject      string
	Status       string // queued, sending or sent
	Channel      string
	ChannelIndex int
	Attempts     int
	Reference    string
	ProviderID   string
	Actor        string
	Created      time.Time // when the message was queued
	// Content is set once an attempt began (status sending or sent): a
	// resend after a crash sends the very same message.
	Content MessageContent
	// Text is the free text of a free-text update, From who wrote it.
	Text string
	From Sender
}

// Sender is who wrote a free-text update: the person by the name of their
// account, and their agency. The victim is told whom it is from.
type Sender struct {
	Name   string `json:"name,omitempty"`
	Agency string `json:"agency,omitempty"`
}

// MessageContent is what was (or is being) sent, sealed in the store.
type MessageContent struct {
	Lang      string `json:"lang"`
	Subject   string `json:"subject"`
	Body      string `json:"body"`
	Recipient string `json:"recipient"`
}

// Kinds of CommsTask.
const (
	TaskPhoneCall      = "phone_call"
	TaskDeliveryFailed = "delivery_failed"
	TaskNoChannel      = "no_channel"
	TaskBlocked        = "blocked"
	TaskCallback       = "callback"       // the victim asked to be called
	TaskTell           = "tell"           // news a person tells the victim, not a machine
	TaskStatementHelp  = "statement_help" // she asked for help to write her Victim Personal Statement
)

// ErrLeaseLost is returned when a dispatcher records over a message whose
// lease it no longer holds.
var ErrLeaseLost = Errorf(ECONFLICT, "the message's lease was lost: another dispatcher has it")

// MessageOwed is a message an event (or the calendar, or a person) calls
// for: which complainant, which template, and what it is about. It holds no
// facts to print: the message is composed from the case as it stands when
// it is sent. Package comms decides what is owed; the store queues it.
type MessageOwed struct {
	Complainant string
	Kind        string
	// About is the event type that the victim_informed recorded on
	// delivery names, so the Victims' Code deadline it meets is closed.
	About string
	// Subject is what the message is about: "hearing:H3", "defendant:D1",
	// "request:R1", or "" for the case as a whole.
	Subject string
	// Facts fingerprints the news: two messages with the same complainant,
	// subject and facts are the same news (several agencies recording the
	// same listing), and become one message.
	Facts string
	// Version is the case version of the event that caused it.
	Version int64
	// Supersedes lists the kinds of message, still queued for the same
	// complainant and Subject, that this one replaces: only the latest
	// news about a listing or a remand need go.
	Supersedes []string
}

// DedupeKey is the outbox's uniqueness key for a message owed: the event
// type, the subject and the facts, so that the same news recorded twice (by
// two agencies, or a listing re-entered unchanged) is one message.
func (m MessageOwed) DedupeKey() string { return m.About + "|" + m.Subject + "|" + m.Facts }

// Owed is what appended events owe beyond the log: messages to
// complainants and tasks for people. The store writes them in the append's
// transaction, so an event is never recorded without them.
type Owed struct {
	Messages []MessageOwed
	Tasks    []CommsTask
}
