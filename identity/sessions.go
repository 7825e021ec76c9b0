package identity

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"time"

	"throughline"
)

// PendingFor bounds a session that is half-way through signing in.
const PendingFor = 10 * time.Minute

// touchEvery: a session's last-seen time is written at most this often, so
// that reading pages does not write on every request. Idle expiry is
// therefore exact to within this.
const touchEvery = time.Minute

// CreateSession starts a session for u in state (throughline.SessionCode,
// SessionEnrol or SessionActive) signed in by method (password or oidc),
// and returns the secret token for the cookie. Only its hash is stored.
func (s *Service) CreateSession(ctx context.Context, u throughline.User, state, method string) (string, error) {
	token, err := randomToken()
	if err != nil {
		return "", err
	}
	now := s.now()
	se := throughline.Session{User: u, State: state, Method: method, Created: now, Seen: now, AuthAt: now, Role: u.Role, Agency: u.Agency}
	return token, s.store.InsertSession(ctx, tokenHash(token), se)
}

// Session returns the session of a token, with its user as they are now.
// A session past its idle or absolute limit, or whose user has been
// disabled or given another role or agency since, is ended here.
// Errors: throughline.ErrNoSession.
func (s *Service) Session(ctx context.Context, token string) (throughline.Session, error) {
	if token == "" {
		return throughline.Session{}, throughline.ErrNoSession
	}
	id := tokenHash(token)
	se, err := s.store.SessionByHash(ctx, id)
	if isCode(err, throughline.ENOTFOUND) {
		return throughline.Session{}, throughline.ErrNoSession
	}
	if err != nil {
		return throughline.Session{}, err
	}
	now := s.now()
	if expired(se, now) || se.User.Disabled || se.User.Role != se.Role || se.User.Agency != se.Agency {
		if err := s.store.DeleteSession(ctx, id); err != nil {
			return throughline.Session{}, err
		}
		return throughline.Session{}, throughline.ErrNoSession
	}
	if now.Sub(se.Seen) >= touchEvery {
		if err := s.store.TouchSession(ctx, id, now); err != nil {
			return throughline.Session{}, err
		}
		se.Seen = now
	}
	return se, nil
}

// expired reports whether a session is past its idle or absolute limit at
// now (a half-signed-in one has the shorter PendingFor).
func expired(se throughline.Session, now time.Time) bool {
	absolute := throughline.SessionAbsolute
	if se.State != throughline.SessionActive {
		absolute = PendingFor
	}
	return now.Sub(se.Created) >= absolute || now.Sub(se.Seen) >= throughline.SessionIdle
}

// Sessions lists a user's live sessions, newest first, for their account
// page: each with a Handle to end it by, and Current marking the one of
// token. A half-signed-in session is listed too: someone knows the
// password. Expired sessions are not listed (they end at their next use).
func (s *Service) Sessions(ctx context.Context, userID, token string) ([]throughline.Session, error) {
	all, err := s.store.UserSessions(ctx, userID)
	if err != nil {
		return nil, err
	}
	now, current := s.now(), tokenHash(token)
	var out []throughline.Session
	for _, se := range all {
		if expired(se, now) {
			continue
		}
		se.Handle, se.Current = sessionHandle(se.Key), bytes.Equal(se.Key, current)
		se.Key = nil
		out = append(out, se)
	}
	return out, nil
}

// EndSessionByHandle ends one of the user's own sessions, named by its
// Handle. Errors: ENOTFOUND if the user has no live session of that handle.
func (s *Service) EndSessionByHandle(ctx context.Context, userID, handle string) error {
	all, err := s.store.UserSessions(ctx, userID)
	if err != nil {
		return err
	}
	for _, se := range all {
		if subtle.ConstantTimeCompare([]byte(sessionHandle(se.Key)), []byte(handle)) == 1 {
			return s.store.DeleteUserSession(ctx, userID, se.Key)
		}
	}
	return throughline.Errorf(throughline.ENOTFOUND, "no such session")
}

// EndOtherSessions ends every session of the user but the one of token.
func (s *Service) EndOtherSessions(ctx context.Context, userID, token string) error {
	all, err := s.store.UserSessions(ctx, userID)
	if err != nil {
		return err
	}
	current := tokenHash(token)
	for _, se := range all {
		if bytes.Equal(se.Key, current) {
			continue
		}
		if err := s.store.DeleteUserSession(ctx, userID, se.Key); err != nil && !isCode(err, throughline.ENOTFOUND) {
			return err
		}
	}
	return nil
}

// sessionHandle is a session's public name: a hash of its stored hash, so
// that a page can name it without showing what the database holds.
func sessionHandle(key []byte) string {
	sum := sha256.Sum256(append([]byte("throughline session handle\x00"), key...))
	return hex.EncodeToString(sum[:10])
}

// PromoteSession moves a session to a new state under a new token (the old
// one stops working: a token seen before sign-in is worth nothing after)
// and records the authentication time. A session that becomes active
// starts its absolute limit afresh.
// Errors: throughline.ErrNoSession.
func (s *Service) PromoteSession(ctx context.Context, token, state string) (string, error) {
	se, err := s.Session(ctx, token)
	if err != nil {
		return "", err
	}
	fresh, err := randomToken()
	if err != nil {
		return "", err
	}
	restart := state == throughline.SessionActive && se.State != throughline.SessionActive
	err = s.store.RekeySession(ctx, tokenHash(token), tokenHash(fresh), state, s.now(), restart)
	if isCode(err, throughline.ENOTFOUND) {
		return "", throughline.ErrNoSession
	}
	return fresh, err
}

// Reauthenticated records that the session's user proved who they are again.
func (s *Service) Reauthenticated(ctx context.Context, token string) error {
	return s.store.SessionAuthenticated(ctx, tokenHash(token), s.now())
}

// EndSession signs a session out.
func (s *Service) EndSession(ctx context.Context, token string) error {
	return s.store.DeleteSession(ctx, tokenHash(token))
}

// EndUserSessions signs a user out everywhere.
func (s *Service) EndUserSessions(ctx context.Context, userID string) error {
	return s.store.DeleteUserSessions(ctx, userID)
}

// PruneSessions deletes sessions past their absolute limit or idle too
// long, and returns how many.
func (s *Service) PruneSessions(ctx context.Context) (int64, error) {
	now := s.now()
	return s.store.DeleteSessionsBefore(ctx, now.Add(-throughline.SessionAbsolute), now.Add(-throughline.SessionIdle))
}
