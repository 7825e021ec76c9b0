package sqlstore

import (
	"context"
	"database/sql"
)

// The oversight measures' roll-up is the case_facts projection: a record
// per case, written by the Measurer with the case's other projections
// (docs/adr/0252).

// EachCaseFacts calls fn with every case's record in the roll-up, in
// reference order, reading in pages so memory stays flat.
func (s *Store) EachCaseFacts(ctx context.Context, fn func(record []byte) error) error {
	return s.eachByRef(ctx, `SELECT case_ref, facts FROM case_facts WHERE case_ref > ? ORDER BY case_ref LIMIT 5000`, func(_ string, rec []byte) error {
		return fn(rec)
	})
}

// LogHead is the position of the latest event in the log (0 when it is
// empty): while it stands still, no projection has changed.
func (s *Store) LogHead(ctx context.Context) (int64, error) {
	var head sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT max(position) FROM events`).Scan(&head)
	return head.Int64, err
}
