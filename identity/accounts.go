package identity

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"throughline"
)

// User returns a user by id. Errors: ENOTFOUND.
func (s *Service) User(ctx context.Context, id string) (throughline.User, error) {
	a, err := s.store.Account(ctx, id)
	return a.User, err
}

// Account returns a user and their sign-in by user id. Errors: ENOTFOUND.
func (s *Service) Account(ctx context.Context, id string) (throughline.Account, error) {
	return s.store.Account(ctx, id)
}

// Accounts lists every user with their sign-in, by name.
func (s *Service) Accounts(ctx context.Context) ([]throughline.Account, error) {
	return s.store.Accounts(ctx)
}

// UserNames returns the names of the users with the given ids.
func (s *Service) UserNames(ctx context.Context, ids []string) (map[string]string, error) {
	return s.store.UserNames(ctx, ids)
}

// AdminActions returns the latest entries of the administrators' log.
func (s *Service) AdminActions(ctx context.Context, limit int) ([]throughline.AdminAction, error) {
	return s.store.AdminActions(ctx, limit)
}

// newAPIToken returns a user id and an API token.
func newAPIToken() (id, token string, err error) {
	b := make([]byte, 8)
	secret := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	if _, err := rand.Read(secret); err != nil {
		return "", "", err
	}
	return "u_" + hex.EncodeToString(b), "tl_" + base64.RawURLEncoding.EncodeToString(secret), nil
}

// AddUser creates a user without a sign-in and returns them with a new API
// token. The token is shown once: only its SHA-256 is stored.
// Errors: EINVALID for a bad name, role or agency.
func (s *Service) AddUser(ctx context.Context, name, role, agency string) (throughline.User, string, error) {
	if err := throughline.ValidateUser(name, role, agency); err != nil {
		return throughline.User{}, "", err
	}
	id, token, err := newAPIToken()
	if err != nil {
		return throughline.User{}, "", err
	}
	u := throughline.User{ID: id, Name: name, Role: role, Agency: agency}
	now := s.now()
	if err := s.store.InsertUser(ctx, throughline.NewUser{User: u, TokenHash: tokenHash(token), TokenExpires: now.Add(TokenLifetime), Created: now}, nil); err != nil {
		return throughline.User{}, "", err
	}
	return u, token, nil
}

// NewAccount is a user to add and how they will sign in.
type NewAccount struct {
	Name, Role, Agency string
	// Login is their sign-in name; "" for none (API only).
	Login string
	// Password is their first password; "" to sign in with their
	// organisation's identity provider only.
	Password string
	// TOTPSecret is an authenticator already set up (the command line
	// prints its key); nil to set one up at first sign-in.
	TOTPSecret []byte
}

// CreateAccount adds a user with their sign-in, and the administrators' log
// entry naming actorID, all in one transaction, and returns the user with a
// new API token (shown once).
// Errors: EINVALID (with a message per field), ECONFLICT if another user
// has the sign-in name.
func (s *Service) CreateAccount(ctx context.Context, actorID string, n NewAccount) (throughline.User, string, error) {
	errs := []error{throughline.ValidateUser(n.Name, n.Role, n.Agency)}
	if n.Login != "" {
		errs = append(errs, throughline.ValidateLogin(n.Login))
		if n.Password != "" {
			errs = append(errs, throughline.ValidatePassword(n.Password))
		}
	} else if n.Password != "" || len(n.TOTPSecret) > 0 {
		errs = append(errs, &throughline.Error{Code: throughline.EINVALID, Fields: []throughline.FieldError{{Field: "login", Message: "Enter a sign-in name to go with the password"}}})
	}
	if err := errors.Join(errs...); err != nil {
		return throughline.User{}, "", mergeInvalid(err, "not a valid user")
	}
	id, token, err := newAPIToken()
	if err != nil {
		return throughline.User{}, "", err
	}
	now := s.now()
	nu := throughline.NewUser{User: throughline.User{ID: id, Name: n.Name, Role: n.Role, Agency: n.Agency}, TokenHash: tokenHash(token), TokenExpires: now.Add(TokenLifetime), Created: now}
	if n.Login != "" {
		nu.Login = throughline.NormalizeLogin(n.Login)
		nu.Credentials.TOTPSecret = n.TOTPSecret
		if n.Password != "" {
			if nu.Credentials.PasswordHash, err = HashPassword(n.Password); err != nil {
				return throughline.User{}, "", err
			}
		}
	}
	audit := throughline.AdminAction{At: now, ActorID: actorID, Action: "add_user", Subject: id, Detail: n.Name + " " + n.Role + " " + n.Agency}
	if err := s.store.InsertUser(ctx, nu, &audit); err != nil {
		return throughline.User{}, "", err
	}
	return nu.User, token, nil
}

// TokenLifetime is how long an API token works from when it is issued.
// A token is rotated (RotateToken, "throughline user token rotate") before
// then; an expired one is refused as an unknown one is.
const TokenLifetime = 90 * 24 * time.Hour

// IssueToken gives a user a new API token, replacing the old (which stops
// working at once), and returns it (shown once). Errors: ENOTFOUND.
func (s *Service) IssueToken(ctx context.Context, userID string) (string, error) {
	return s.RotateToken(ctx, "", userID)
}

// RotateToken gives a user a new API token, valid for TokenLifetime,
// replacing the old (which stops working at once), and returns it (shown
// once). Unless actorID is "", the administrators' log records who did it,
// in the same transaction. Errors: ENOTFOUND.
func (s *Service) RotateToken(ctx context.Context, actorID, userID string) (string, error) {
	_, token, err := newAPIToken()
	if err != nil {
		return "", err
	}
	now := s.now()
	var audit *throughline.AdminAction
	if actorID != "" {
		audit = &throughline.AdminAction{At: now, ActorID: actorID, Action: "rotate_token", Subject: userID, Detail: "expires " + now.Add(TokenLifetime).UTC().Format(time.RFC3339)}
	}
	return token, s.store.SaveTokenHash(ctx, userID, tokenHash(token), now, now.Add(TokenLifetime), audit)
}

// APITokens lists every user's API token: whose, when issued, when it
// expires. Never the token.
func (s *Service) APITokens(ctx context.Context) ([]throughline.APIToken, error) {
	return s.store.APITokens(ctx)
}

// UserByToken returns the user an API token belongs to.
// Errors: EUNAUTHORIZED if no user has it, or it has expired.
func (s *Service) UserByToken(ctx context.Context, token string) (throughline.User, error) {
	u, expires, err := s.store.UserByTokenHash(ctx, tokenHash(token))
	if isCode(err, throughline.ENOTFOUND) {
		return throughline.User{}, throughline.Errorf(throughline.EUNAUTHORIZED, "unknown API token")
	}
	if err != nil {
		return throughline.User{}, err
	}
	if !s.now().Before(expires) {
		return throughline.User{}, throughline.Errorf(throughline.EUNAUTHORIZED, "this API token has expired: ask for a new one")
	}
	return u, nil
}

// SetPassword gives a user a sign-in name and password, creating their
// account if need be. The password is hashed with argon2id before anything
// is written.
// Errors: EINVALID for a bad name or password, ECONFLICT if another user
// has the sign-in name, ENOTFOUND for an unknown user.
func (s *Service) SetPassword(ctx context.Context, userID, login, password string) error {
	if err := errors.Join(throughline.ValidateLogin(login), throughline.ValidatePassword(password)); err != nil {
		return mergeInvalid(err, "not a valid sign-in")
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.store.SaveLogin(ctx, userID, throughline.NormalizeLogin(login), &hash, s.now())
}

// SetLogin gives a user a sign-in name without a password (for OpenID
// Connect sign-in), creating their account if need be.
// Errors: EINVALID, ECONFLICT, ENOTFOUND.
func (s *Service) SetLogin(ctx context.Context, userID, login string) error {
	if err := throughline.ValidateLogin(login); err != nil {
		return err
	}
	return s.store.SaveLogin(ctx, userID, throughline.NormalizeLogin(login), nil, s.now())
}

// mergeInvalid joins the fields of several EINVALID errors into one.
func mergeInvalid(err error, message string) error {
	var fields []throughline.FieldError
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var te *throughline.Error
		if errors.As(e, &te) {
			fields = append(fields, te.Fields...)
		}
	}
	walk(err)
	return &throughline.Error{Code: throughline.EINVALID, Message: message, Fields: fields}
}

// EnrolTOTP stores a confirmed TOTP secret for the user, replacing any
// other, and the step of the code that confirmed it (so that code cannot be
// used again). The caller has checked a code against the secret.
// Errors: ENOTFOUND if the user has no sign-in.
func (s *Service) EnrolTOTP(ctx context.Context, userID string, secret []byte, step int64) error {
	return s.store.SaveTOTP(ctx, userID, secret, step, s.now())
}

// ResetTOTP clears a user's authenticator: they set up a new one at their
// next sign-in. Their sessions end, and the administrators' log records it,
// in the same transaction.
func (s *Service) ResetTOTP(ctx context.Context, actorID, userID string) error {
	return s.store.ClearTOTP(ctx, userID, throughline.AdminAction{At: s.now(), ActorID: actorID, Action: "reset_totp", Subject: userID})
}

// UpdateUser changes a user's name, role, agency or disabled flag. A change
// of role or agency, or disabling, ends the user's sessions; the change is
// in the administrators' log; all in one transaction.
// Errors: EINVALID, ENOTFOUND.
func (s *Service) UpdateUser(ctx context.Context, actorID, userID, name, role, agency string, disabled bool) error {
	if err := throughline.ValidateUser(name, role, agency); err != nil {
		return err
	}
	now := s.now()
	return s.store.ChangeUser(ctx, userID, func(old throughline.User) (throughline.User, bool, throughline.AdminAction, error) {
		next := throughline.User{ID: userID, Name: name, Role: role, Agency: agency, Disabled: disabled}
		end := disabled || role != old.Role || agency != old.Agency
		audit := throughline.AdminAction{At: now, ActorID: actorID, Action: "update_user", Subject: userID,
			Detail: fmt.Sprintf("name %q→%q role %s→%s agency %s→%s disabled %t→%t", old.Name, name, old.Role, role, old.Agency, agency, old.Disabled, disabled)}
		return next, end, audit, nil
	})
}

// Rate-limit keys: failures count per sign-in name and per address; wrong
// authenticator codes count, besides, per account under a key of their
// own that only a correct code clears. A correct password clears the
// sign-in name's count and never the codes': knowing the password buys
// no more guesses at the code.
func loginKey(login string) string { return "login:" + login }
func addrKey(ip string) string     { return "ip:" + ip }
func codeKey(userID string) string { return "code:" + userID }

// CodeFailuresPerAccount wrong authenticator codes within
// CodeFailureWindow lock an account's code step, from any address, until
// the oldest of them is older than the window.
const (
	CodeFailuresPerAccount = 5
	CodeFailureWindow      = throughline.SignInWindow
)

// limited reports whether any key has reached its limit of failures within
// the sign-in window.
func (s *Service) limited(ctx context.Context, keys []string) (bool, error) {
	since := s.now().Add(-throughline.SignInWindow)
	for _, k := range keys {
		n, err := s.store.SignInFailures(ctx, k, since)
		if err != nil {
			return false, err
		}
		limit := throughline.SignInPerAccount
		switch {
		case strings.HasPrefix(k, "ip:"):
			limit = throughline.SignInPerAddress
		case strings.HasPrefix(k, "code:"):
			limit = CodeFailuresPerAccount
		}
		if n >= limit {
			return true, nil
		}
	}
	return false, nil
}

// Locked returns the users among accts whose sign-in is refused now
// because their sign-in name or their authenticator code has reached its
// limit of failures within the sign-in window (a lock that lifts by itself
// when the window passes). Accounts without a sign-in and disabled ones are
// left out.
func (s *Service) Locked(ctx context.Context, accts []throughline.Account) ([]throughline.Account, error) {
	var out []throughline.Account
	for _, a := range accts {
		if a.Login == "" || a.Disabled {
			continue
		}
		locked, err := s.limited(ctx, []string{loginKey(a.Login), codeKey(a.ID)})
		if err != nil {
			return nil, err
		}
		if locked {
			out = append(out, a)
		}
	}
	return out, nil
}

// Unlock lifts the lock on a user's sign-in before its window passes: the
// failures counted against their sign-in name and their authenticator
// codes are forgotten, and the administrators' log records who lifted it,
// in one transaction. Failures counted against an address stay: they are
// not the user's. Errors: ENOTFOUND.
func (s *Service) Unlock(ctx context.Context, actorID, userID string) error {
	a, err := s.store.Account(ctx, userID)
	if err != nil {
		return err
	}
	keys := []string{codeKey(a.ID)}
	if a.Login != "" {
		keys = append(keys, loginKey(a.Login))
	}
	return s.store.UnlockSignIn(ctx, keys, throughline.AdminAction{At: s.now(), ActorID: actorID, Action: "unlock_sign_in", Subject: userID})
}

func (s *Service) recordFailure(ctx context.Context, keys []string) error {
	now := s.now()
	return s.store.RecordSignInFailure(ctx, keys, now, now.Add(-throughline.SignInWindow))
}

// CheckPassword signs in with a name and password from address ip. It does
// the same work whether or not the account exists, and counts failures per
// account name and per address in the store, so that every serve process
// shares the limits. It returns the account on success.
// Errors: throughline.ErrSignIn, throughline.ErrTooMany.
func (s *Service) CheckPassword(ctx context.Context, login, password, ip string) (throughline.Account, error) {
	login = throughline.NormalizeLogin(login)
	keys := []string{loginKey(login), addrKey(ip)}
	if limited, err := s.limited(ctx, keys); err != nil {
		return throughline.Account{}, err
	} else if limited {
		CheckNothing(password)
		return throughline.Account{}, throughline.ErrTooMany
	}
	a, c, err := s.store.AccountByLogin(ctx, login)
	if err != nil && !isCode(err, throughline.ENOTFOUND) {
		return throughline.Account{}, err
	}
	ok := false
	if err == nil && c.PasswordHash != "" {
		ok, err = CheckPassword(c.PasswordHash, password)
		if err != nil {
			return throughline.Account{}, fmt.Errorf("account %s: %w", a.ID, err)
		}
	} else {
		CheckNothing(password)
	}
	if !ok || a.Disabled {
		if err := s.recordFailure(ctx, keys); err != nil {
			return throughline.Account{}, err
		}
		return throughline.Account{}, throughline.ErrSignIn
	}
	if err := s.store.ClearSignInFailures(ctx, keys[0]); err != nil {
		return throughline.Account{}, err
	}
	return a, nil
}

// CheckCode checks a user's TOTP code from address ip, refusing a code
// already used. Failures count towards the same limits as passwords, and
// towards the account's own limit of wrong codes (CodeFailuresPerAccount),
// which a correct password does not clear.
// Errors: throughline.ErrCode, throughline.ErrTooMany, ENOTFOUND.
func (s *Service) CheckCode(ctx context.Context, userID, code, ip string) error {
	a, c, err := s.store.AccountCredentials(ctx, userID)
	if err != nil {
		return err
	}
	keys := []string{loginKey(a.Login), addrKey(ip), codeKey(userID)}
	if limited, err := s.limited(ctx, keys); err != nil {
		return err
	} else if limited {
		return throughline.ErrTooMany
	}
	step, ok := CheckTOTP(c.TOTPSecret, code, s.now(), c.TOTPLastStep)
	if ok && !a.Disabled && len(c.TOTPSecret) > 0 {
		// Claim the step atomically: of two sign-ins racing with one code,
		// one wins.
		claimed, err := s.store.ClaimTOTPStep(ctx, userID, step)
		if err != nil {
			return err
		}
		if claimed {
			if err := s.store.ClearSignInFailures(ctx, keys[2]); err != nil {
				return err
			}
			return s.store.ClearSignInFailures(ctx, keys[0])
		}
	}
	if err := s.recordFailure(ctx, keys); err != nil {
		return err
	}
	return throughline.ErrCode
}

// UserByOIDC finds the user an OpenID Connect identity belongs to: by its
// issuer and subject once linked, or else by a verified email address equal
// to the sign-in name of an account not yet linked, which links it. Roles
// come from Throughline, never from the identity provider.
// Errors: EUNAUTHORIZED if no user matches or the user is disabled.
func (s *Service) UserByOIDC(ctx context.Context, issuer, subject, email string, emailVerified bool) (throughline.User, error) {
	none := throughline.Errorf(throughline.EUNAUTHORIZED, "Your organisation's sign-in worked, but you do not have a Throughline account. Ask your administrator to add you")
	a, err := s.store.AccountByOIDC(ctx, issuer, subject)
	if isCode(err, throughline.ENOTFOUND) {
		if !emailVerified || email == "" {
			return throughline.User{}, none
		}
		a, _, err = s.store.AccountByLogin(ctx, throughline.NormalizeLogin(email))
		if isCode(err, throughline.ENOTFOUND) || (err == nil && a.OIDCSubject != "") {
			return throughline.User{}, none
		}
		if err != nil {
			return throughline.User{}, err
		}
		err = s.store.LinkOIDC(ctx, a.ID, issuer, subject, s.now())
		if isCode(err, throughline.ECONFLICT) {
			return throughline.User{}, none
		}
	}
	if err != nil {
		return throughline.User{}, err
	}
	if a.Disabled {
		return throughline.User{}, none
	}
	return a.User, nil
}
