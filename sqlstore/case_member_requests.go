package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"throughline"
)

// RequestCaseMember asks for a user or team to be added to a case's team,
// to take effect when a second person approves (DecideCaseMember). The
// request is logged. Errors: EINVALID for a bad kind, ENOTFOUND for an
// unknown case, user or team.
func (s *Store) RequestCaseMember(ctx context.Context, actorID, ref, kind, id string) (string, error) {
	if kind != "user" && kind != "team" {
		return "", throughline.Errorf(throughline.EINVALID, "a case team member is a user or a team")
	}
	rid, err := randomID("cmr_", 8)
	if err != nil {
		return "", err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		if err := s.mustExist(ctx, tx, "cases", "ref", ref, "case"); err != nil {
			return err
		}
		if err := s.mustExist(ctx, tx, kind+"s", "id", id, kind); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO case_member_requests (id, case_ref, member_kind, member_id, requested_by, requested_at) VALUES (?, ?, ?, ?, ?, ?)`),
			rid, ref, kind, id, actorID, accessTS(s.Now())); err != nil {
			return err
		}
		return s.logAdmin(ctx, tx, actorID, "request_case_member", ref, kind+":"+id+" ("+rid+")")
	})
	return rid, err
}

// CaseMemberRequests lists the undecided requests to join a case's team,
// oldest first.
func (s *Store) CaseMemberRequests(ctx context.Context, ref string) ([]throughline.CaseMemberRequest, error) {
	return s.caseMemberRequests(ctx, ref)
}

// WaitingCaseMemberRequests lists the undecided requests of every case,
// oldest first, for deciding row by row who may approve each.
func (s *Store) WaitingCaseMemberRequests(ctx context.Context) ([]throughline.CaseMemberRequest, error) {
	return s.caseMemberRequests(ctx, "")
}

func (s *Store) caseMemberRequests(ctx context.Context, ref string) ([]throughline.CaseMemberRequest, error) {
	var w where
	w.add("r.decided_at IS NULL")
	w.eq("r.case_ref", ref)
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT r.id, r.case_ref, r.member_kind, r.member_id, COALESCE(u.name, t.name, ''), COALESCE(u.agency, t.agency, ''), r.requested_by, r.requested_at
FROM case_member_requests r LEFT JOIN users u ON r.member_kind = 'user' AND u.id = r.member_id LEFT JOIN teams t ON r.member_kind = 'team' AND t.id = r.member_id`+w.clause("WHERE")+` ORDER BY r.requested_at, r.id LIMIT 1000`), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []throughline.CaseMemberRequest
	for rows.Next() {
		var q throughline.CaseMemberRequest
		var at string
		if err := rows.Scan(&q.ID, &q.CaseRef, &q.Kind, &q.MemberID, &q.Name, &q.Agency, &q.RequestedBy, &at); err != nil {
			return nil, err
		}
		q.RequestedAt = accessParseTS(at)
		out = append(out, q)
	}
	return out, rows.Err()
}

// DecideCaseMember approves (approve true) or refuses a request to join
// case ref's team; an approval adds the member in the same transaction.
// The decision is logged. The policy says who may decide
// (throughline.ActionApproveCaseTeam); the store keeps the two persons
// apart: whoever asked, and the person to be added, cannot approve.
// Errors: ENOTFOUND for no undecided request of that id on the case,
// EFORBIDDEN when the approver is the requester or the member.
func (s *Store) DecideCaseMember(ctx context.Context, approverID, ref, requestID string, approve bool) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var kind, id, by string
		err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT member_kind, member_id, requested_by FROM case_member_requests WHERE id = ? AND case_ref = ? AND decided_at IS NULL`), requestID, ref).Scan(&kind, &id, &by)
		if errors.Is(err, sql.ErrNoRows) {
			return throughline.Errorf(throughline.ENOTFOUND, "no request %s waiting on case %s", requestID, ref)
		}
		if err != nil {
			return err
		}
		if approverID == by || (kind == "user" && approverID == id) {
			return throughline.Errorf(throughline.EFORBIDDEN, "A second person must decide: not whoever asked, nor the person to be added.")
		}
		outcome, action := "refused", "refuse_case_member"
		if approve {
			outcome, action = "approved", "approve_case_member"
		}
		if _, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE case_member_requests SET decided_by = ?, decided_at = ?, outcome = ? WHERE id = ?`), approverID, accessTS(s.Now()), outcome, requestID); err != nil {
			return err
		}
		if approve {
			if err := s.setCaseMember(ctx, tx, approverID, ref, kind, id, true); err != nil {
				return err
			}
		}
		return s.logAdmin(ctx, tx, approverID, action, ref, kind+":"+id+" ("+requestID+", asked by "+by+")")
	})
}

// MemberAgency is the agency of a user or team, for deciding whether
// adding them to a case team needs a second person. Errors: ENOTFOUND.
func (s *Store) MemberAgency(ctx context.Context, kind, id string) (string, error) {
	table := "users"
	if kind == "team" {
		table = "teams"
	} else if kind != "user" {
		return "", throughline.Errorf(throughline.EINVALID, "a case team member is a user or a team")
	}
	var agency string
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT agency FROM `+table+` WHERE id = ?`), id).Scan(&agency)
	if errors.Is(err, sql.ErrNoRows) {
		return "", throughline.Errorf(throughline.ENOTFOUND, "no %s %s", kind, id)
	}
	return agency, err
}
