package identity

import (
	"context"
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
	absolute := throughline.SessionAbsolute
	if se.State != throughline.SessionActive {
		absolute = PendingFor
	}
	if now.Sub(se.Created) >= absolute || now.Sub(se.Seen) >= throughline.SessionIdle ||
		se.User.Disabled || se.User.Role != se.Role || se.User.Agency != se.Agency {
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
