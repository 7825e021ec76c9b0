package sqlstore

import (
	"context"
	"database/sql"

	"throughline"
)

// Rebuild regenerates every projection from the log, in one transaction so
// that readers see either the old projections or the new, never a gap.
// Cases are read and folded a chunk at a time, so memory stays flat however
// long the log. progress, if not nil, is called with the number of cases
// rebuilt.
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
	refs, err := distinctRefs(ctx, tx)
	if err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM cases`); err != nil {
		return 0, err
	}
	for _, t := range childTables {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t.name); err != nil {
			return 0, err
		}
	}
	const chunk = 2000
	for i := 0; i < len(refs); i += chunk {
		part := refs[i:min(i+chunk, len(refs))]
		ps, err := s.foldRange(ctx, tx, part[0], part[len(part)-1])
		if err != nil {
			return 0, err
		}
		if err := s.writeProjections(ctx, conn, tx, ps); err != nil {
			return 0, err
		}
		cases += int64(len(ps))
		if progress != nil {
			progress(int64(len(ps)))
		}
	}
	if err := s.syncMembersLive(ctx, tx, ""); err != nil {
		return 0, err
	}
	return cases, tx.Commit()
}

func distinctRefs(ctx context.Context, tx *sql.Tx) ([]string, error) {
	return column(ctx, tx, `SELECT DISTINCT case_ref FROM events ORDER BY case_ref`)
}

// foldRange folds the cases with references from first to last and returns
// their projections. The rows are read in full before anything is written:
// SQLite cannot write on a connection while a query on it is open.
func (s *Store) foldRange(ctx context.Context, tx *sql.Tx, first, last string) ([]*projection, error) {
	rows, err := tx.QueryContext(ctx, s.d.rebind(selectEvents+` WHERE e.case_ref BETWEEN ? AND ? ORDER BY e.case_ref, e.version`), first, last)
	if err != nil {
		return nil, err
	}
	type stored struct {
		r   *storedEvent
		key []byte
	}
	var all []stored
	for rows.Next() {
		r, key, err := scanEvent(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		all = append(all, stored{r, key})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []*projection
	for i := 0; i < len(all); {
		c, events, ref := &throughline.Case{}, []throughline.Event(nil), all[i].r.CaseRef
		var head []byte
		for ; i < len(all) && all[i].r.CaseRef == ref; i++ {
			e, err := decodeEvent(all[i].r, all[i].key)
			if err != nil {
				return nil, err
			}
			c.Apply(e)
			events = append(events, e)
			head = all[i].r.Hash
		}
		p, err := s.projectLog(c, head, events)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}
