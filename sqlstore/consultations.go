package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"throughline"
)

// LogConsultations writes entries to the consultation log, each chained to
// its case's (logchain.go), and returns once they are durable: the caller
// shows the data only after this returns nil.
// The log's time is the store's clock.
func (s *Store) LogConsultations(ctx context.Context, cs ...throughline.Consultation) error {
	if len(cs) == 0 {
		return nil
	}
	for _, c := range cs {
		if c.UserID == "" || c.CaseRef == "" || c.Purpose == "" || len(c.Parts) == 0 {
			return errors.New("consultation log: user, case, parts and purpose are required")
		}
	}
	at := accessTS(s.Now())
	return s.write(ctx, func(tx *sql.Tx) error {
		entries := make([]chainEntry, 0, len(cs))
		for _, c := range cs {
			var glass any
			if c.BreakGlass != "" {
				glass = c.BreakGlass
			}
			entries = append(entries, chainEntry{chain: c.CaseRef, values: []any{at, c.UserID, c.UserName, c.Role, c.Agency, c.CaseRef, strings.Join(c.Parts, ","), c.Purpose, c.Basis, c.Channel, c.Target, glass}})
		}
		return s.appendChained(ctx, tx, consultationLog, entries)
	})
}

var consultationColumns = []string{"at", "user_id", "user_name", "role", "agency", "case_ref", "parts", "purpose", "basis", "channel", "target", "break_glass"}

// Consultations reads the consultation log, newest first.
func (s *Store) Consultations(ctx context.Context, f throughline.ConsultationFilter) ([]throughline.Consultation, error) {
	var w where
	w.eq("case_ref", f.CaseRef)
	w.eq("user_id", f.UserID)
	if f.Before > 0 {
		w.add("id < ?", f.Before)
	}
	q := `SELECT id, at, user_id, user_name, role, agency, case_ref, parts, purpose, basis, channel, target, break_glass FROM consultations` + w.clause("WHERE")
	args := w.args
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	q += " ORDER BY id DESC LIMIT ?"
	args = append(args, limit)
	rows, err := s.db.QueryContext(ctx, s.d.rebind(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []throughline.Consultation
	for rows.Next() {
		var c throughline.Consultation
		var at, parts string
		var glass sql.NullString
		if err := rows.Scan(&c.ID, &at, &c.UserID, &c.UserName, &c.Role, &c.Agency, &c.CaseRef, &parts, &c.Purpose, &c.Basis, &c.Channel, &c.Target, &glass); err != nil {
			return nil, err
		}
		c.At, c.Parts, c.BreakGlass = accessParseTS(at), strings.Split(parts, ","), glass.String
		out = append(out, c)
	}
	return out, rows.Err()
}

// BreakGlass grants u emergency access to a case for
// throughline.BreakGlassFor, with the justification typed. The caller has
// asked the policy (ActionBreakGlass) and re-authenticated the user.
// Errors: EINVALID for a missing or short justification.
func (s *Store) BreakGlass(ctx context.Context, u throughline.User, c throughline.CaseScope, reason string) (throughline.BreakGlassGrant, error) {
	if err := throughline.ValidateJustification(reason); err != nil {
		return throughline.BreakGlassGrant{}, err
	}
	id, err := randomID("bg_", 8)
	if err != nil {
		return throughline.BreakGlassGrant{}, err
	}
	now := s.Now().UTC()
	g := throughline.BreakGlassGrant{ID: id, CaseRef: c.Ref, Force: c.Force, CPSArea: c.CPSArea, UserID: u.ID, UserName: u.Name, Role: u.Role, Agency: u.Agency,
		Reason: strings.TrimSpace(reason), GrantedAt: now, ExpiresAt: now.Add(throughline.BreakGlassFor)}
	err = s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO break_glass (id, case_ref, force, cps_area, user_id, user_name, role, agency, reason, granted_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			g.ID, g.CaseRef, g.Force, g.CPSArea, g.UserID, g.UserName, g.Role, g.Agency, g.Reason, accessTS(g.GrantedAt), accessTS(g.ExpiresAt))
		return err
	})
	return g, err
}

// BreakGlassGrants lists break-glass accesses with their reviews.
func (s *Store) BreakGlassGrants(ctx context.Context, f throughline.BreakGlassFilter) ([]throughline.BreakGlassGrant, error) {
	var w where
	w.eq("g.force", f.Force)
	w.eq("g.case_ref", f.CaseRef)
	if f.Unreviewed {
		w.add("NOT EXISTS (SELECT 1 FROM break_glass_reviews r WHERE r.grant_id = g.id)")
	}
	q := `SELECT g.id, g.case_ref, g.force, g.cps_area, g.user_id, g.user_name, g.role, g.agency, g.reason, g.granted_at, g.expires_at FROM break_glass g` + w.clause("WHERE")
	args := w.args
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	q += " ORDER BY g.granted_at DESC, g.id LIMIT ?"
	args = append(args, limit)
	rows, err := s.db.QueryContext(ctx, s.d.rebind(q), args...)
	if err != nil {
		return nil, err
	}
	var out []throughline.BreakGlassGrant
	idx := map[string]int{}
	for rows.Next() {
		var g throughline.BreakGlassGrant
		var granted, expires string
		if err := rows.Scan(&g.ID, &g.CaseRef, &g.Force, &g.CPSArea, &g.UserID, &g.UserName, &g.Role, &g.Agency, &g.Reason, &granted, &expires); err != nil {
			rows.Close()
			return nil, err
		}
		g.GrantedAt, g.ExpiresAt = accessParseTS(granted), accessParseTS(expires)
		idx[g.ID] = len(out)
		out = append(out, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]any, 0, len(out))
	for _, g := range out {
		ids = append(ids, g.ID)
	}
	rows, err = s.db.QueryContext(ctx, s.d.rebind(`SELECT grant_id, reviewer_id, reviewer, outcome, note, reviewed_at FROM break_glass_reviews WHERE grant_id IN (`+placeholders(len(ids))+`) ORDER BY id`), ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, at string
		var r throughline.BreakGlassReview
		if err := rows.Scan(&id, &r.ReviewerID, &r.Reviewer, &r.Outcome, &r.Note, &at); err != nil {
			return nil, err
		}
		r.At = accessParseTS(at)
		out[idx[id]].Reviews = append(out[idx[id]].Reviews, r)
	}
	return out, rows.Err()
}

// BreakGlassGrant returns one break-glass access. Errors: ENOTFOUND.
func (s *Store) BreakGlassGrant(ctx context.Context, id string) (throughline.BreakGlassGrant, error) {
	var g throughline.BreakGlassGrant
	var granted, expires string
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT id, case_ref, force, cps_area, user_id, user_name, role, agency, reason, granted_at, expires_at FROM break_glass WHERE id = ?`), id).
		Scan(&g.ID, &g.CaseRef, &g.Force, &g.CPSArea, &g.UserID, &g.UserName, &g.Role, &g.Agency, &g.Reason, &granted, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return g, throughline.Errorf(throughline.ENOTFOUND, "no break-glass access %s", id)
	}
	g.GrantedAt, g.ExpiresAt = accessParseTS(granted), accessParseTS(expires)
	return g, err
}

// ReviewBreakGlass records a supervisor's review of a break-glass access.
// Errors: EINVALID for an unknown outcome, ENOTFOUND.
func (s *Store) ReviewBreakGlass(ctx context.Context, grantID string, reviewer throughline.User, outcome, note string) error {
	if outcome != "justified" && outcome != "not_justified" {
		return &throughline.Error{Code: throughline.EINVALID, Message: "not a valid review", Fields: []throughline.FieldError{{Field: "outcome", Message: "Select whether the access was justified"}}}
	}
	if outcome == "not_justified" && strings.TrimSpace(note) == "" {
		return &throughline.Error{Code: throughline.EINVALID, Message: "not a valid review", Fields: []throughline.FieldError{{Field: "note", Message: "Say what happens next when an access was not justified"}}}
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := s.mustExist(ctx, tx, "break_glass", "id", grantID, "break-glass access"); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO break_glass_reviews (grant_id, reviewer_id, reviewer, outcome, note, reviewed_at) VALUES (?, ?, ?, ?, ?, ?)`),
			grantID, reviewer.ID, reviewer.Name, outcome, strings.TrimSpace(note), accessTS(s.Now()))
		return err
	})
}

// RecordConsent appends a consent entry; the latest for the case,
// complainant and organisation stands. Errors: EINVALID, ENOTFOUND.
func (s *Store) RecordConsent(ctx context.Context, c throughline.Consent) error {
	var fe []throughline.FieldError
	if a, err := throughline.ParseAgency(c.ISVAAgency); err != nil || a.Kind != "isva" {
		fe = append(fe, throughline.FieldError{Field: "isva_agency", Message: "Choose the ISVA organisation"})
	}
	if c.ComplainantID == "" {
		fe = append(fe, throughline.FieldError{Field: "complainant_id", Message: "Select the complainant"})
	}
	if len(fe) > 0 {
		return &throughline.Error{Code: throughline.EINVALID, Message: "not a valid consent", Fields: fe}
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := s.mustExist(ctx, tx, "cases", "ref", c.CaseRef, "case"); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT count(*) FROM parties WHERE case_ref = ? AND party_id = ? AND role = 'complainant'`), c.CaseRef, c.ComplainantID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return &throughline.Error{Code: throughline.EINVALID, Message: "not a valid consent", Fields: []throughline.FieldError{{Field: "complainant_id", Message: "Select a complainant of this case"}}}
		}
		_, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO isva_consents (case_ref, complainant_id, isva_agency, given, note, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
			c.CaseRef, c.ComplainantID, c.ISVAAgency, c.Given, strings.TrimSpace(c.Note), c.RecordedBy, accessTS(s.Now()))
		return err
	})
}

// Consents returns a case's consent entries, oldest first: the audit trail.
func (s *Store) Consents(ctx context.Context, ref string) ([]throughline.Consent, error) {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT id, case_ref, complainant_id, isva_agency, given, note, recorded_by, recorded_at FROM isva_consents WHERE case_ref = ? ORDER BY id`), ref)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []throughline.Consent
	for rows.Next() {
		var c throughline.Consent
		var at string
		if err := rows.Scan(&c.ID, &c.CaseRef, &c.ComplainantID, &c.ISVAAgency, &c.Given, &c.Note, &c.RecordedBy, &at); err != nil {
			return nil, err
		}
		c.RecordedAt = accessParseTS(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Secret returns the installation secret called name, making a random one
// of n bytes on first use (every serve process gets the same).
func (s *Store) Secret(ctx context.Context, name string, n int) ([]byte, error) {
	var v []byte
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT value FROM secrets WHERE name = ?`), name).Scan(&v)
	if err == nil {
		return v, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	fresh, err := randomID("", n)
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`), name, []byte(fresh))
		return err
	})
	if err != nil {
		return nil, err
	}
	err = s.db.QueryRowContext(ctx, s.d.rebind(`SELECT value FROM secrets WHERE name = ?`), name).Scan(&v)
	return v, err
}

// StoredSecret returns the installation secret called name without making
// one. Errors: ENOTFOUND.
func (s *Store) StoredSecret(ctx context.Context, name string) ([]byte, error) {
	var v []byte
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT value FROM secrets WHERE name = ?`), name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, throughline.Errorf(throughline.ENOTFOUND, "no secret %s", name)
	}
	return v, err
}

// DeleteSecret deletes the installation secret called name, if it is there:
// a key moved out of the database (ADR 0113).
func (s *Store) DeleteSecret(ctx context.Context, name string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM secrets WHERE name = ?`), name)
		return err
	})
}

// AdminLog records an administrator's action outside another transaction.
func (s *Store) AdminLog(ctx context.Context, actorID, action, subject, detail string) error {
	return s.write(ctx, func(tx *sql.Tx) error { return s.logAdmin(ctx, tx, actorID, action, subject, detail) })
}
