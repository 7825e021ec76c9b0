package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"throughline"
)

// Deadlines returns every deadline of a case, in due order.
func (s *Store) Deadlines(ctx context.Context, ref string) ([]throughline.CaseDeadline, error) {
	return s.queryDeadlines(ctx, `WHERE case_ref = ? ORDER BY due IS NULL, due, key`, ref)
}

// DeadlinesDue lists deadlines across cases by due date, earliest first. With
// OpenOnly and DueAfter/DueBefore it answers "what fell due since the last
// tick" from the (open, due) index.
func (s *Store) DeadlinesDue(ctx context.Context, f throughline.DeadlineFilter) ([]throughline.CaseDeadline, error) {
	var w where
	if f.OpenOnly {
		w.add("open = 1")
	}
	if !f.DueAfter.IsZero() {
		w.add("due > ?", f.DueAfter.Format(dateOnly))
	}
	if !f.DueBefore.IsZero() {
		w.add("due <= ?", f.DueBefore.Format(dateOnly))
	} else {
		w.add("due IS NOT NULL")
	}
	w.in("force", f.Forces)
	w.in("cps_area", f.CPSAreas)
	w.in("owner", f.Owners)
	if f.LiveCases {
		w.add("case_ref NOT IN (SELECT ref FROM cases WHERE closed_on IS NOT NULL)")
	}
	q := w.clause("WHERE") + " ORDER BY due, case_ref, key"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	return s.queryDeadlines(ctx, q, w.args...)
}

func (s *Store) queryDeadlines(ctx context.Context, where string, args ...any) ([]throughline.CaseDeadline, error) {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT case_ref, force, cps_area, detail FROM deadlines `+where), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []throughline.CaseDeadline
	for rows.Next() {
		var cd throughline.CaseDeadline
		var detail []byte
		if err := rows.Scan(&cd.Case, &cd.Force, &cd.CPSArea, &detail); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(detail, &cd.Deadline); err != nil {
			return nil, fmt.Errorf("deadline of %s: %w", cd.Case, err)
		}
		out = append(out, cd)
	}
	return out, rows.Err()
}
