package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"throughline"
)

// Deadlines returns every deadline of a case, in due order.
func (s *Store) Deadlines(ctx context.Context, ref string) ([]throughline.CaseDeadline, error) {
	return s.queryDeadlines(ctx, `WHERE case_ref = ? ORDER BY due IS NULL, due, key`, ref)
}

// DeadlinesOf returns every deadline of each case among refs (a page's
// worth), in due order, by case, in one query.
func (s *Store) DeadlinesOf(ctx context.Context, refs []string) (map[string][]throughline.CaseDeadline, error) {
	out := make(map[string][]throughline.CaseDeadline, len(refs))
	if len(refs) == 0 {
		return out, nil
	}
	ds, err := s.queryDeadlines(ctx, `WHERE case_ref IN (`+placeholders(len(refs))+`) ORDER BY case_ref, due IS NULL, due, key`, anys(refs)...)
	for _, d := range ds {
		out[d.Case] = append(out[d.Case], d)
	}
	return out, err
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
	w.in("rule", f.Rules)
	if f.LiveCases {
		// The row says whether its case is open (0119): the indexes led by
		// the force and the area hold only the live open deadlines, so a
		// list never reads a closed case's.
		w.add("live = 1")
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

// DeadlineBacklog counts, by owner, the open deadlines of open cases that
// are past due on today (a London date) and those due today: what the
// deadline metrics report at each scrape. Read through the (open, due)
// index: only what is due by today is visited.
func (s *Store) DeadlineBacklog(ctx context.Context, today time.Time) (overdue, dueToday map[string]int, err error) {
	day := today.Format(time.DateOnly)
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT owner, due FROM deadlines
		WHERE open = 1 AND live = 1 AND due IS NOT NULL AND due <= ?`), day)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	overdue, dueToday = map[string]int{}, map[string]int{}
	for rows.Next() {
		var owner, due string
		if err := rows.Scan(&owner, &due); err != nil {
			return nil, nil, err
		}
		if due < day {
			overdue[owner]++
		} else {
			dueToday[owner]++
		}
	}
	return overdue, dueToday, rows.Err()
}
