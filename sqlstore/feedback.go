package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"

	"throughline"
)

// Victims' feedback from the portal after a key stage: how well they were
// kept informed (1 to 5) and an optional comment. The comment is personal
// data: it is sealed under the case key, never logged, and erased with the
// case. One answer per victim and stage; the table is append-only.

func feedbackAAD(ref, complainant, stage string) []byte {
	return []byte("feedback|" + ref + "|" + complainant + "|" + stage)
}

type sealedComment struct {
	Comment string `json:"comment"`
}

// GiveFeedback records a victim's answer. Errors: EINVALID (a rating not
// 1 to 5, an unknown stage, a comment too long), ECONFLICT (already
// answered for this stage).
func (s *Store) GiveFeedback(ctx context.Context, f throughline.Feedback) error {
	f.Comment = strings.TrimSpace(f.Comment)
	var fe []throughline.FieldError
	if f.Rating < 1 || f.Rating > 5 {
		fe = append(fe, throughline.FieldError{Field: "rating", Message: "Choose how well you were kept informed"})
	}
	if f.Stage != throughline.FeedbackCharge && f.Stage != throughline.FeedbackVerdict && f.Stage != throughline.FeedbackSentence {
		fe = append(fe, throughline.FieldError{Field: "stage", Message: "Not a stage the survey asks about"})
	}
	if utf8.RuneCountInString(f.Comment) > throughline.MaxFeedbackComment {
		fe = append(fe, throughline.FieldError{Field: "comment", Message: "The comment is too long"})
	}
	if len(fe) > 0 {
		return &throughline.Error{Code: throughline.EINVALID, Message: "not valid feedback", Fields: fe}
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		var sealed []byte
		if f.Comment != "" {
			key, err := s.caseKey(ctx, tx, f.CaseRef)
			if err != nil {
				return err
			}
			if key == nil {
				return throughline.Errorf(throughline.EINVALID, "case %s has been erased", f.CaseRef)
			}
			if sealed, err = sealWith(key, feedbackAAD(f.CaseRef, f.ComplainantID, f.Stage), sealedComment{f.Comment}); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO portal_feedback (case_ref, complainant_id, stage, rating, comment_sealed, given_at) VALUES (?, ?, ?, ?, ?, ?)`),
			f.CaseRef, f.ComplainantID, f.Stage, f.Rating, sealed, ts(s.Now()))
		if isUniqueViolation(err) {
			return throughline.Errorf(throughline.ECONFLICT, "feedback for %s already given", f.Stage)
		}
		return err
	})
}

// FeedbackGiven reports whether the victim has answered the survey of stage.
func (s *Store) FeedbackGiven(ctx context.Context, ref, complainant, stage string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT count(*) FROM portal_feedback WHERE case_ref = ? AND complainant_id = ? AND stage = ?`), ref, complainant, stage).Scan(&n)
	return n > 0, err
}

// CaseFeedback returns a case's feedback, oldest first, comments opened.
func (s *Store) CaseFeedback(ctx context.Context, ref string) ([]throughline.Feedback, error) {
	return s.feedback(ctx, `SELECT id, case_ref, complainant_id, stage, rating, comment_sealed, given_at FROM portal_feedback WHERE case_ref = ? ORDER BY id`, ref)
}

// FeedbackCounts rolls every answer up by force, CPS area, stage, month
// (of given_at, in UTC) and rating: no case and no comment leave the query.
func (s *Store) FeedbackCounts(ctx context.Context) ([]throughline.FeedbackCount, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.force, c.cps_area, f.stage, substr(f.given_at, 1, 7), f.rating, count(*)
		FROM portal_feedback f JOIN cases c ON c.ref = f.case_ref
		GROUP BY c.force, c.cps_area, f.stage, substr(f.given_at, 1, 7), f.rating
		ORDER BY 1, 2, 3, 4, 5`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []throughline.FeedbackCount
	for rows.Next() {
		var n throughline.FeedbackCount
		if err := rows.Scan(&n.Force, &n.CPSArea, &n.Stage, &n.Month, &n.Rating, &n.Answers); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// FeedbackComments returns the answers with a comment on the cases of f's
// forces and areas given in the months from to to, newest first, at most
// f.Limit (200 by default), each comment opened under its case's key.
func (s *Store) FeedbackComments(ctx context.Context, f throughline.ScopeFilter, from, to string) ([]throughline.Feedback, error) {
	scope, args := scopeWhere(f, "c")
	return s.feedback(ctx, `SELECT f.id, f.case_ref, f.complainant_id, f.stage, f.rating, f.comment_sealed, f.given_at
		FROM portal_feedback f JOIN cases c ON c.ref = f.case_ref
		WHERE f.comment_sealed IS NOT NULL AND substr(f.given_at, 1, 7) BETWEEN ? AND ?`+scope+`
		ORDER BY f.given_at DESC, f.id DESC`+scopeLimit(f), append([]any{from, to}, args...)...)
}

// feedback reads answers by query, opening each comment under its case's
// key (an erased case's comment reads empty).
func (s *Store) feedback(ctx context.Context, query string, args ...any) ([]throughline.Feedback, error) {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type row struct {
		f      throughline.Feedback
		sealed []byte
	}
	var rs []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.f.ID, &r.f.CaseRef, &r.f.ComplainantID, &r.f.Stage, &r.f.Rating, &r.sealed, &r.f.GivenAt); err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []throughline.Feedback
	keys := map[string][]byte{}
	for _, r := range rs {
		if r.sealed != nil {
			key, ok := keys[r.f.CaseRef]
			if !ok {
				if key, err = s.caseKey(ctx, s.db, r.f.CaseRef); err != nil {
					return nil, err
				}
				keys[r.f.CaseRef] = key
			}
			if key != nil {
				var c sealedComment
				if err := openWith(key, feedbackAAD(r.f.CaseRef, r.f.ComplainantID, r.f.Stage), r.sealed, &c); err != nil {
					return nil, errors.New("feedback comment does not open under the case key")
				}
				r.f.Comment = c.Comment
			}
		}
		out = append(out, r.f)
	}
	return out, nil
}
