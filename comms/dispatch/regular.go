package dispatch

import (
	"context"
	"time"

	"throughline"
	"throughline/comms"
)

// UpdateStore is what scheduling regular updates needs from the store.
type UpdateStore interface {
	DeadlinesDue(ctx context.Context, f throughline.DeadlineFilter) ([]throughline.CaseDeadline, error)
	// Enqueue queues a message owed on case ref, once per complainant and
	// news; it returns 0 when the news was already queued or sent.
	Enqueue(ctx context.Context, ref string, m throughline.MessageOwed, actor, agency string) (int64, error)
}

// QueueRegularUpdates queues the regular updates due at now
// (comms.RegularUpdates), each in its own transaction, and returns how
// many were queued: each due day is queued once however often it runs.
func QueueRegularUpdates(ctx context.Context, s UpdateStore, now time.Time) (int, error) {
	ds, err := s.DeadlinesDue(ctx, comms.RegularUpdatesFilter(now))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range comms.RegularUpdates(ds) {
		id, err := s.Enqueue(ctx, m.Case, m.MessageOwed, "throughline:scheduler", "throughline")
		if err != nil {
			return n, err
		}
		if id > 0 {
			n++
		}
	}
	return n, nil
}
