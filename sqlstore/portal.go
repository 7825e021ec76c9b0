package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"throughline"
)

// The victim portal's sign-in codes, sessions and attempt counts:
// persistence only. Package identity makes the codes and tokens, and sets
// the limits and expiry.

// portalLimited checks in tx that no limit's key has reached its maximum of
// attempts after since. Errors: throughline.ErrPortalLimited.
func (s *Store) portalLimited(ctx context.Context, tx *sql.Tx, limits []throughline.AttemptLimit, since time.Time) error {
	for _, l := range limits {
		var n int
		if err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT count(*) FROM portal_attempts WHERE key = ? AND at > ?`), l.Key, ts(since)).Scan(&n); err != nil {
			return err
		}
		if n >= l.Max {
			return throughline.ErrPortalLimited
		}
	}
	return nil
}

// portalNote records an attempt at at under each limit's key.
func (s *Store) portalNote(ctx context.Context, tx *sql.Tx, limits []throughline.AttemptLimit, at time.Time) error {
	for _, l := range limits {
		if _, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO portal_attempts (key, at) VALUES (?, ?)`), l.Key, ts(at)); err != nil {
			return err
		}
	}
	return nil
}

// IssuePortalCodes, in one transaction: refuses if any limit is reached by
// the attempts after since; records an attempt at at under each limit's
// key; ends every code of case ref not yet used (only the newest works);
// and stores the codes that codes makes for the complainants of case ref.
// For an unknown reference codes is called with none, and what it returns
// is stored all the same, so that both do the same work. codes must not
// change what it is given, and may run more than once.
// Errors: throughline.ErrPortalLimited, and codes'.
func (s *Store) IssuePortalCodes(ctx context.Context, ref string, limits []throughline.AttemptLimit, since, at time.Time, codes func([]throughline.Complainant) ([]throughline.PortalCodeHash, error)) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := s.portalLimited(ctx, tx, limits, since); err != nil {
			return err
		}
		if err := s.portalNote(ctx, tx, limits, at); err != nil {
			return err
		}
		c, _, _, err := s.loadForUpdate(ctx, tx, ref)
		if err != nil {
			return err
		}
		var complainants []throughline.Complainant
		if c.Version > 0 {
			complainants = c.Complainants
		}
		hashes, err := codes(complainants)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE portal_codes SET used_at = ? WHERE case_ref = ? AND used_at IS NULL`), ts(at), ref); err != nil {
			return err
		}
		for _, h := range hashes {
			if _, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO portal_codes (case_ref, complainant_id, code_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`),
				ref, h.Complainant, h.Hash, ts(at), ts(h.Expires)); err != nil {
				return err
			}
		}
		return nil
	})
}

// RedeemPortalCode, in one transaction: refuses if any limit is reached by
// the attempts after since; finds the unused code of case ref, unexpired
// at at, that match accepts; and either uses it up and stores a session
// under sessionHash, returning its complainant, or records a failed attempt
// under each limit's key and under burn's, returns "", and once burn.Max
// wrong codes have been tried since the newest live code was made, ends
// the live codes of ref (they are guessed at: the complainant asks for a
// new one; nobody is locked out). match may run more than once.
// Errors: throughline.ErrPortalLimited.
func (s *Store) RedeemPortalCode(ctx context.Context, ref string, limits []throughline.AttemptLimit, burn throughline.AttemptLimit, since, at time.Time, match func(complainant string, hash []byte) bool, sessionHash []byte) (complainant string, err error) {
	err = s.write(ctx, func(tx *sql.Tx) error {
		complainant = ""
		if err := s.portalLimited(ctx, tx, limits, since); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, s.d.rebind(`SELECT id, complainant_id, code_hash FROM portal_codes WHERE case_ref = ? AND used_at IS NULL AND expires_at > ?`), ref, ts(at))
		if err != nil {
			return err
		}
		var id int64
		var who string
		for rows.Next() {
			var rid int64
			var cid string
			var h []byte
			if err := rows.Scan(&rid, &cid, &h); err != nil {
				rows.Close()
				return err
			}
			// Every row is compared, so timing does not say which matched.
			if match(cid, h) {
				id, who = rid, cid
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if id == 0 {
			if err := s.portalNote(ctx, tx, append(limits, burn), at); err != nil {
				return err
			}
			var newest sql.NullString
			if err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT max(created_at) FROM portal_codes WHERE case_ref = ? AND used_at IS NULL AND expires_at > ?`), ref, ts(at)).Scan(&newest); err != nil {
				return err
			}
			if !newest.Valid {
				return nil
			}
			var n int
			if err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT count(*) FROM portal_attempts WHERE key = ? AND at >= ?`), burn.Key, newest.String).Scan(&n); err != nil {
				return err
			}
			if n >= burn.Max {
				_, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE portal_codes SET used_at = ? WHERE case_ref = ? AND used_at IS NULL`), ts(at), ref)
				return err
			}
			return nil
		}
		if _, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE portal_codes SET used_at = ? WHERE id = ?`), ts(at), id); err != nil {
			return err
		}
		if _, err = tx.ExecContext(ctx, s.d.rebind(`INSERT INTO portal_sessions (id_hash, case_ref, complainant_id, created_at, seen_at) VALUES (?, ?, ?, ?, ?)`),
			sessionHash, ref, who, ts(at), ts(at)); err != nil {
			return err
		}
		complainant = who
		return nil
	})
	if err != nil {
		return "", err
	}
	return complainant, nil
}

// PortalSessionByHash returns the portal session stored under idHash.
// Errors: ENOTFOUND.
func (s *Store) PortalSessionByHash(ctx context.Context, idHash []byte) (throughline.PortalSession, error) {
	var p throughline.PortalSession
	var created, seen string
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT case_ref, complainant_id, created_at, seen_at FROM portal_sessions WHERE id_hash = ?`), idHash).Scan(&p.Ref, &p.Complainant, &created, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return p, throughline.Errorf(throughline.ENOTFOUND, "no such portal session")
	}
	if err != nil {
		return p, err
	}
	p.Created, _ = time.Parse(time.RFC3339Nano, created)
	p.Seen, _ = time.Parse(time.RFC3339Nano, seen)
	return p, nil
}

// TouchPortalSession records that the portal session was seen at at.
func (s *Store) TouchPortalSession(ctx context.Context, idHash []byte, at time.Time) error {
	_, err := s.db.ExecContext(ctx, s.d.rebind(`UPDATE portal_sessions SET seen_at = ? WHERE id_hash = ?`), ts(at), idHash)
	return err
}

// DeletePortalSession deletes the portal session under idHash, if any.
func (s *Store) DeletePortalSession(ctx context.Context, idHash []byte) error {
	_, err := s.db.ExecContext(ctx, s.d.rebind(`DELETE FROM portal_sessions WHERE id_hash = ?`), idHash)
	return err
}

// FeedKeyRow returns the calendar-feed key of a complainant of case
// ref, storing fresh (made by the caller) as it if there is none yet.
func (s *Store) FeedKeyRow(ctx context.Context, ref, complainant string, fresh []byte, at time.Time) ([]byte, error) {
	var key []byte
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT feed_key FROM portal_feed_keys WHERE case_ref = ? AND complainant_id = ?`), ref, complainant).Scan(&key)
	if err == nil {
		return key, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO portal_feed_keys (case_ref, complainant_id, feed_key, rotated_at) VALUES (?, ?, ?, ?) ON CONFLICT (case_ref, complainant_id) DO NOTHING`),
			ref, complainant, fresh, ts(at)); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, s.d.rebind(`SELECT feed_key FROM portal_feed_keys WHERE case_ref = ? AND complainant_id = ?`), ref, complainant).Scan(&key)
	})
	return key, err
}

// SaveFeedKeyRow replaces the calendar-feed key of a complainant of
// case ref by key: the feed's old address stops working.
func (s *Store) SaveFeedKeyRow(ctx context.Context, ref, complainant string, key []byte, at time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO portal_feed_keys (case_ref, complainant_id, feed_key, rotated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (case_ref, complainant_id) DO UPDATE SET feed_key = excluded.feed_key, rotated_at = excluded.rotated_at`), ref, complainant, key, ts(at))
		return err
	})
}

// SaveContactCode, in one transaction: refuses if any limit is reached by
// the attempts after since; records an attempt at at under each limit's
// key; and stores hash as the complainant's one pending contact-change
// code, replacing any other. Errors: throughline.ErrPortalLimited.
func (s *Store) SaveContactCode(ctx context.Context, ref, complainant string, limits []throughline.AttemptLimit, since, at time.Time, hash []byte, expires time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := s.portalLimited(ctx, tx, limits, since); err != nil {
			return err
		}
		if err := s.portalNote(ctx, tx, limits, at); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO portal_contact_codes (case_ref, complainant_id, code_hash, expires_at, attempts) VALUES (?, ?, ?, ?, 0)
ON CONFLICT (case_ref, complainant_id) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at, attempts = 0`), ref, complainant, hash, ts(expires))
		return err
	})
}

// RedeemContactCode, in one transaction: if the complainant's pending
// contact-change code is unexpired at at and match accepts its hash, uses
// it up and reports true; else counts a wrong attempt, and at maxAttempts
// ends the code. match may run more than once.
func (s *Store) RedeemContactCode(ctx context.Context, ref, complainant string, at time.Time, maxAttempts int, match func(hash []byte) bool) (bool, error) {
	ok := false
	err := s.write(ctx, func(tx *sql.Tx) error {
		ok = false
		var hash []byte
		var expires string
		var attempts int
		err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT code_hash, expires_at, attempts FROM portal_contact_codes WHERE case_ref = ? AND complainant_id = ?`+s.d.lockRow), ref, complainant).Scan(&hash, &expires, &attempts)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if match(hash) && expires > ts(at) {
			ok = true
			_, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM portal_contact_codes WHERE case_ref = ? AND complainant_id = ?`), ref, complainant)
			return err
		}
		if attempts+1 >= maxAttempts {
			_, err = tx.ExecContext(ctx, s.d.rebind(`DELETE FROM portal_contact_codes WHERE case_ref = ? AND complainant_id = ?`), ref, complainant)
		} else {
			_, err = tx.ExecContext(ctx, s.d.rebind(`UPDATE portal_contact_codes SET attempts = attempts + 1 WHERE case_ref = ? AND complainant_id = ?`), ref, complainant)
		}
		return err
	})
	return ok, err
}
