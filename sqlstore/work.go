package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"throughline"
)

// The work lists' questions across cases, answered from the projections:
// hearings in a window and each person's workload. Closed cases are never
// in a work list.

// HearingsBetween lists the listed hearings of open cases that start on a
// day from f.From to f.To (London days), earliest first.
func (s *Store) HearingsBetween(ctx context.Context, f throughline.HearingFilter) ([]throughline.CaseHearing, error) {
	var w where
	w.add("h.status = 'listed'")
	w.add("c.closed_on IS NULL")
	w.add("h.starts_on >= ?", throughline.At(f.From).Date().Format(dateOnly))
	w.add("h.starts_on <= ?", throughline.At(f.To).Date().Format(dateOnly))
	w.in("c.force", f.Forces)
	w.in("c.cps_area", f.CPSAreas)
	if f.Refs != nil {
		if len(f.Refs) == 0 {
			return nil, nil
		}
		w.in("h.case_ref", f.Refs)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 500
	}
	q := `SELECT h.case_ref, c.force, c.cps_area, h.hearing_id, h.kind, h.court, h.starts_at, h.listing
		FROM hearings h JOIN cases c ON c.ref = h.case_ref` + w.clause("WHERE") +
		fmt.Sprintf(" ORDER BY h.starts_at, h.case_ref, h.hearing_id LIMIT %d", limit)
	rows, err := s.db.QueryContext(ctx, s.d.rebind(q), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []throughline.CaseHearing
	for rows.Next() {
		var h throughline.CaseHearing
		var starts string
		if err := rows.Scan(&h.Case, &h.Force, &h.CPSArea, &h.ID, &h.Kind, &h.Court, &starts, &h.Listing); err != nil {
			return nil, err
		}
		if h.StartsAt, err = throughline.ParseWhen(starts); err != nil {
			return nil, fmt.Errorf("hearing %s of %s: %w", h.ID, h.Case, err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// Workload counts, for each active user of agency, the open cases whose
// team they are on, in person or through a team, and of those the ones
// with an open deadline due before asOf's day; busiest first.
//
// It starts from the agency's users and reaches their open cases through
// the live memberships' index (members.go), never a closed case's row.
// CROSS JOIN keeps SQLite to that order, which without statistics it would
// otherwise take from every membership of one kind in the country.
// Whether a case has a duty overdue is read from the open cases' open
// deadlines by case and due date (migration 0134), never the (open, due)
// index of every open overdue deadline in the country once per case.
func (s *Store) Workload(ctx context.Context, agency string, asOf time.Time) ([]throughline.Workload, error) {
	today := throughline.At(asOf).Date().Format(dateOnly)
	q := `WITH a AS (
			SELECT id, name, role FROM users WHERE agency = ? AND disabled = ?
		), m AS (
			SELECT a.id, a.name, a.role, cm.case_ref FROM a CROSS JOIN case_members cm
			WHERE cm.member_kind = 'user' AND cm.member_id = a.id AND cm.live = 1
			UNION
			SELECT a.id, a.name, a.role, cm.case_ref FROM a CROSS JOIN team_members tm CROSS JOIN case_members cm
			WHERE tm.user_id = a.id AND cm.member_kind = 'team' AND cm.member_id = tm.team_id AND cm.live = 1
		)
		SELECT m.id, m.name, m.role, count(*),
			sum(CASE WHEN EXISTS (SELECT 1 FROM deadlines d WHERE d.case_ref = m.case_ref AND d.open = 1 AND d.live = 1 AND d.due < ?) THEN 1 ELSE 0 END)
		FROM m
		GROUP BY m.id, m.name, m.role
		ORDER BY count(*) DESC, m.name, m.id`
	rows, err := s.db.QueryContext(ctx, s.d.rebind(q), agency, false, today)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []throughline.Workload
	for rows.Next() {
		var wl throughline.Workload
		if err := rows.Scan(&wl.UserID, &wl.Name, &wl.Role, &wl.Cases, &wl.Overdue); err != nil {
			return nil, err
		}
		out = append(out, wl)
	}
	return out, rows.Err()
}

// CaseLines returns, for each of refs, its parties, its open deadline due
// soonest and its officer in the case and reviewing prosecutor as its log
// designates them (case_team, ADR 0326: the names its case page and the
// victim's portal give, not everyone with access), in three queries.
func (s *Store) CaseLines(ctx context.Context, refs []string) (map[string]throughline.CaseLine, error) {
	out := make(map[string]throughline.CaseLine, len(refs))
	if len(refs) == 0 {
		return out, nil
	}
	in, args := placeholders(len(refs)), anys(refs)
	each := func(q string, args []any, scan func(rows *sql.Rows) error) error {
		rows, err := s.db.QueryContext(ctx, s.d.rebind(q), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	err := each(`SELECT case_ref, party_id, role, name FROM parties WHERE case_ref IN (`+in+`) ORDER BY case_ref, role, party_id`, args, func(rows *sql.Rows) error {
		var ref string
		var p throughline.Party
		if err := rows.Scan(&ref, &p.ID, &p.Role, &p.Name); err != nil {
			return err
		}
		l := out[ref]
		l.Parties = append(l.Parties, p)
		out[ref] = l
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = each(`SELECT case_ref, detail FROM deadlines WHERE open = 1 AND due IS NOT NULL AND case_ref IN (`+in+`) ORDER BY case_ref, due, key`, args, func(rows *sql.Rows) error {
		var ref string
		var detail []byte
		if err := rows.Scan(&ref, &detail); err != nil {
			return err
		}
		l := out[ref]
		if l.Next != nil {
			return nil
		}
		var d throughline.Deadline
		if err := json.Unmarshal(detail, &d); err != nil {
			return fmt.Errorf("deadline of %s: %w", ref, err)
		}
		l.Next = &d
		out[ref] = l
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = each(`SELECT case_ref, role, name FROM case_team WHERE role IN (?, ?) AND case_ref IN (`+in+`) ORDER BY case_ref, role`,
		append([]any{throughline.OfficerInCase, throughline.ReviewingProsecutor}, args...), func(rows *sql.Rows) error {
			var ref, role, name string
			if err := rows.Scan(&ref, &role, &name); err != nil {
				return err
			}
			l := out[ref]
			if role == throughline.OfficerInCase {
				l.Officers = append(l.Officers, name)
			} else {
				l.Prosecutors = append(l.Prosecutors, name)
			}
			out[ref] = l
			return nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}
