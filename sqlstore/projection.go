package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"throughline"
)

// A case's projections are its row in cases (with the folded state) and its
// rows in parties, offences, hearings, key_dates, deadlines, case_facts and
// case_team. They are always written
// whole from the folded case, so that the live path, bulk import and rebuild
// cannot disagree.

// projection is the rows of one case: its row in cases, and its rows in
// each child table, in the order of childTables.
type projection struct {
	caseRow  []any
	children [][][]any
	// deadlinesKnown says that children[deadlinesTable] holds the rows
	// stored (from the cache of the last append); otherwise they are read
	// back from the table to be compared.
	deadlinesKnown bool
}

var caseColumns = []string{"ref", "version", "head_hash", "force", "cps_area", "stage", "reported_on", "last_occurred", "closed_on", "state"}

// childTables are the per-case projection tables, cleared and rewritten
// whole whenever the case changes.
var childTables = []struct {
	name string
	cols []string
}{
	{"parties", []string{"case_ref", "party_id", "role", "name", "stage"}},
	{"offences", []string{"case_ref", "seq", "ho_code", "cjs_code"}},
	{"hearings", []string{"case_ref", "hearing_id", "kind", "court", "starts_at", "starts_on", "listing", "status", "outcome"}},
	{"key_dates", []string{"case_ref", "name", "on_date"}},
	// live is 1 while the case is open: no work list shows a closed case's
	// deadlines, and the lists' indexes hold only the live ones (0119).
	{"deadlines", []string{"case_ref", "key", "rule", "subject", "owner", "force", "cps_area", "starts", "due", "met_at", "open", "detail", "live"}},
	// The case's record in the oversight measures' roll-up (the injected
	// Measurer's, opaque to the store): one row per case.
	{"case_facts", []string{"case_ref", "facts"}},
	// The same facts narrowed to what the measures' aggregation reads
	// (the Measurer's narrow record): one row per case (docs/adr/0258).
	{"case_facts_narrow", []string{"case_ref", "facts"}},
	// Who holds each role on the case, as its log designates them: the one
	// answer the case page, the case list and the portal give (ADR 0326).
	{"case_team", []string{"case_ref", "role", "name"}},
}

// deadlinesTable, factsTable, narrowTable and teamTable are indexes in
// childTables.
const deadlinesTable, factsTable, narrowTable, teamTable = 4, 5, 6, 7

const dateOnly = "2006-01-02"

// project computes a case's projection from its folded state, its
// deadlines (as the Projector computes them from its log) and its facts (as
// the Measurer computes them, with its narrow record; nil when the caller
// does not know them).
func project(c *throughline.Case, head []byte, ds []throughline.Deadline, facts, narrow []byte) (*projection, error) {
	state, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	var closed any
	live := 1
	if !c.Closed.IsZero() {
		closed, live = c.Closed.Date().Format(dateOnly), 0
	}
	p := &projection{
		caseRow: []any{c.Ref, c.Version, head, c.Force, c.CPSArea, c.Stage(),
			c.Reported.Date().Format(dateOnly), c.LastOccurred.String(), closed, string(state)},
		children: make([][][]any, len(childTables)),
	}
	parties, offences, hearings, keyDates, deadlines := &p.children[0], &p.children[1], &p.children[2], &p.children[3], &p.children[4]
	for _, cp := range c.Complainants {
		st := "supporting"
		if !cp.Withdrawn.IsZero() {
			st = "withdrawn"
		}
		*parties = append(*parties, []any{c.Ref, cp.ID, "complainant", cp.Name, st})
	}
	for _, d := range c.Defendants {
		*parties = append(*parties, []any{c.Ref, d.ID, "defendant", d.Name, d.Stage})
	}
	for i, o := range c.Offences {
		*offences = append(*offences, []any{c.Ref, i + 1, o.HOCode, o.CJSCode})
	}
	for _, h := range c.Hearings {
		*hearings = append(*hearings, []any{c.Ref, h.ID, h.Kind, h.Court, h.StartsAt.String(),
			h.StartsAt.Date().Format(dateOnly), h.Listing, h.Status, h.Outcome})
	}
	for _, k := range c.KeyDates() {
		*keyDates = append(*keyDates, []any{c.Ref, k.Name, k.On.String()})
	}
	for _, d := range ds {
		detail, err := json.Marshal(d)
		if err != nil {
			return nil, err
		}
		var due, met any
		if !d.Due.IsZero() {
			due = d.Due.Format(dateOnly)
		}
		if !d.MetAt.IsZero() {
			met = d.MetAt.Format(dateOnly)
		}
		open := 0
		if d.MetAt.IsZero() && d.NotApplicable == "" {
			open = 1
		}
		*deadlines = append(*deadlines, []any{c.Ref, d.Key(), d.Rule, d.Subject, d.Owner, c.Force, c.CPSArea,
			d.Starts.Format(dateOnly), due, met, open, string(detail), live})
	}
	if facts != nil {
		p.children[factsTable] = [][]any{{c.Ref, string(facts)}}
		p.children[narrowTable] = [][]any{{c.Ref, narrow}}
	}
	for _, des := range c.Team {
		p.children[teamTable] = append(p.children[teamTable], []any{c.Ref, des.Role, des.Name})
	}
	return p, nil
}

// projectLog computes a case's projection from its folded state and its
// whole log, the deadlines by the injected Projector.
func (s *Store) projectLog(c *throughline.Case, head []byte, events []throughline.Event) (*projection, error) {
	ds := s.rules.Deadlines(events)
	facts, narrow := s.rules.Facts(events, ds)
	return project(c, head, ds, facts, narrow)
}

// writeCase writes one case's projections inside tx. before is the
// projection as it stood (nil for a new case), without its deadlines: child
// tables whose rows did not change are left alone, and the deadlines are
// compared with the rows stored, so that they are computed once per append.
// It returns the deadline rows written, for the cache.
func (s *Store) writeCase(ctx context.Context, tx sqlTx, c *throughline.Case, head []byte, events []throughline.Event, before *projection) ([][]any, error) {
	p, err := s.projectLog(c, head, events)
	if err != nil {
		return nil, err
	}
	rows := p.children[deadlinesTable]
	if rows == nil {
		// Known to be none, which the cache tells apart from not known:
		// the next append need not read the table back to compare.
		rows = [][]any{}
	}
	return rows, s.writeProjection(ctx, tx, c, p, before)
}

// writeProjection writes p, the projection of case c, over before.
func (s *Store) writeProjection(ctx context.Context, tx sqlTx, c *throughline.Case, p, before *projection) error {
	if before == nil {
		if err := s.execLater(ctx, tx, s.d.rebind(insertSQL("cases", caseColumns, 1)), p.caseRow...); err != nil {
			return err
		}
	} else if err := s.execLater(ctx, tx, s.d.rebind(`UPDATE cases SET version = ?, head_hash = ?, force = ?, cps_area = ?, stage = ?, reported_on = ?, last_occurred = ?, closed_on = ?, state = ? WHERE ref = ?`),
		append(append([]any(nil), p.caseRow[1:]...), c.Ref)...); err != nil {
		return err
	}
	const closed = 8 // closed_on, in caseColumns
	if before != nil && (before.caseRow[closed] == nil) != (p.caseRow[closed] == nil) {
		// Closed or reopened: its team's memberships follow (members.go).
		if err := s.syncMembersLive(ctx, tx, c.Ref); err != nil {
			return err
		}
	}
	for i, t := range childTables {
		if before != nil {
			same := sameRows(before.children[i], p.children[i])
			if t.name == "deadlines" && !before.deadlinesKnown {
				var err error
				if same, err = s.sameDeadlines(ctx, tx, before, p); err != nil {
					return err
				}
			}
			if same {
				continue
			}
			if err := s.execLater(ctx, tx, s.d.rebind(`DELETE FROM `+t.name+` WHERE case_ref = ?`), c.Ref); err != nil {
				return err
			}
		}
		if len(p.children[i]) == 0 {
			continue
		}
		if err := s.insertRows(ctx, tx, t.name, t.cols, p.children[i]); err != nil {
			return err
		}
	}
	return nil
}

// sameDeadlines reports whether p's deadline rows are those stored for its
// case, whose projection before the append was before: the same keys with
// the same details (the whole deadline), and the case's force and area
// unchanged (each row repeats them).
func (s *Store) sameDeadlines(ctx context.Context, tx sqlTx, before, p *projection) (bool, error) {
	const force, area = 3, 4 // in caseColumns
	if before.caseRow[force] != p.caseRow[force] || before.caseRow[area] != p.caseRow[area] {
		return false, nil
	}
	const key, detail = 1, 11 // in the deadlines' columns
	want := make(map[string]string, len(p.children[deadlinesTable]))
	for _, r := range p.children[deadlinesTable] {
		want[r[key].(string)] = r[detail].(string)
	}
	if pp, ok := tx.(*pipe); ok && pp.deadlinesOf == p.caseRow[0] {
		// Read with the case row (loadUncached).
		if len(pp.deadlines) != len(want) {
			return false, nil
		}
		for k, d := range pp.deadlines {
			if w, ok := want[k]; !ok || w != d {
				return false, nil
			}
		}
		return true, nil
	}
	rows, err := tx.QueryContext(ctx, s.d.rebind(`SELECT key, detail FROM deadlines WHERE case_ref = ?`), p.caseRow[0])
	if err != nil {
		return false, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var k, d string
		if err := rows.Scan(&k, &d); err != nil {
			return false, err
		}
		if w, ok := want[k]; !ok || w != d {
			return false, nil
		}
		n++
	}
	return n == len(want), rows.Err()
}

// sameRows reports whether two sets of projection rows are equal.
func sameRows(a, b [][]any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		for j := range a[i] {
			x, y := a[i][j], b[i][j]
			if xb, ok := x.([]byte); ok {
				if yb, ok := y.([]byte); !ok || !bytes.Equal(xb, yb) {
					return false
				}
				continue
			}
			if x != y {
				return false
			}
		}
	}
	return true
}

// updateCaseRow rewrites an existing case's row and clears its child rows,
// which the caller inserts afresh.
func (s *Store) updateCaseRow(ctx context.Context, tx *sql.Tx, p *projection) error {
	ref := p.caseRow[0]
	if _, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE cases SET version = ?, head_hash = ?, force = ?, cps_area = ?, stage = ?, reported_on = ?, last_occurred = ?, closed_on = ?, state = ? WHERE ref = ?`),
		append(append([]any(nil), p.caseRow[1:]...), ref)...); err != nil {
		return err
	}
	for _, t := range childTables {
		if _, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM `+t.name+` WHERE case_ref = ?`), ref); err != nil {
			return err
		}
	}
	return nil
}

// writeProjections bulk-inserts projections: the case rows (where caseRow
// is not nil: new cases) and every child row.
func (s *Store) writeProjections(ctx context.Context, conn *sql.Conn, tx *sql.Tx, ps []*projection) error {
	var cases [][]any
	children := make([][][]any, len(childTables))
	for _, p := range ps {
		if p.caseRow != nil {
			cases = append(cases, p.caseRow)
		}
		for i := range childTables {
			children[i] = append(children[i], p.children[i]...)
		}
	}
	if err := s.bulkInsert(ctx, conn, tx, "cases", caseColumns, cases); err != nil {
		return fmt.Errorf("write cases: %w", err)
	}
	for i, t := range childTables {
		if err := s.bulkInsert(ctx, conn, tx, t.name, t.cols, children[i]); err != nil {
			return fmt.Errorf("write %s: %w", t.name, err)
		}
	}
	return nil
}

// insertRows inserts rows with as few multi-row INSERT statements as the
// dialect's placeholder limit allows, preparing the full-size statement once.
func (s *Store) insertRows(ctx context.Context, tx sqlTx, table string, cols []string, rows [][]any) error {
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
		if _, queued := tx.(*pipe); queued {
			// Queued until sent, so not the slice reused for the next rows.
			err = s.execLater(ctx, tx, s.d.rebind(insertSQL(table, cols, n)), slices.Clone(args)...)
		} else if n == per && len(rows) > per {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, s.d.rebind(insertSQL(table, cols, n))); err != nil {
					return err
				}
			}
			_, err = full.ExecContext(ctx, args...)
		} else {
			err = s.execLater(ctx, tx, s.d.rebind(insertSQL(table, cols, n)), args...)
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
