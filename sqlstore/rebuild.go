package sqlstore

import (
	"context"

	"throughline"
)

// Rebuild regenerates every projection from the log, in one transaction so
// that readers see either the old projections or the new, never a gap.
// progress, if not nil, is called with the number of cases rebuilt.
func (s *Store) Rebuild(ctx context.Context, progress func(n int64)) (cases int64, err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM cases`); err != nil {
		return 0, err
	}
	for _, t := range childTables {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t.name); err != nil {
			return 0, err
		}
	}
	rows, err := tx.QueryContext(ctx, selectEvents+` ORDER BY e.case_ref, e.version`)
	if err != nil {
		return 0, err
	}
	var pending []*projection
	flush := func() error {
		if err := s.writeProjections(ctx, conn, tx, pending); err != nil {
			return err
		}
		if progress != nil {
			progress(int64(len(pending)))
		}
		pending = pending[:0]
		return nil
	}
	var c *throughline.Case
	var head []byte
	var events []throughline.Event
	finish := func() error {
		if c == nil {
			return nil
		}
		p, err := project(c, head, events)
		if err != nil {
			return err
		}
		pending = append(pending, p)
		cases++
		return nil
	}
	// Rows are read fully before writing: SQLite cannot write on a
	// connection while a query on it is open.
	var all []struct {
		r   *storedEvent
		key []byte
	}
	for rows.Next() {
		r, key, err := scanEvent(rows)
		if err != nil {
			rows.Close()
			return 0, err
		}
		all = append(all, struct {
			r   *storedEvent
			key []byte
		}{r, key})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, x := range all {
		if c == nil || x.r.CaseRef != c.Ref {
			if err := finish(); err != nil {
				return 0, err
			}
			if len(pending) >= 2000 {
				if err := flush(); err != nil {
					return 0, err
				}
			}
			c, events = &throughline.Case{}, nil
		}
		e, err := decodeEvent(x.r, x.key)
		if err != nil {
			return 0, err
		}
		c.Apply(e)
		events = append(events, e)
		head = x.r.Hash
	}
	if err := finish(); err != nil {
		return 0, err
	}
	if err := flush(); err != nil {
		return 0, err
	}
	return cases, tx.Commit()
}
