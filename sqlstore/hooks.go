package sqlstore

import (
	"context"
	"database/sql"

	"throughline"
)

// afterAppend runs inside the transaction of every live append, after the
// events are written and the case folded: what must happen atomically with
// an event but is not a projection of the log (the victim-message outbox)
// happens here. Imported history does not pass through it: the past is not
// re-announced.
func (s *Store) afterAppend(ctx context.Context, tx *sql.Tx, c *throughline.Case, evs []throughline.Event) error {
	return nil
}
