// Package notify delivers messages to people: email over SMTP, text
// messages and letters through a GOV.UK Notify-compatible API, and letters
// rendered as PDF. It knows nothing of cases: it is handed an address, the
// words and an idempotency reference, and says what became of them.
package notify

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Delivery is one message to one person.
type Delivery struct {
	// Reference is the idempotency reference of this attempt: the same
	// reference is the same message, so a resend after a crash can be
	// recognised (by Notify's reference lookup, or by the email's
	// Message-ID at the receiving end).
	Reference string
	// MessageID is the stable id of the message on this channel, for
	// email's Message-ID header: the same across retries.
	MessageID string
	To        string // email address, mobile number or postal address (lines separated by newlines)
	Subject   string
	Body      string
	Lang      string
	// Sent is when the attempt is made, by the case's clock (the
	// dispatcher's Now, not the transport's wall clock): a letter is dated
	// with its day in Europe/London.
	Sent time.Time
	// LargePrint asks for a letter in large print (16pt body text), for a
	// person who has said they need it. Other channels ignore it.
	LargePrint bool
}

// Result is what a channel says of a message.
type Result struct {
	ProviderID string // the provider's id (Notify's notification id)
	Status     string // accepted (waiting for a receipt), delivered, or a failure
}

// Statuses a Result may have.
const (
	Accepted  = "accepted"
	Delivered = "delivered"
	Permanent = "permanent-failure"
	Temporary = "temporary-failure"
	Technical = "technical-failure"
)

// Failure is a delivery that did not happen, and whether trying again can help.
type Failure struct {
	Kind string // Permanent, Temporary or Technical
	Err  error
}

func (f *Failure) Error() string { return f.Kind + ": " + f.Err.Error() }
func (f *Failure) Unwrap() error { return f.Err }

func fail(kind, format string, args ...any) error {
	return &Failure{Kind: kind, Err: fmt.Errorf(format, args...)}
}

// FailureKind returns the kind of a delivery error: Technical for any error
// that is not a *Failure (the outcome is then unknown, and the caller must
// not assume the message did not go).
func FailureKind(err error) string {
	var f *Failure
	if errors.As(err, &f) {
		return f.Kind
	}
	return Technical
}

// Channel sends messages one way.
type Channel interface {
	// Send sends d and says what became of it.
	Send(ctx context.Context, d Delivery) (Result, error)
	// Lookup finds an earlier attempt by its reference, for a dispatcher
	// that crashed not knowing whether it went. found is false when the
	// provider has no such message; ErrCannotLookup when the channel
	// cannot tell (SMTP).
	Lookup(ctx context.Context, reference string) (r Result, found bool, err error)
	// Status asks for the status of an accepted message.
	Status(ctx context.Context, providerID string) (Result, error)
}

// ErrCannotLookup is returned by channels that cannot find a message by
// its reference: SMTP hands a message on and keeps nothing.
var ErrCannotLookup = errors.New("this channel cannot look messages up by reference")
