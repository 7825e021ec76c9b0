package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"throughline/deadline"
)

// CaseDeadline is a deadline with the case it belongs to.
type CaseDeadline struct {
	Case    string
	Force   string
	CPSArea string
	deadline.Deadline
}

// Deadlines returns every deadline of a case, in due order.
func (s *Store) Deadlines(ctx context.Context, ref string) ([]CaseDeadline, error) {
	return s.queryDeadlines(ctx, `WHERE case_ref = ? ORDER BY due IS NULL, due, key`, ref)
}

// DeadlineFilter selects deadlines across cases.
type DeadlineFilter struct {
	OpenOnly  bool      // not met and still applicable
	DueAfter  time.Time // due strictly after this day (zero: no bound)
	DueBefore time.Time // due on or before this day (zero: no bound)
	Forces    []string
	CPSAreas  []string
	Owners    []string
	Limit     int // 0: no limit
}

// DeadlinesDue lists deadlines across cases by due date, earliest first. With
// OpenOnly and DueAfter/DueBefore it answers "what fell due since the last
// tick" from the (open, due) index.
func (s *Store) DeadlinesDue(ctx context.Context, f DeadlineFilter) ([]CaseDeadline, error) {
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
	q := w.clause("WHERE") + " ORDER BY due, case_ref, key"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	return s.queryDeadlines(ctx, q, w.args...)
}

func (s *Store) queryDeadlines(ctx context.Context, where string, args ...any) ([]CaseDeadline, error) {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT case_ref, force, cps_area, detail FROM deadlines `+where), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CaseDeadline
	for rows.Next() {
		var cd CaseDeadline
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

// Compliance returns, for deadlines due in [from, to] in the given forces or
// areas (all if empty), each rule's share met on time by duty holder, as of
// asOf.
func (s *Store) Compliance(ctx context.Context, from, to, asOf time.Time, forces, areas []string) ([]deadline.RuleCompliance, error) {
	ds, err := s.DeadlinesDue(ctx, DeadlineFilter{DueAfter: from.AddDate(0, 0, -1), DueBefore: to, Forces: forces, CPSAreas: areas})
	if err != nil {
		return nil, err
	}
	plain := make([]deadline.Deadline, len(ds))
	for i, d := range ds {
		plain[i] = d.Deadline
	}
	return deadline.ComplianceAsOf(plain, from, to, asOf), nil
}
