package throughline

import "time"

// The rows the identity capability and its storage exchange: accounts,
// sessions and the victim portal's sign-in codes. The rules over them
// (hashing, limits, expiry) live in package identity; the store keeps them.

// Account is a user and how they sign in.
type Account struct {
	User
	Login        string // "" if the user has no sign-in (API only)
	HasPassword  bool
	TOTPEnrolled bool
	OIDCIssuer   string
	OIDCSubject  string
}

// Credentials are what an account signs in with, as stored. They never
// leave the identity capability.
type Credentials struct {
	PasswordHash string // argon2id PHC string; "" for none
	TOTPSecret   []byte // nil until an authenticator is set up
	TOTPLastStep int64  // the step of the last code used: none at or before it works
}

// NewUser is a user to store, with their sign-in if they have one, all
// written together.
type NewUser struct {
	User
	TokenHash    []byte // SHA-256 of their API token
	TokenExpires time.Time
	Created      time.Time
	// Login is their sign-in name; "" for none (API only), and then the
	// credentials are not stored.
	Login       string
	Credentials Credentials
}

// APIToken is what is known of a user's API token: never the token, only
// whose it is and when it was issued and expires.
type APIToken struct {
	User    User
	Issued  time.Time
	Expires time.Time
}

// AdminAction is one entry of the administrators' log.
type AdminAction struct {
	At      time.Time
	ActorID string
	Action  string
	Subject string
	Detail  string
}

// Session states: a password checked but the code not yet given, an
// authenticator to set up before going on, or fully signed in.
const (
	SessionCode   = "code"
	SessionEnrol  = "enrol"
	SessionActive = "active"
)

// Session is a signed-in (or signing-in) browser.
type Session struct {
	User    User // as they are now
	State   string
	Method  string // password or oidc
	Created time.Time
	Seen    time.Time
	AuthAt  time.Time // last (re-)authentication
	// Role and Agency are the user's when the session began: a change ends it.
	Role   string
	Agency string
	// Key is the stored hash of the session's token: what the store keys
	// it by. Only the store and identity read it.
	Key []byte
	// Handle names the session on its owner's account page, so that they
	// can end it: derived from Key, it is neither the token nor the hash.
	Handle string
	// Current marks the session of the request that listed it.
	Current bool
}

// PortalCode is a victim-portal sign-in code to send to a complainant.
type PortalCode struct {
	Complainant string
	Channel     string // email or sms
	To          string
	Lang        string
	Code        string
}

// PortalCodeHash is a portal sign-in code as stored: its hash only.
type PortalCodeHash struct {
	Complainant string
	Hash        []byte
	Expires     time.Time
}

// PortalSession is a complainant's signed-in portal session.
type PortalSession struct {
	Ref         string
	Complainant string
	Created     time.Time
	Seen        time.Time
}

// AttemptLimit bounds the attempts counted under Key within a window.
type AttemptLimit struct {
	Key string
	Max int
}

// ErrSignIn is the one answer to a failed sign-in, whatever failed: an
// unknown name, a wrong password, a disabled account. Nobody learns from it
// which accounts exist.
var ErrSignIn = &Error{Code: EUNAUTHORIZED, Message: "The sign-in name or password is not right"}

// ErrCode is the answer to a wrong or reused security code.
var ErrCode = &Error{Code: EUNAUTHORIZED, Message: "The security code is not right, or has been used already"}

// ErrTooMany is the answer once the sign-in rate limit is reached, for an
// account or an address, known or not.
var ErrTooMany = &Error{Code: EUNAUTHORIZED, Message: "There have been too many attempts to sign in. Wait 15 minutes and try again"}

// ErrNoSession is the answer for a missing, ended or expired session.
var ErrNoSession = Errorf(EUNAUTHORIZED, "You have been signed out. Sign in again")

// ErrPortalLimited is returned when a reference or address has asked the
// victim portal too often: the caller must wait.
var ErrPortalLimited = Errorf(EFORBIDDEN, "too many attempts: wait an hour and try again")
