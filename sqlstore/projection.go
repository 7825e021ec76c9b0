package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"

	"throughline"
)

// A case's projections are its row in cases (with the folded state) and its
// rows in parties, offences, hearings and key_dates. They are always written
// whole from the folded case, so that the live path, bulk import and rebuild
// cannot disagree.

// projection is the rows of one case, in table order.
type projection struct {
	caseRow  []any
	parties  [][]any
	offences [][]any
	hearings [][]any
	keyDates [][]any
}

var (
	caseColumns    = []string{"ref", "version", "head_hash", "force", "cps_area", "stage", "reported_on", "last_occurred", "closed_on", "state"}
	partyColumns   = []string{"case_ref", "party_id", "role", "name", "stage"}
	offenceColumns = []string{"case_ref", "seq", "ho_code", "cjs_code"}
	hearingColumns = []string{"case_ref", "hearing_id", "kind", "court", "starts_at", "starts_on", "listing", "status", "outcome"}
	keyDateColumns = []string{"case_ref", "name", "on_date"}
	// projectionTables are the per-case child tables, cleared before rewriting.
	projectionTables = []string{"parties", "offences", "hearings", "key_dates"}
)

func project(c *throughline.Case, head []byte) (*projection, error) {
	state, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	var closed any
	if !c.Closed.IsZero() {
		closed = c.Closed.Date().Format("2006-01-02")
	}
	p := &projection{caseRow: []any{c.Ref, c.Version, head, c.Force, c.CPSArea, c.Stage(),
		c.Reported.Date().Format("2006-01-02"), c.LastOccurred.String(), closed, string(state)}}
	for _, cp := range c.Complainants {
		st := "supporting"
		if !cp.Withdrawn.IsZero() {
			st = "withdrawn"
		}
		p.parties = append(p.parties, []any{c.Ref, cp.ID, "complainant", cp.Name, st})
	}
	for _, d := range c.Defendants {
		p.parties = append(p.parties, []any{c.Ref, d.ID, "defendant", d.Name, d.Stage})
	}
	for i, o := range c.Offences {
		p.offences = append(p.offences, []any{c.Ref, i + 1, o.HOCode, o.CJSCode})
	}
	for _, h := range c.Hearings {
		p.hearings = append(p.hearings, []any{c.Ref, h.ID, h.Kind, h.Court, h.StartsAt.String(),
			h.StartsAt.Date().Format("2006-01-02"), h.Listing, h.Status, h.Outcome})
	}
	for _, k := range c.KeyDates() {
		p.keyDates = append(p.keyDates, []any{c.Ref, k.Name, k.On.String()})
	}
	return p, nil
}

// writeCase writes one case's projections inside tx.
func (s *Store) writeCase(ctx context.Context, tx *sql.Tx, c *throughline.Case, head []byte, isNew bool) error {
	p, err := project(c, head)
	if err != nil {
		return err
	}
	if isNew {
		if _, err := tx.ExecContext(ctx, s.d.rebind(insertSQL("cases", caseColumns, 1)), p.caseRow...); err != nil {
			return err
		}
	} else {
		if _, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE cases SET version = ?, head_hash = ?, force = ?, cps_area = ?, stage = ?, reported_on = ?, last_occurred = ?, closed_on = ?, state = ? WHERE ref = ?`),
			append(p.caseRow[1:], c.Ref)...); err != nil {
			return err
		}
		for _, t := range projectionTables {
			if _, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM `+t+` WHERE case_ref = ?`), c.Ref); err != nil {
				return err
			}
		}
	}
	for _, part := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{{"parties", partyColumns, p.parties}, {"offences", offenceColumns, p.offences}, {"hearings", hearingColumns, p.hearings}, {"key_dates", keyDateColumns, p.keyDates}} {
		if len(part.rows) == 0 {
			continue
		}
		if err := s.insertRows(ctx, tx, part.table, part.cols, part.rows); err != nil {
			return err
		}
	}
	return nil
}

// insertRows inserts rows with as few multi-row INSERT statements as the
// dialect's placeholder limit allows, preparing the full-size statement once.
func (s *Store) insertRows(ctx context.Context, tx *sql.Tx, table string, cols []string, rows [][]any) error {
	per := max(1, min(1000, s.d.maxParams/len(cols)))
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	args := make([]any, 0, min(per, len(rows))*len(cols))
	for len(rows) > 0 {
		n := min(per, len(rows))
		args = args[:0]
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		var err error
		if n == per && len(rows) > per {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, s.d.rebind(insertSQL(table, cols, n))); err != nil {
					return err
				}
			}
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, s.d.rebind(insertSQL(table, cols, n)), args...)
		}
		if err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// insertSQL is "INSERT INTO table (cols) VALUES (?, …), …" for n rows.
func insertSQL(table string, cols []string, n int) string {
	b := []byte("INSERT INTO " + table + " (")
	for i, c := range cols {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, c...)
	}
	b = append(b, ") VALUES "...)
	for r := 0; r < n; r++ {
		if r > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '(')
		for i := range cols {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = append(b, '?')
		}
		b = append(b, ')')
	}
	return string(b)
}
