package dispatch

import (
	"context"
	"fmt"
	"time"

	"throughline"
	"throughline/comms"
)

// Store is what the dispatcher needs from the case store. Every method that
// changes a message takes the lease owner: a dispatcher whose lease lapsed
// (another took the message over) cannot record over it, and gets
// ErrLeaseLost.
type Store interface {
	Case(ctx context.Context, ref string) (*throughline.Case, error)
	// The directory a message names her contacts and support services from.
	comms.DirectoryReader
	// Claim leases up to n messages that are due, for lease.
	Claim(ctx context.Context, owner string, n int, lease time.Duration) ([]throughline.PendingMessage, error)
	// Sending durably records that an attempt is about to begin, with its
	// channel, reference and content.
	Sending(ctx context.Context, owner string, p throughline.PendingMessage) error
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
	OpenTask(ctx context.Context, t throughline.CommsTask) error
}

// MessageID is the email Message-ID of a message on its current channel:
// the same for every attempt, so a receiver can drop a resend, and with the
// time the message was queued, so ids never repeat across databases.
func MessageID(p throughline.PendingMessage, domain string) string {
	return fmt.Sprintf("tl-%d-%d-%s@%s", p.ID, p.ChannelIndex, p.Created.UTC().Format("20060102T150405.000000"), domain)
}
