package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"throughline"
)

// CreateReview records a case-file review drawn by r.CreatedBy, with a new
// id (returned), its reviewers and its sample, and enters it in the chained
// administrators' log, in one transaction. The caller has validated it.
func (s *Store) CreateReview(ctx context.Context, r throughline.CaseReview) (string, error) {
	id, err := randomID("rv_", 10)
	if err != nil {
		return "", err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO case_reviews (id, title, by_what, per_stratum, seed, created_by, created_at, ends_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
			id, r.Title, r.By, r.PerStratum, strconv.FormatUint(r.Seed, 10), r.CreatedBy, accessTS(r.CreatedAt), accessTS(r.Ends)); err != nil {
			return err
		}
		for _, u := range r.Reviewers {
			if _, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO case_review_reviewers (review_id, user_id) VALUES (?, ?)`), id, u); err != nil {
				return err
			}
		}
		for i, q := range r.Questions {
			if _, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO case_review_questions (review_id, seq, text) VALUES (?, ?, ?)`), id, i+1, q); err != nil {
				return err
			}
		}
		var rows [][]any
		for _, c := range r.Cases {
			rows = append(rows, []any{id, c.Case, c.Stratum})
		}
		if len(rows) > 0 {
			if err := s.insertRows(ctx, tx, "case_review_cases", []string{"review_id", "case_ref", "stratum"}, rows); err != nil {
				return err
			}
		}
		return s.logAdmin(ctx, tx, r.CreatedBy, "case_review_drawn", id,
			r.Title+"; until "+accessTS(r.Ends)+"; reviewers "+strings.Join(r.Reviewers, " ")+"; "+strconv.Itoa(len(r.Cases))+" cases")
	})
	return id, err
}

// Reviews returns the case-file reviews userID draws or reviews, the latest
// first, without their samples.
func (s *Store) Reviews(ctx context.Context, userID string) ([]throughline.CaseReview, error) {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT id FROM case_reviews WHERE created_by = ? OR id IN (SELECT review_id FROM case_review_reviewers WHERE user_id = ?) ORDER BY created_at DESC, id`), userID, userID)
	if err != nil {
		return nil, err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]throughline.CaseReview, 0, len(ids))
	for _, id := range ids {
		r, err := s.Review(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// Review returns one case-file review with its reviewers and sample.
// Errors: ENOTFOUND.
func (s *Store) Review(ctx context.Context, id string) (throughline.CaseReview, error) {
	r := throughline.CaseReview{ID: id}
	var seed, created, ends string
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT title, by_what, per_stratum, seed, created_by, created_at, ends_at FROM case_reviews WHERE id = ?`), id).
		Scan(&r.Title, &r.By, &r.PerStratum, &seed, &r.CreatedBy, &created, &ends)
	if errors.Is(err, sql.ErrNoRows) {
		return r, throughline.Errorf(throughline.ENOTFOUND, "no case-file review %s", id)
	}
	if err != nil {
		return r, err
	}
	r.Seed, _ = strconv.ParseUint(seed, 10, 64)
	r.CreatedAt, r.Ends = accessParseTS(created), accessParseTS(ends)
	err = s.each(ctx, `SELECT user_id, '' FROM case_review_reviewers WHERE review_id = ? ORDER BY user_id`, id, func(a, _ string) {
		r.Reviewers = append(r.Reviewers, a)
	})
	if err != nil {
		return r, err
	}
	err = s.each(ctx, `SELECT case_ref, stratum FROM case_review_cases WHERE review_id = ? ORDER BY stratum, case_ref`, id, func(c, st string) {
		r.Cases = append(r.Cases, throughline.ReviewCase{Case: c, Stratum: st})
	})
	if err != nil {
		return r, err
	}
	err = s.each(ctx, `SELECT text, '' FROM case_review_questions WHERE review_id = ? ORDER BY seq`, id, func(q, _ string) {
		r.Questions = append(r.Questions, q)
	})
	return r, err
}

// RecordAnswers records a reviewer's answers about cases of a review, and
// enters them in the chained administrators' log, in one transaction. The
// caller has checked that the reviewer may (the review is open, they are
// on it, the case is drawn, the questions exist).
func (s *Store) RecordAnswers(ctx context.Context, reviewID string, answers []throughline.ReviewAnswer) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		for _, a := range answers {
			id, err := randomID("ra_", 10)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO case_review_answers (id, review_id, case_ref, seq, user_id, answer, finding, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
				id, reviewID, a.Case, a.Question, a.UserID, a.Answer, a.Finding, accessTS(a.At)); err != nil {
				return err
			}
			if err := s.logAdmin(ctx, tx, a.UserID, "case_review_answered", reviewID, a.Case+" question "+strconv.Itoa(a.Question)+": "+a.Answer); err != nil {
				return err
			}
		}
		return nil
	})
}

// ReviewAnswers returns the answers that stand in a review: each
// reviewer's latest to each question about each case, by case, question
// and reviewer.
func (s *Store) ReviewAnswers(ctx context.Context, reviewID string) ([]throughline.ReviewAnswer, error) {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT case_ref, seq, user_id, answer, finding, at FROM case_review_answers WHERE review_id = ? ORDER BY case_ref, seq, user_id, at, id`), reviewID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []throughline.ReviewAnswer
	for rows.Next() {
		var a throughline.ReviewAnswer
		var at string
		if err := rows.Scan(&a.Case, &a.Question, &a.UserID, &a.Answer, &a.Finding, &at); err != nil {
			return nil, err
		}
		a.At = accessParseTS(at)
		if n := len(out); n > 0 && out[n-1].Case == a.Case && out[n-1].Question == a.Question && out[n-1].UserID == a.UserID {
			out[n-1] = a // a later answer stands
			continue
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// each calls fn with the two text columns of every row of query.
func (s *Store) each(ctx context.Context, query, arg string, fn func(a, b string)) error {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(query), arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a, b string
		if err := rows.Scan(&a, &b); err != nil {
			return err
		}
		fn(a, b)
	}
	return rows.Err()
}
