package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"throughline"
	"throughline/comms"
)

// afterAppend runs inside the transaction of every live append, after the
// events are written and the case folded: what must happen atomically with
// an event but is not a projection of the log (the victim-message outbox)
// happens here. Imported history does not pass through it: the past is not
// re-announced.
//
// Two things happen here. A message the events call for is written to the
// outbox, so that an event is never recorded without its message nor a
// message queued for an event that was refused. And when the append is the
// victim_informed of a delivered message, the message's outbox row is marked
// delivered in the same transaction, so that delivery is recorded exactly
// once (see outbox.go, Delivered).
func (s *Store) afterAppend(ctx context.Context, tx *sql.Tx, c *throughline.Case, evs []throughline.Event) error {
	if t, ok := ctx.Value(transitionKey{}).(*transition); ok {
		if err := s.applyTransition(ctx, tx, t); err != nil {
			return err
		}
	}
	for _, e := range evs {
		if d, ok := e.Data.(*throughline.CallbackRequested); ok {
			if err := s.callbackTask(ctx, tx, c, d, e); err != nil {
				return err
			}
		}
	}
	trs := comms.Triggers(c, evs)
	if len(trs) == 0 {
		return nil
	}
	actor, agency := evs[0].Actor, evs[0].Agency
	for _, t := range trs {
		if _, err := s.enqueue(ctx, tx, c.Ref, t, actor, agency, nil); err != nil {
			return fmt.Errorf("queue the %s message for %s: %w", t.Kind, t.Complainant, err)
		}
	}
	return nil
}

// callbackTask opens the task of a call-back request for the complainant's
// named contact, with the time that suits them sealed.
func (s *Store) callbackTask(ctx context.Context, tx *sql.Tx, c *throughline.Case, d *throughline.CallbackRequested, e throughline.Event) error {
	t := comms.Task{Case: c.Ref, Complainant: d.ComplainantID, Kind: comms.TaskCallback, Assignee: comms.ContactOf(c, c.Complainant(d.ComplainantID)),
		Detail: fmt.Sprintf("%s asked to be called back (case %s, event %d)", d.ComplainantID, c.Ref, e.Version), Say: d.When}
	return s.insertTask(ctx, tx, t)
}
