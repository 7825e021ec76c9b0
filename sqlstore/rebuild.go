package sqlstore

import (
	"context"
	"database/sql"
	"runtime"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

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
	restore, err := s.bulkCache(ctx, conn)
	if err != nil {
		return 0, err
	}
	defer restore()
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
	// Each chunk is read, folded and written in turn, but the next chunk
	// is read while this one is folded: the reading is the connection's
	// (on PostgreSQL the server's), the folding every core's.
	const chunk = 2000
	read := func(i int) ([]storedRow, error) {
		part := refs[i:min(i+chunk, len(refs))]
		return s.readRange(ctx, tx, part[0], part[len(part)-1])
	}
	var rows []storedRow
	if len(refs) > 0 {
		if rows, err = read(0); err != nil {
			return 0, err
		}
	}
	for i := 0; i < len(refs); i += chunk {
		type folded struct {
			ps  []*projection
			err error
		}
		done := make(chan folded, 1)
		go func(rows []storedRow) {
			ps, err := s.fold(rows)
			done <- folded{ps, err}
		}(rows)
		rows = nil
		var readErr error
		if i+chunk < len(refs) {
			rows, readErr = read(i + chunk)
		}
		f := <-done
		if f.err != nil {
			return 0, f.err
		}
		if readErr != nil {
			return 0, readErr
		}
		ps := f.ps
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

// readRange reads the events of the cases with references from first to
// last, in case and version order. They are read in full before anything
// is written: SQLite cannot write on a connection while a query on it is
// open.
func (s *Store) readRange(ctx context.Context, tx *sql.Tx, first, last string) ([]storedRow, error) {
	return s.readEvents(ctx, tx, ` WHERE e.case_ref BETWEEN ? AND ? ORDER BY e.case_ref, e.version`, first, last)
}

// fold returns the projections of the cases whose events are all, in case
// and version order.
func (s *Store) fold(all []storedRow) ([]*projection, error) {
	// Each case is decoded, folded and projected on its own, so on every
	// core: the connection reads before and writes after, one at a time.
	var cases [][]storedRow
	for i := 0; i < len(all); {
		j := i + 1
		for j < len(all) && all[j].r.CaseRef == all[i].r.CaseRef {
			j++
		}
		cases, i = append(cases, all[i:j]), j
	}
	out := make([]*projection, len(cases))
	var next atomic.Int64
	var g errgroup.Group
	for range runtime.GOMAXPROCS(0) {
		g.Go(func() error {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(cases) {
					return nil
				}
				c, events := &throughline.Case{}, make([]throughline.Event, 0, len(cases[i]))
				for _, st := range cases[i] {
					e, err := decodeEvent(st.r, st.key)
					if err != nil {
						return err
					}
					c.Apply(e)
					events = append(events, e)
				}
				p, err := s.projectLog(c, cases[i][len(cases[i])-1].r.Hash, events)
				if err != nil {
					return err
				}
				out[i] = p
			}
		})
	}
	return out, g.Wait()
}
