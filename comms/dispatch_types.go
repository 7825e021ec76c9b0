package comms

import (
	"context"
	"fmt"
	"time"

	"throughline"
)

// Message statuses in the outbox.
const (
	StatusQueued     = "queued"     // waiting for its turn (or a retry)
	StatusSending    = "sending"    // an attempt began: its outcome is unknown until recorded
	StatusSent       = "sent"       // the channel accepted it; waiting for a delivery receipt
	StatusDelivered  = "delivered"  // delivered; victim_informed recorded
	StatusTask       = "task"       // a person must do it (a phone call)
	StatusFailed     = "failed"     // every channel failed; a person must act
	StatusBlocked    = "blocked"    // the guard refused it at sending time
	StatusSuperseded = "superseded" // the record moved on; a later message tells it
)

// Failure kinds, as GOV.UK Notify names them.
const (
	FailPermanent = "permanent" // this channel will never reach them: fall back
	FailTemporary = "temporary" // try again later on the same channel
	FailTechnical = "technical" // our side or the provider's: try again later
)

// Pending is an outbox message a dispatcher has claimed.
type Pending struct {
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
	Content Content
	// Text is the free text of a KindFreeText message.
	Text string
}

// Content is what was (or is being) sent, sealed in the store.
type Content struct {
	Lang      string `json:"lang"`
	Subject   string `json:"subject"`
	Body      string `json:"body"`
	Recipient string `json:"recipient"`
}

// Task is work for a person: a phone call to make, a failed delivery to
// follow up, a text the guard refused.
type Task struct {
	Case        string
	Complainant string
	MessageID   int64
	Kind        string // phone_call, delivery_failed, no_channel, blocked
	Assignee    string
	Detail      string // what went wrong, without personal data
	Say         string // what to say (sealed)
}

// Task kinds.
const (
	TaskPhoneCall      = "phone_call"
	TaskDeliveryFailed = "delivery_failed"
	TaskNoChannel      = "no_channel"
	TaskBlocked        = "blocked"
	TaskCallback       = "callback" // the victim asked to be called
)

// Store is what the dispatcher needs from the case store. Every method that
// changes a message takes the lease owner: a dispatcher whose lease lapsed
// (another took the message over) cannot record over it, and gets
// ErrLeaseLost.
type Store interface {
	Case(ctx context.Context, ref string) (*throughline.Case, error)
	// Claim leases up to n messages that are due, for lease.
	Claim(ctx context.Context, owner string, n int, lease time.Duration) ([]Pending, error)
	// Sending durably records that an attempt is about to begin, with its
	// channel, reference and content.
	Sending(ctx context.Context, owner string, p Pending) error
	// Sent records that the channel accepted the message; the dispatcher
	// asks for its status again at pollAt unless a receipt comes first.
	Sent(ctx context.Context, owner string, id int64, providerID string, pollAt time.Time) error
	// Delivered records delivery and appends the victim_informed event in
	// one transaction. Recording it twice is not an error.
	Delivered(ctx context.Context, owner string, id int64, channel string) error
	// Retry puts a message back in the queue for at.
	Retry(ctx context.Context, owner string, id int64, at time.Time, failure, why string) error
	// Fallback moves a message to the complainant's channel at index.
	Fallback(ctx context.Context, owner string, id int64, index int, failure, why string) error
	// Finish ends a message in status (failed, blocked, superseded, task).
	Finish(ctx context.Context, owner string, id int64, status, failure, why string) error
	// OpenTask opens a task for a person (once per message, kind and detail).
	OpenTask(ctx context.Context, t Task) error
}

// ErrLeaseLost is returned when a dispatcher records over a message whose
// lease it no longer holds.
var ErrLeaseLost = throughline.Errorf(throughline.ECONFLICT, "the message's lease was lost: another dispatcher has it")

// MessageID is the email Message-ID of a message on its current channel:
// the same for every attempt, so a receiver can drop a resend, and with the
// time the message was queued, so ids never repeat across databases.
func MessageID(p Pending, domain string) string {
	return fmt.Sprintf("tl-%d-%d-%s@%s", p.ID, p.ChannelIndex, p.Created.UTC().Format("20060102T150405.000000"), domain)
}
