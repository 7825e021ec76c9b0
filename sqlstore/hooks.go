package sqlstore

import (
	"context"
	"fmt"

	"throughline"
)

// afterAppend runs inside the transaction of every live append, after the
// events are written and the case folded: what the events owe beyond the
// log, as the injected Consequences decide it (the messages to
// complainants, with the queued messages each replaces, and the tasks for
// people), is written here, so that an event is never recorded without its
// message nor a message queued for an event that was refused. Imported
// history does not pass through it: the past is not re-announced.
func (s *Store) afterAppend(ctx context.Context, tx sqlTx, c *throughline.Case, evs []throughline.Event) error {
	owed := s.rules.Owed(c, evs)
	for _, t := range owed.Tasks {
		if err := s.insertTask(ctx, tx, t); err != nil {
			return err
		}
	}
	if len(owed.Messages) == 0 {
		return nil
	}
	actor, agency := evs[0].Actor, evs[0].Agency
	for _, m := range owed.Messages {
		if _, err := s.enqueue(ctx, tx, c.Ref, m, actor, agency, nil); err != nil {
			return fmt.Errorf("queue the %s message for %s: %w", m.Kind, m.Complainant, err)
		}
	}
	return nil
}
