package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"time"

	"throughline"
)

// Session states: a password checked but the code not yet given, an
// authenticator to set up before going on, or fully signed in.
const (
	SessionCode   = "code"
	SessionEnrol  = "enrol"
	SessionActive = "active"
)

// pendingFor bounds a session that is half-way through signing in.
const pendingFor = 10 * time.Minute

// touchEvery: a session's last-seen time is written at most this often, so
// that reading pages does not write on every request. Idle expiry is
// therefore exact to within this.
const touchEvery = time.Minute

// Session is a signed-in (or signing-in) browser.
type Session struct {
	User    throughline.User
	State   string
	Method  string // password or oidc
	Created time.Time
	Seen    time.Time
	AuthAt  time.Time // last (re-)authentication
}

// ErrNoSession is the answer for a missing, ended or expired session.
var ErrNoSession = throughline.Errorf(throughline.EUNAUTHORIZED, "You have been signed out. Sign in again")

func sessionHash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// CreateSession starts a session for u in state, and returns the secret
// token for the cookie. Only its hash is stored.
func (s *Store) CreateSession(ctx context.Context, u throughline.User, state, method string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	now := accessTS(s.Now())
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO sessions (id_hash, user_id, role, agency, state, method, created_at, seen_at, auth_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			sessionHash(token), u.ID, u.Role, u.Agency, state, method, now, now, now)
		return err
	})
	return token, err
}

// Session returns the session of a token, with its user as they are now.
// A session past its idle or absolute limit, or whose user has been
// disabled or given another role or agency since, is ended here.
// Errors: ErrNoSession.
func (s *Store) Session(ctx context.Context, token string) (Session, error) {
	if token == "" {
		return Session{}, ErrNoSession
	}
	id := sessionHash(token)
	var se Session
	var role, agency, created, seen, auth string
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT s.role, s.agency, s.state, s.method, s.created_at, s.seen_at, s.auth_at, u.id, u.name, u.role, u.agency, u.disabled
FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`), id).
		Scan(&role, &agency, &se.State, &se.Method, &created, &seen, &auth, &se.User.ID, &se.User.Name, &se.User.Role, &se.User.Agency, &se.User.Disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, err
	}
	se.Created, se.Seen, se.AuthAt = accessParseTS(created), accessParseTS(seen), accessParseTS(auth)
	now := s.Now()
	absolute := throughline.SessionAbsolute
	if se.State != SessionActive {
		absolute = pendingFor
	}
	if now.Sub(se.Created) >= absolute || now.Sub(se.Seen) >= throughline.SessionIdle ||
		se.User.Disabled || se.User.Role != role || se.User.Agency != agency {
		if err := s.endSession(ctx, id); err != nil {
			return Session{}, err
		}
		return Session{}, ErrNoSession
	}
	if now.Sub(se.Seen) >= touchEvery {
		err := s.write(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE sessions SET seen_at = ? WHERE id_hash = ?`), accessTS(now), id)
			return err
		})
		if err != nil {
			return Session{}, err
		}
		se.Seen = now
	}
	return se, nil
}

// PromoteSession moves a session to a new state under a new token (the old
// one stops working: a token seen before sign-in is worth nothing after)
// and records the authentication time.
func (s *Store) PromoteSession(ctx context.Context, token, state string) (string, error) {
	se, err := s.Session(ctx, token)
	if err != nil {
		return "", err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	fresh := base64.RawURLEncoding.EncodeToString(b)
	now := accessTS(s.Now())
	err = s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE sessions SET id_hash = ?, state = ?, seen_at = ?, auth_at = ? WHERE id_hash = ?`), sessionHash(fresh), state, now, now, sessionHash(token))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrNoSession
		}
		if state == SessionActive && se.State != SessionActive {
			// A fresh sign-in starts the absolute limit afresh.
			_, err = tx.ExecContext(ctx, s.d.rebind(`UPDATE sessions SET created_at = ? WHERE id_hash = ?`), now, sessionHash(fresh))
		}
		return err
	})
	return fresh, err
}

// Reauthenticated records that the session's user proved who they are again.
func (s *Store) Reauthenticated(ctx context.Context, token string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE sessions SET auth_at = ?, seen_at = ? WHERE id_hash = ?`), accessTS(s.Now()), accessTS(s.Now()), sessionHash(token))
		return err
	})
}

// EndSession signs a session out.
func (s *Store) EndSession(ctx context.Context, token string) error {
	return s.endSession(ctx, sessionHash(token))
}

func (s *Store) endSession(ctx context.Context, id []byte) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM sessions WHERE id_hash = ?`), id)
		return err
	})
}

// EndUserSessions signs a user out everywhere.
func (s *Store) EndUserSessions(ctx context.Context, userID string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM sessions WHERE user_id = ?`), userID)
		return err
	})
}

// PruneSessions deletes sessions past their absolute limit or idle too long.
func (s *Store) PruneSessions(ctx context.Context) (int64, error) {
	now := s.Now()
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM sessions WHERE created_at <= ? OR seen_at <= ?`),
			accessTS(now.Add(-throughline.SessionAbsolute)), accessTS(now.Add(-throughline.SessionIdle)))
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n, err
}
