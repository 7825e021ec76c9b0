package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

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
	for _, t := range append([]string{"cases"}, projectionTables...) {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
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
	finish := func() error {
		if c == nil {
			return nil
		}
		p, err := project(c, head)
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
			c = &throughline.Case{}
		}
		e, err := decodeEvent(x.r, x.key)
		if err != nil {
			return 0, err
		}
		c.Apply(e)
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

// writeProjections bulk-inserts projections: the case rows (where caseRow
// is not nil) and every child row.
func (s *Store) writeProjections(ctx context.Context, conn *sql.Conn, tx *sql.Tx, ps []*projection) error {
	var cases, parties, offences, hearings, keyDates [][]any
	for _, p := range ps {
		if p.caseRow != nil {
			cases = append(cases, p.caseRow)
		}
		parties = append(parties, p.parties...)
		offences = append(offences, p.offences...)
		hearings = append(hearings, p.hearings...)
		keyDates = append(keyDates, p.keyDates...)
	}
	for _, part := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{{"cases", caseColumns, cases}, {"parties", partyColumns, parties}, {"offences", offenceColumns, offences}, {"hearings", hearingColumns, hearings}, {"key_dates", keyDateColumns, keyDates}} {
		if err := s.bulkInsert(ctx, conn, tx, part.table, part.cols, part.rows); err != nil {
			return fmt.Errorf("write %s: %w", part.table, err)
		}
	}
	return nil
}
