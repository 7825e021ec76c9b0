package throughline

import "time"

// What the store must do in the same transaction as an append, but whose
// rules belong to a capability, is injected: the store applies decisions it
// is given and never imports the package that makes them. cmd/throughline
// wires the implementations (package deadline's Compute, package comms'
// Consequences) when it opens the store. See docs/adr/0010.

// Projector computes what the store projects from a case's log beyond the
// case itself: its deadlines. Package deadline implements it (Compute).
type Projector interface {
	// Deadlines computes a case's deadlines from its whole log, in log order.
	Deadlines(events []Event) []Deadline
}

// ProjectorFunc is a function that is a Projector.
type ProjectorFunc func(events []Event) []Deadline

// Deadlines calls f.
func (f ProjectorFunc) Deadlines(events []Event) []Deadline { return f(events) }

// Consequences decides what an append owes beyond the log, and what a
// message's delivery records. Package comms implements it; the store
// applies its answers atomically with the append.
type Consequences interface {
	// Owed is what events appended to c owe (c as it stands after them):
	// the messages to queue, each with the queued messages it replaces,
	// and the tasks to open.
	Owed(c *Case, appended []Event) Owed
	// FreeText checks an update a person wrote to a complainant against
	// the case as it stands at now, and returns the message it owes.
	// Errors: EINVALID (with a FieldError per problem) when the complainant
	// does not exist, the text is empty, or it contradicts the record.
	FreeText(c *Case, complainant, text string, now time.Time) (MessageOwed, error)
	// Informed is the event that records that a message about about (and
	// its subject, "request:R1") was delivered to complainant of case ref on
	// channel, recorded by actor at now: it meets the duty the message was
	// owed for.
	Informed(ref, complainant, about, subject, channel, actor string, now time.Time) Event
}

// Measurer computes a case's record in the oversight measures' roll-up from
// its whole log, in log order, and the deadlines the Projector computed from
// it, and its narrow record: what the measures' aggregation reads of it,
// compactly. Package oversight implements it (the case's Facts as JSON, and
// oversight.Narrow). The store keeps both beside the case's other
// projections, so that they are written in the append's transaction, by
// import and by rebuild alike, and the measures read one narrow record per
// case rather than every event (docs/adr/0252, 0258).
type Measurer interface {
	Facts(events []Event, deadlines []Deadline) (record, narrow []byte)
}

// MeasurerFunc is a function that is a Measurer.
type MeasurerFunc func(events []Event, deadlines []Deadline) (record, narrow []byte)

// Facts calls f.
func (f MeasurerFunc) Facts(events []Event, deadlines []Deadline) (record, narrow []byte) {
	return f(events, deadlines)
}

// Rules are the capability rules the store applies inside its
// transactions. All three are required.
type Rules struct {
	Projector
	Consequences
	Measurer
}
