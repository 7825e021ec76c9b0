package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"throughline"
)

// Proposed is one event offered to Import, with the line it came from.
type Proposed struct {
	Line  int
	Event throughline.Event
}

// Rejected is a proposed event the domain refused, and why.
type Rejected struct {
	Line int
	Err  error
}

func (r Rejected) Error() string {
	return fmt.Sprintf("line %d: %s", r.Line, throughline.ErrorMessage(r.Err))
}

// ImportResult says what Import did.
type ImportResult struct {
	Events  int
	Cases   int
	Skipped []Rejected
}

// ImportError lists every event refused when nothing was imported.
type ImportError struct{ Rejected []Rejected }

func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d event(s) refused, nothing imported", len(e.Rejected))
	for i, r := range e.Rejected {
		if i == 20 {
			fmt.Fprintf(&b, "\n… and %d more", len(e.Rejected)-20)
			break
		}
		b.WriteString("\n" + r.Error())
	}
	return b.String()
}

// Import appends a batch of historical events in one transaction, through
// the same Decide and Apply as live writes, but written in bulk (multi-row
// inserts on SQLite, COPY on PostgreSQL). Events of a case must come in log
// order; cases may interleave. A missing recorded_at means the occurred_at.
//
// Unless skipInvalid, any refused event refuses the whole batch with an
// *ImportError and nothing is written; with it, refused events (and those of
// their case that then fail) are skipped and listed.
func (s *Store) Import(ctx context.Context, batch []Proposed, skipInvalid bool) (ImportResult, error) {
	var res ImportResult
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return res, err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return res, err
	}
	defer tx.Rollback()

	type caseWork struct {
		c     *throughline.Case
		head  []byte
		key   []byte
		isNew bool
	}
	work := map[string]*caseWork{}
	var order []string
	var refs []string
	for _, p := range batch {
		if _, ok := work[p.Event.Case]; !ok {
			work[p.Event.Case] = nil
			refs = append(refs, p.Event.Case)
		}
	}
	existing, err := s.loadMany(ctx, tx, refs)
	if err != nil {
		return res, err
	}
	for _, ref := range refs {
		if ex, ok := existing[ref]; ok {
			work[ref] = &caseWork{c: ex.c, head: ex.head}
		} else {
			work[ref] = &caseWork{c: &throughline.Case{}, head: genesis, isNew: true}
		}
	}

	now := s.Now().UTC()
	h := newHash()
	var rows [][]any
	var keyRows [][]any
	for _, p := range batch {
		e := p.Event
		w := work[e.Case]
		if e.RecordedAt.IsZero() {
			e.RecordedAt = e.OccurredAt
		}
		evs, err := throughline.Decide(w.c, e)
		if err != nil {
			res.Skipped = append(res.Skipped, Rejected{Line: p.Line, Err: err})
			continue
		}
		if w.c.Version == 0 {
			order = append(order, e.Case)
			if w.key, err = newCaseKey(); err != nil {
				return res, err
			}
			keyRows = append(keyRows, []any{e.Case, w.key})
		}
		for _, ev := range evs {
			ev.Version = w.c.Version + 1
			ev.AppendedAt = now
			if w.key == nil && needsKey(ev) {
				if w.key, err = s.caseKey(ctx, tx, ev.Case); err != nil {
					return res, err
				}
			}
			row, err := s.encode(ev, w.key, w.head, h)
			if err != nil {
				return res, err
			}
			rows = append(rows, row.args())
			w.head = row.Hash
			w.c.Apply(ev)
			res.Events++
		}
	}
	if len(res.Skipped) > 0 && !skipInvalid {
		return ImportResult{Skipped: res.Skipped}, &ImportError{Rejected: res.Skipped}
	}
	for _, ref := range refs {
		if !work[ref].isNew {
			order = append(order, ref)
		}
	}

	if err := s.bulkInsert(ctx, conn, tx, "case_keys", []string{"case_ref", "key"}, keyRows); err != nil {
		return res, err
	}
	if err := s.bulkInsert(ctx, conn, tx, "events", eventColumns, rows); err != nil {
		return res, fmt.Errorf("import events: %w", conflictIfDuplicate(err, "in this file"))
	}
	var newCases, parties, offences, hearings, keyDates [][]any
	for _, ref := range order {
		w := work[ref]
		if w.c.Version == 0 {
			continue // every event of a new case was skipped
		}
		res.Cases++
		p, err := project(w.c, w.head)
		if err != nil {
			return res, err
		}
		if w.isNew {
			newCases = append(newCases, p.caseRow)
		} else {
			if err := s.updateCaseRow(ctx, tx, p); err != nil {
				return res, err
			}
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
	}{{"cases", caseColumns, newCases}, {"parties", partyColumns, parties}, {"offences", offenceColumns, offences}, {"hearings", hearingColumns, hearings}, {"key_dates", keyDateColumns, keyDates}} {
		if err := s.bulkInsert(ctx, conn, tx, part.table, part.cols, part.rows); err != nil {
			return res, fmt.Errorf("import %s: %w", part.table, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return res, err
	}
	return res, nil
}

// updateCaseRow rewrites an existing case's row and clears its child rows,
// which the caller inserts afresh.
func (s *Store) updateCaseRow(ctx context.Context, tx *sql.Tx, p *projection) error {
	ref := p.caseRow[0]
	if _, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE cases SET version = ?, head_hash = ?, force = ?, cps_area = ?, stage = ?, reported_on = ?, last_occurred = ?, closed_on = ?, state = ? WHERE ref = ?`),
		append(append([]any(nil), p.caseRow[1:]...), ref)...); err != nil {
		return err
	}
	for _, t := range projectionTables {
		if _, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM `+t+` WHERE case_ref = ?`), ref); err != nil {
			return err
		}
	}
	return nil
}

type loaded struct {
	c    *throughline.Case
	head []byte
}

// loadMany reads the state of the cases that exist among refs, locking
// their rows on PostgreSQL.
func (s *Store) loadMany(ctx context.Context, q querier, refs []string) (map[string]loaded, error) {
	out := map[string]loaded{}
	const chunk = 500
	for i := 0; i < len(refs); i += chunk {
		part := refs[i:min(i+chunk, len(refs))]
		args := make([]any, len(part))
		for j, r := range part {
			args[j] = r
		}
		rows, err := q.QueryContext(ctx, s.d.rebind(`SELECT ref, state, head_hash FROM cases WHERE ref IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(part)), ", ")+`)`+s.d.lockRow), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var ref string
			var state, head []byte
			if err := rows.Scan(&ref, &state, &head); err != nil {
				rows.Close()
				return nil, err
			}
			c := &throughline.Case{}
			if err := json.Unmarshal(state, c); err != nil {
				rows.Close()
				return nil, fmt.Errorf("case %s: stored state: %w", ref, err)
			}
			out[ref] = loaded{c, head}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// bulkInsert writes many rows inside tx: COPY on PostgreSQL, multi-row
// INSERT on SQLite. conn must be the connection tx runs on.
func (s *Store) bulkInsert(ctx context.Context, conn *sql.Conn, tx *sql.Tx, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if s.d.name != "postgres" {
		return s.insertRows(ctx, tx, table, cols, rows)
	}
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		_, err := pc.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		return err
	})
}
