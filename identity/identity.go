// Package identity is who may sign in, and how: staff passwords (argon2id)
// and authenticator codes (TOTP), the sign-in rate limits and lockouts,
// staff sessions and their expiry, linking an OpenID Connect identity to an
// account, API tokens, the administrators' changes to accounts, and the
// victim portal's one-time sign-in codes and sessions.
//
// The rules live here; the rows live in a Store (package sqlstore), which
// writes each business action, with its audit entry, in one transaction.
// Time comes from the clock the Service is given.
package identity

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"time"

	"throughline"
)

// Store is the persistence identity needs. Each method is one transaction.
// Methods that find one row return an ENOTFOUND *throughline.Error when
// there is none.
type Store interface {
	// Accounts.
	Account(ctx context.Context, id string) (throughline.Account, error)
	Accounts(ctx context.Context) ([]throughline.Account, error)
	AccountCredentials(ctx context.Context, userID string) (throughline.Account, throughline.Credentials, error)
	AccountByLogin(ctx context.Context, login string) (throughline.Account, throughline.Credentials, error)
	AccountByOIDC(ctx context.Context, issuer, subject string) (throughline.Account, error)
	UserNames(ctx context.Context, ids []string) (map[string]string, error)
	UserByTokenHash(ctx context.Context, hash []byte) (u throughline.User, expires time.Time, err error)
	APITokens(ctx context.Context) ([]throughline.APIToken, error)
	AdminActions(ctx context.Context, limit int) ([]throughline.AdminAction, error)

	// InsertUser stores a user, their sign-in and (unless nil) the audit
	// entry together; ECONFLICT if the sign-in name is taken.
	InsertUser(ctx context.Context, u throughline.NewUser, audit *throughline.AdminAction) error
	SaveTokenHash(ctx context.Context, userID string, hash []byte, issued, expires time.Time, audit *throughline.AdminAction) error
	// SaveLogin sets a sign-in name and, unless passwordHash is nil, the
	// password hash; ECONFLICT if the name is taken.
	SaveLogin(ctx context.Context, userID, login string, passwordHash *string, at time.Time) error
	SaveTOTP(ctx context.Context, userID string, secret []byte, step int64, at time.Time) error
	// ClaimTOTPStep records step as the last code used if it is later than
	// the one recorded, and reports whether it was.
	ClaimTOTPStep(ctx context.Context, userID string, step int64) (bool, error)
	// ClearTOTP removes the authenticator, ends the user's sessions and
	// writes audit.
	ClearTOTP(ctx context.Context, userID string, audit throughline.AdminAction) error
	// ChangeUser writes what change makes of the user, ends their sessions
	// if it says so, and writes its audit entry.
	ChangeUser(ctx context.Context, userID string, change func(old throughline.User) (next throughline.User, endSessions bool, audit throughline.AdminAction, err error)) error
	// LinkOIDC links an account not linked yet; ECONFLICT if it is.
	LinkOIDC(ctx context.Context, userID, issuer, subject string, at time.Time) error

	// Sign-in failures, counted per key.
	SignInFailures(ctx context.Context, key string, since time.Time) (int, error)
	RecordSignInFailure(ctx context.Context, keys []string, at, expired time.Time) error
	ClearSignInFailures(ctx context.Context, key string) error
	// UnlockSignIn forgets the failures under keys and writes audit.
	UnlockSignIn(ctx context.Context, keys []string, audit throughline.AdminAction) error

	// Staff sessions, by the SHA-256 of their token.
	InsertSession(ctx context.Context, idHash []byte, se throughline.Session) error
	SessionByHash(ctx context.Context, idHash []byte) (throughline.Session, error)
	UserSessions(ctx context.Context, userID string) ([]throughline.Session, error)
	TouchSession(ctx context.Context, idHash []byte, at time.Time) error
	RekeySession(ctx context.Context, oldHash, newHash []byte, state string, at time.Time, restart bool) error
	SessionAuthenticated(ctx context.Context, idHash []byte, at time.Time) error
	DeleteSession(ctx context.Context, idHash []byte) error
	DeleteUserSession(ctx context.Context, userID string, idHash []byte) error
	DeleteUserSessions(ctx context.Context, userID string) error
	DeleteSessionsBefore(ctx context.Context, created, seen time.Time) (int64, error)

	// The victim portal. Both refuse with throughline.ErrPortalLimited
	// when a limit is reached by the attempts after since. Issuing ends
	// every earlier code of the reference; a wrong code counts under burn
	// too, and burn.Max of them since the newest code end the live codes.
	IssuePortalCodes(ctx context.Context, ref string, limits []throughline.AttemptLimit, since, at time.Time, codes func([]throughline.Complainant) ([]throughline.PortalCodeHash, error)) error
	RedeemPortalCode(ctx context.Context, ref string, limits []throughline.AttemptLimit, burn throughline.AttemptLimit, since, at time.Time, match func(complainant string, hash []byte) bool, sessionHash []byte) (complainant string, err error)
	PortalSessionByHash(ctx context.Context, idHash []byte) (throughline.PortalSession, error)
	// A complainant's pending change of email address or mobile number.
	SaveContactCode(ctx context.Context, ref, complainant string, limits []throughline.AttemptLimit, since, at time.Time, hash []byte, expires time.Time) error
	RedeemContactCode(ctx context.Context, ref, complainant string, at time.Time, maxAttempts int, match func(hash []byte) bool) (bool, error)
	// Each complainant's calendar-feed key.
	FeedKeyRow(ctx context.Context, ref, complainant string, fresh []byte, at time.Time) ([]byte, error)
	SaveFeedKeyRow(ctx context.Context, ref, complainant string, key []byte, at time.Time) error
	TouchPortalSession(ctx context.Context, idHash []byte, at time.Time) error
	DeletePortalSession(ctx context.Context, idHash []byte) error
	// Secret is the installation secret called name, n random bytes made
	// on first use.
	Secret(ctx context.Context, name string, n int) ([]byte, error)
}

// Service applies identity's rules over a Store.
type Service struct {
	store Store
	now   func() time.Time
	// PortalFloor is the least time a portal code request or check takes
	// (wall-clock time, not the injected clock), so that a reference that
	// exists answers no slower than one that does not.
	PortalFloor time.Duration
}

// New returns a Service over store, telling the time by now.
func New(store Store, now func() time.Time) *Service {
	return &Service{store: store, now: now, PortalFloor: DefaultPortalFloor}
}

// randomToken is 32 random bytes, URL-safe.
func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// tokenHash is what is stored of a token: its SHA-256.
func tokenHash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// isCode reports whether err is a *throughline.Error with this code.
func isCode(err error, code string) bool {
	return err != nil && throughline.ErrorCode(err) == code
}
