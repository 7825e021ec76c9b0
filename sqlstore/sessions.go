package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"throughline"
)

// Staff sessions, keyed by the SHA-256 of their token: persistence only.
// Package identity makes the tokens and decides when a session ends.

// InsertSession stores a new session under idHash, for se.User in se.State,
// with se.Role and se.Agency as those it began with.
func (s *Store) InsertSession(ctx context.Context, idHash []byte, se throughline.Session) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO sessions (id_hash, user_id, role, agency, state, method, created_at, seen_at, auth_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			idHash, se.User.ID, se.Role, se.Agency, se.State, se.Method, accessTS(se.Created), accessTS(se.Seen), accessTS(se.AuthAt))
		return err
	})
}

// SessionByHash returns the session stored under idHash, with its user as
// they are now. Errors: ENOTFOUND.
func (s *Store) SessionByHash(ctx context.Context, idHash []byte) (throughline.Session, error) {
	var se throughline.Session
	var created, seen, auth string
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT s.role, s.agency, s.state, s.method, s.created_at, s.seen_at, s.auth_at, u.id, u.name, u.role, u.agency, u.disabled
FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`), idHash).
		Scan(&se.Role, &se.Agency, &se.State, &se.Method, &created, &seen, &auth, &se.User.ID, &se.User.Name, &se.User.Role, &se.User.Agency, &se.User.Disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return throughline.Session{}, throughline.Errorf(throughline.ENOTFOUND, "no such session")
	}
	if err != nil {
		return throughline.Session{}, err
	}
	se.Created, se.Seen, se.AuthAt = accessParseTS(created), accessParseTS(seen), accessParseTS(auth)
	return se, nil
}

// UserSessions returns every stored session of a user, newest first, each
// with its Key; expired ones too (identity decides what has expired).
func (s *Store) UserSessions(ctx context.Context, userID string) ([]throughline.Session, error) {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT id_hash, role, agency, state, method, created_at, seen_at, auth_at FROM sessions WHERE user_id = ? ORDER BY created_at DESC, id_hash`), userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []throughline.Session
	for rows.Next() {
		var se throughline.Session
		var created, seen, auth string
		if err := rows.Scan(&se.Key, &se.Role, &se.Agency, &se.State, &se.Method, &created, &seen, &auth); err != nil {
			return nil, err
		}
		se.Created, se.Seen, se.AuthAt = accessParseTS(created), accessParseTS(seen), accessParseTS(auth)
		out = append(out, se)
	}
	return out, rows.Err()
}

// TouchSession records that the session was seen at at.
func (s *Store) TouchSession(ctx context.Context, idHash []byte, at time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE sessions SET seen_at = ? WHERE id_hash = ?`), accessTS(at), idHash)
		return err
	})
}

// RekeySession moves the session under oldHash to newHash and state,
// seen and authenticated at at; restart also starts its absolute limit
// again from at. Errors: ENOTFOUND if there is no session under oldHash.
func (s *Store) RekeySession(ctx context.Context, oldHash, newHash []byte, state string, at time.Time, restart bool) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE sessions SET id_hash = ?, state = ?, seen_at = ?, auth_at = ? WHERE id_hash = ?`), newHash, state, accessTS(at), accessTS(at), oldHash)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return throughline.Errorf(throughline.ENOTFOUND, "no such session")
		}
		if restart {
			_, err = tx.ExecContext(ctx, s.d.rebind(`UPDATE sessions SET created_at = ? WHERE id_hash = ?`), accessTS(at), newHash)
		}
		return err
	})
}

// SessionAuthenticated records that the session's user authenticated again
// at at (which is also when it was last seen).
func (s *Store) SessionAuthenticated(ctx context.Context, idHash []byte, at time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE sessions SET auth_at = ?, seen_at = ? WHERE id_hash = ?`), accessTS(at), accessTS(at), idHash)
		return err
	})
}

// DeleteSession deletes the session under idHash, if there is one.
func (s *Store) DeleteSession(ctx context.Context, idHash []byte) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM sessions WHERE id_hash = ?`), idHash)
		return err
	})
}

// DeleteUserSession deletes the session under idHash if it is userID's.
// Errors: ENOTFOUND if it is not (or no longer) there.
func (s *Store) DeleteUserSession(ctx context.Context, userID string, idHash []byte) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM sessions WHERE id_hash = ? AND user_id = ?`), idHash, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return throughline.Errorf(throughline.ENOTFOUND, "no such session")
		}
		return nil
	})
}

// DeleteUserSessions deletes every session of a user.
func (s *Store) DeleteUserSessions(ctx context.Context, userID string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM sessions WHERE user_id = ?`), userID)
		return err
	})
}

// DeleteSessionsBefore deletes the sessions created at or before created,
// or last seen at or before seen, and returns how many.
func (s *Store) DeleteSessionsBefore(ctx context.Context, created, seen time.Time) (int64, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM sessions WHERE created_at <= ? OR seen_at <= ?`), accessTS(created), accessTS(seen))
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n, err
}
