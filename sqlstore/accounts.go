package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"throughline"
	"throughline/credential"
)

// Times in the access tables are UTC, fixed width, so that they sort and
// compare as text on both databases.
const accessTSLayout = "2006-01-02T15:04:05.000000Z"

func accessTS(t time.Time) string { return t.UTC().Format(accessTSLayout) }

func accessParseTS(s string) time.Time {
	t, err := time.Parse(accessTSLayout, s)
	if err != nil {
		t, _ = time.Parse(time.RFC3339Nano, s)
	}
	return t
}

func randomID(prefix string, n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return prefix + hex.EncodeToString(b), nil
}

// Account is a user and how they sign in.
type Account struct {
	throughline.User
	Login        string // "" if the user has no sign-in (API only)
	HasPassword  bool
	TOTPEnrolled bool
	OIDCIssuer   string
	OIDCSubject  string
}

// ErrSignIn is the one answer to a failed sign-in, whatever failed: an
// unknown name, a wrong password, a disabled account. Nobody learns from it
// which accounts exist.
var ErrSignIn = &throughline.Error{Code: throughline.EUNAUTHORIZED, Message: "The sign-in name or password is not right"}

// ErrCode is the answer to a wrong or reused security code.
var ErrCode = &throughline.Error{Code: throughline.EUNAUTHORIZED, Message: "The security code is not right, or has been used already"}

// ErrTooMany is the answer once the sign-in rate limit is reached, for an
// account or an address, known or not.
var ErrTooMany = &throughline.Error{Code: throughline.EUNAUTHORIZED, Message: "There have been too many attempts to sign in. Wait 15 minutes and try again"}

const selectAccount = `SELECT u.id, u.name, u.role, u.agency, u.disabled, a.login, a.password_hash, a.totp_secret, a.oidc_issuer, a.oidc_subject
FROM users u LEFT JOIN accounts a ON a.user_id = u.id`

type accountRow struct {
	Account
	hash   string
	secret []byte
}

func scanAccount(sc interface{ Scan(...any) error }) (accountRow, error) {
	var r accountRow
	var login, hash, iss, sub sql.NullString
	err := sc.Scan(&r.ID, &r.Name, &r.Role, &r.Agency, &r.Disabled, &login, &hash, &r.secret, &iss, &sub)
	r.Login, r.hash, r.OIDCIssuer, r.OIDCSubject = login.String, hash.String, iss.String, sub.String
	r.HasPassword, r.TOTPEnrolled = r.hash != "", len(r.secret) > 0
	return r, err
}

// User returns a user by id. Errors: ENOTFOUND.
func (s *Store) User(ctx context.Context, id string) (throughline.User, error) {
	a, err := s.Account(ctx, id)
	return a.User, err
}

// Account returns a user and their sign-in by user id. Errors: ENOTFOUND.
func (s *Store) Account(ctx context.Context, id string) (Account, error) {
	r, err := scanAccount(s.db.QueryRowContext(ctx, s.d.rebind(selectAccount+` WHERE u.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, throughline.Errorf(throughline.ENOTFOUND, "no user %s", id)
	}
	return r.Account, err
}

// Accounts lists every user with their sign-in, by name.
func (s *Store) Accounts(ctx context.Context) ([]Account, error) {
	rows, err := s.db.QueryContext(ctx, selectAccount+` ORDER BY u.name, u.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		r, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r.Account)
	}
	return out, rows.Err()
}

// SetPassword gives a user a sign-in name and password, creating their
// account if need be. The password is hashed with argon2id before the
// write transaction starts.
// Errors: EINVALID for a bad name or password, ECONFLICT if another user
// has the sign-in name, ENOTFOUND for an unknown user.
func (s *Store) SetPassword(ctx context.Context, userID, login, password string) error {
	if err := errors.Join(throughline.ValidateLogin(login), throughline.ValidatePassword(password)); err != nil {
		return mergeInvalid(err)
	}
	hash, err := credential.HashPassword(password)
	if err != nil {
		return err
	}
	return s.setAccount(ctx, userID, throughline.NormalizeLogin(login), &hash)
}

// SetLogin gives a user a sign-in name without a password (for OpenID
// Connect sign-in), creating their account if need be.
func (s *Store) SetLogin(ctx context.Context, userID, login string) error {
	if err := throughline.ValidateLogin(login); err != nil {
		return err
	}
	return s.setAccount(ctx, userID, throughline.NormalizeLogin(login), nil)
}

func (s *Store) setAccount(ctx context.Context, userID, login string, hash *string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT count(*) FROM users WHERE id = ?`), userID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return throughline.Errorf(throughline.ENOTFOUND, "no user %s", userID)
		}
		now := accessTS(s.Now())
		var err error
		if hash != nil {
			_, err = tx.ExecContext(ctx, s.d.rebind(`INSERT INTO accounts (user_id, login, password_hash, updated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (user_id) DO UPDATE SET login = excluded.login, password_hash = excluded.password_hash, updated_at = excluded.updated_at`), userID, login, *hash, now)
		} else {
			_, err = tx.ExecContext(ctx, s.d.rebind(`INSERT INTO accounts (user_id, login, updated_at) VALUES (?, ?, ?)
ON CONFLICT (user_id) DO UPDATE SET login = excluded.login, updated_at = excluded.updated_at`), userID, login, now)
		}
		if isUniqueViolation(err) {
			return &throughline.Error{Code: throughline.ECONFLICT, Message: "sign-in name taken", Fields: []throughline.FieldError{{Field: "login", Message: "Another user already signs in with " + login}}}
		}
		return err
	})
}

// mergeInvalid joins the fields of several EINVALID errors into one.
func mergeInvalid(err error) error {
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
	return &throughline.Error{Code: throughline.EINVALID, Message: "not a valid sign-in", Fields: fields}
}

// EnrolTOTP stores a confirmed TOTP secret for the user, replacing any
// other, and the step of the code that confirmed it (so that code cannot be
// used again). The caller has checked a code against the secret.
func (s *Store) EnrolTOTP(ctx context.Context, userID string, secret []byte, step int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE accounts SET totp_secret = ?, totp_last_step = ?, updated_at = ? WHERE user_id = ?`), secret, step, accessTS(s.Now()), userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return throughline.Errorf(throughline.ENOTFOUND, "user %s has no sign-in", userID)
		}
		return nil
	})
}

// ResetTOTP clears a user's authenticator: they set up a new one at their
// next sign-in. Their sessions end.
func (s *Store) ResetTOTP(ctx context.Context, actorID, userID string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE accounts SET totp_secret = NULL, totp_last_step = 0, updated_at = ? WHERE user_id = ?`), accessTS(s.Now()), userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM sessions WHERE user_id = ?`), userID); err != nil {
			return err
		}
		return s.logAdmin(ctx, tx, actorID, "reset_totp", userID, "")
	})
}

// CheckPassword signs in with a name and password from address ip. It does
// the same work whether or not the account exists, and counts failures per
// account name and per address in the database, so that every serve process
// shares the limits. It returns the account on success.
// Errors: ErrSignIn, ErrTooMany.
func (s *Store) CheckPassword(ctx context.Context, login, password, ip string) (Account, error) {
	login = throughline.NormalizeLogin(login)
	keys := []string{"login:" + login, "ip:" + ip}
	if limited, err := s.limited(ctx, keys); err != nil {
		return Account{}, err
	} else if limited {
		credential.CheckNothing(password)
		return Account{}, ErrTooMany
	}
	r, err := scanAccount(s.db.QueryRowContext(ctx, s.d.rebind(selectAccount+` WHERE a.login = ?`), login))
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Account{}, err
	}
	ok := false
	if err == nil && r.hash != "" {
		ok, err = credential.CheckPassword(r.hash, password)
		if err != nil {
			return Account{}, fmt.Errorf("account %s: %w", r.ID, err)
		}
	} else {
		credential.CheckNothing(password)
	}
	if !ok || r.Disabled {
		if err := s.recordFailure(ctx, keys); err != nil {
			return Account{}, err
		}
		return Account{}, ErrSignIn
	}
	if err := s.clearFailures(ctx, keys[0]); err != nil {
		return Account{}, err
	}
	return r.Account, nil
}

// CheckCode checks a user's TOTP code from address ip, refusing a code
// already used. Failures count towards the same limits as passwords.
// Errors: ErrCode, ErrTooMany, ENOTFOUND.
func (s *Store) CheckCode(ctx context.Context, userID, code, ip string) error {
	r, err := scanAccount(s.db.QueryRowContext(ctx, s.d.rebind(selectAccount+` WHERE u.id = ?`), userID))
	if errors.Is(err, sql.ErrNoRows) {
		return throughline.Errorf(throughline.ENOTFOUND, "no user %s", userID)
	}
	if err != nil {
		return err
	}
	keys := []string{"login:" + r.Login, "ip:" + ip}
	if limited, err := s.limited(ctx, keys); err != nil {
		return err
	} else if limited {
		return ErrTooMany
	}
	var last int64
	if err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT totp_last_step FROM accounts WHERE user_id = ?`), userID).Scan(&last); err != nil {
		return err
	}
	step, ok := credential.CheckTOTP(r.secret, code, s.Now(), last)
	if ok && !r.Disabled && len(r.secret) > 0 {
		// Claim the step atomically: of two sign-ins racing with one code,
		// one wins.
		var claimed int64
		err := s.write(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE accounts SET totp_last_step = ? WHERE user_id = ? AND totp_last_step < ?`), step, userID, step)
			if err != nil {
				return err
			}
			claimed, _ = res.RowsAffected()
			return nil
		})
		if err != nil {
			return err
		}
		if claimed == 1 {
			return s.clearFailures(ctx, keys[0])
		}
	}
	if err := s.recordFailure(ctx, keys); err != nil {
		return err
	}
	return ErrCode
}

// limited reports whether any key has reached its limit of failures.
func (s *Store) limited(ctx context.Context, keys []string) (bool, error) {
	since := accessTS(s.Now().Add(-throughline.SignInWindow))
	for _, k := range keys {
		var n int
		if err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT count(*) FROM signin_failures WHERE key = ? AND at > ?`), k, since).Scan(&n); err != nil {
			return false, err
		}
		limit := throughline.SignInPerAccount
		if len(k) > 3 && k[:3] == "ip:" {
			limit = throughline.SignInPerAddress
		}
		if n >= limit {
			return true, nil
		}
	}
	return false, nil
}

func (s *Store) recordFailure(ctx context.Context, keys []string) error {
	now := s.Now()
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM signin_failures WHERE at <= ?`), accessTS(now.Add(-throughline.SignInWindow))); err != nil {
			return err
		}
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO signin_failures (key, at) VALUES (?, ?)`), k, accessTS(now)); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Store) clearFailures(ctx context.Context, key string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM signin_failures WHERE key = ?`), key)
		return err
	})
}

// UpdateUser changes a user's role, agency or disabled flag. A change of
// role or agency, or disabling, ends the user's sessions in the same
// transaction; the change is in the administrators' log.
// Errors: EINVALID, ENOTFOUND.
func (s *Store) UpdateUser(ctx context.Context, actorID, userID, name, role, agency string, disabled bool) error {
	if err := throughline.ValidateUser(name, role, agency); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		var old throughline.User
		err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT name, role, agency, disabled FROM users WHERE id = ?`), userID).Scan(&old.Name, &old.Role, &old.Agency, &old.Disabled)
		if errors.Is(err, sql.ErrNoRows) {
			return throughline.Errorf(throughline.ENOTFOUND, "no user %s", userID)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE users SET name = ?, role = ?, agency = ?, disabled = ? WHERE id = ?`), name, role, agency, disabled, userID); err != nil {
			return err
		}
		if disabled || role != old.Role || agency != old.Agency {
			if _, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM sessions WHERE user_id = ?`), userID); err != nil {
				return err
			}
		}
		return s.logAdmin(ctx, tx, actorID, "update_user", userID,
			fmt.Sprintf("name %q→%q role %s→%s agency %s→%s disabled %t→%t", old.Name, name, old.Role, role, old.Agency, agency, old.Disabled, disabled))
	})
}

// UserByOIDC finds the user an OpenID Connect identity belongs to: by its
// issuer and subject once linked, or else by a verified email address equal
// to a sign-in name, which links it. Roles come from Throughline, never
// from the identity provider.
// Errors: EUNAUTHORIZED if no user matches or the user is disabled.
func (s *Store) UserByOIDC(ctx context.Context, issuer, subject, email string, emailVerified bool) (throughline.User, error) {
	none := throughline.Errorf(throughline.EUNAUTHORIZED, "Your organisation's sign-in worked, but you do not have a Throughline account. Ask your administrator to add you")
	r, err := scanAccount(s.db.QueryRowContext(ctx, s.d.rebind(selectAccount+` WHERE a.oidc_issuer = ? AND a.oidc_subject = ?`), issuer, subject))
	if errors.Is(err, sql.ErrNoRows) {
		if !emailVerified || email == "" {
			return throughline.User{}, none
		}
		r, err = scanAccount(s.db.QueryRowContext(ctx, s.d.rebind(selectAccount+` WHERE a.login = ? AND a.oidc_subject IS NULL`), throughline.NormalizeLogin(email)))
		if errors.Is(err, sql.ErrNoRows) {
			return throughline.User{}, none
		}
		if err != nil {
			return throughline.User{}, err
		}
		err = s.write(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE accounts SET oidc_issuer = ?, oidc_subject = ?, updated_at = ? WHERE user_id = ?`), issuer, subject, accessTS(s.Now()), r.ID)
			return err
		})
	}
	if err != nil {
		return throughline.User{}, err
	}
	if r.Disabled {
		return throughline.User{}, none
	}
	return r.User, nil
}

// logAdmin records an administrator's action in tx.
func (s *Store) logAdmin(ctx context.Context, tx *sql.Tx, actorID, action, subject, detail string) error {
	_, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO admin_actions (at, actor_id, action, subject, detail) VALUES (?, ?, ?, ?, ?)`), accessTS(s.Now()), actorID, action, subject, detail)
	return err
}

// AdminAction is one entry of the administrators' log.
type AdminAction struct {
	At      time.Time
	ActorID string
	Action  string
	Subject string
	Detail  string
}

// AdminActions returns the latest entries of the administrators' log.
func (s *Store) AdminActions(ctx context.Context, limit int) ([]AdminAction, error) {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT at, actor_id, action, subject, detail FROM admin_actions ORDER BY id DESC LIMIT ?`), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AdminAction
	for rows.Next() {
		var a AdminAction
		var at string
		if err := rows.Scan(&at, &a.ActorID, &a.Action, &a.Subject, &a.Detail); err != nil {
			return nil, err
		}
		a.At = accessParseTS(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// UserNames returns the names of the users with the given ids.
func (s *Store) UserNames(ctx context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT id, name FROM users WHERE id IN (`+placeholders(len(ids))+`)`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}
