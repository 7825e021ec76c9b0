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
)

// Accounts, their credentials, sign-in failures and the administrators'
// log: persistence only. The rules (hashing, checking, limits, who may be
// linked to what) are package identity's; each method here is one
// transaction.

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

const selectAccount = `SELECT u.id, u.name, u.role, u.agency, u.disabled, a.login, a.password_hash, a.totp_secret, a.totp_last_step, a.oidc_issuer, a.oidc_subject
FROM users u LEFT JOIN accounts a ON a.user_id = u.id`

func scanAccount(sc interface{ Scan(...any) error }) (throughline.Account, throughline.Credentials, error) {
	var a throughline.Account
	var c throughline.Credentials
	var login, hash, iss, sub sql.NullString
	var last sql.NullInt64
	err := sc.Scan(&a.ID, &a.Name, &a.Role, &a.Agency, &a.Disabled, &login, &hash, &c.TOTPSecret, &last, &iss, &sub)
	a.Login, c.PasswordHash, a.OIDCIssuer, a.OIDCSubject, c.TOTPLastStep = login.String, hash.String, iss.String, sub.String, last.Int64
	a.HasPassword, a.TOTPEnrolled = c.PasswordHash != "", len(c.TOTPSecret) > 0
	return a, c, err
}

// queryAccount reads one account, ENOTFOUND (with notFound's message) if
// there is none.
func (s *Store) queryAccount(ctx context.Context, notFound string, where string, args ...any) (throughline.Account, throughline.Credentials, error) {
	a, c, err := scanAccount(s.db.QueryRowContext(ctx, s.d.rebind(selectAccount+` WHERE `+where), args...))
	if errors.Is(err, sql.ErrNoRows) {
		return throughline.Account{}, throughline.Credentials{}, throughline.Errorf(throughline.ENOTFOUND, "%s", notFound)
	}
	return a, c, err
}

// User returns a user by id. Errors: ENOTFOUND.
func (s *Store) User(ctx context.Context, id string) (throughline.User, error) {
	a, err := s.Account(ctx, id)
	return a.User, err
}

// Account returns a user and their sign-in by user id. Errors: ENOTFOUND.
func (s *Store) Account(ctx context.Context, id string) (throughline.Account, error) {
	a, _, err := s.queryAccount(ctx, "no user "+id, `u.id = ?`, id)
	return a, err
}

// AccountCredentials returns a user's account and credentials by user id.
// Errors: ENOTFOUND.
func (s *Store) AccountCredentials(ctx context.Context, userID string) (throughline.Account, throughline.Credentials, error) {
	return s.queryAccount(ctx, "no user "+userID, `u.id = ?`, userID)
}

// AccountByLogin returns the account with a (normalised) sign-in name and
// its credentials. Errors: ENOTFOUND.
func (s *Store) AccountByLogin(ctx context.Context, login string) (throughline.Account, throughline.Credentials, error) {
	return s.queryAccount(ctx, "no sign-in "+login, `a.login = ?`, login)
}

// AccountByOIDC returns the account linked to an OpenID Connect issuer and
// subject. Errors: ENOTFOUND.
func (s *Store) AccountByOIDC(ctx context.Context, issuer, subject string) (throughline.Account, error) {
	a, _, err := s.queryAccount(ctx, "no linked account", `a.oidc_issuer = ? AND a.oidc_subject = ?`, issuer, subject)
	return a, err
}

// Accounts lists every user with their sign-in, by name.
func (s *Store) Accounts(ctx context.Context) ([]throughline.Account, error) {
	rows, err := s.db.QueryContext(ctx, selectAccount+` ORDER BY u.name, u.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []throughline.Account
	for rows.Next() {
		a, _, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func loginTaken(login string) error {
	return &throughline.Error{Code: throughline.ECONFLICT, Message: "sign-in name taken", Fields: []throughline.FieldError{{Field: "login", Message: "Another user already signs in with " + login}}}
}

// SaveLogin sets a user's sign-in name and, unless passwordHash is nil,
// their password hash, creating their account row if need be.
// Errors: ENOTFOUND for an unknown user, ECONFLICT if another user has the
// sign-in name.
func (s *Store) SaveLogin(ctx context.Context, userID, login string, passwordHash *string, at time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT count(*) FROM users WHERE id = ?`), userID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return throughline.Errorf(throughline.ENOTFOUND, "no user %s", userID)
		}
		var err error
		if passwordHash != nil {
			_, err = tx.ExecContext(ctx, s.d.rebind(`INSERT INTO accounts (user_id, login, password_hash, updated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (user_id) DO UPDATE SET login = excluded.login, password_hash = excluded.password_hash, updated_at = excluded.updated_at`), userID, login, *passwordHash, accessTS(at))
		} else {
			_, err = tx.ExecContext(ctx, s.d.rebind(`INSERT INTO accounts (user_id, login, updated_at) VALUES (?, ?, ?)
ON CONFLICT (user_id) DO UPDATE SET login = excluded.login, updated_at = excluded.updated_at`), userID, login, accessTS(at))
		}
		if isUniqueViolation(err) {
			return loginTaken(login)
		}
		return err
	})
}

// SaveTOTP stores a user's authenticator secret, replacing any other, and
// the step of the last code used. Errors: ENOTFOUND if the user has no
// sign-in.
func (s *Store) SaveTOTP(ctx context.Context, userID string, secret []byte, step int64, at time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE accounts SET totp_secret = ?, totp_last_step = ?, updated_at = ? WHERE user_id = ?`), secret, step, accessTS(at), userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return throughline.Errorf(throughline.ENOTFOUND, "user %s has no sign-in", userID)
		}
		return nil
	})
}

// ClaimTOTPStep records step as the user's last code used if it is later
// than the one recorded, and reports whether it was: of two sign-ins
// racing with one code, one wins.
func (s *Store) ClaimTOTPStep(ctx context.Context, userID string, step int64) (bool, error) {
	var claimed int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE accounts SET totp_last_step = ? WHERE user_id = ? AND totp_last_step < ?`), step, userID, step)
		if err != nil {
			return err
		}
		claimed, _ = res.RowsAffected()
		return nil
	})
	return claimed == 1, err
}

// ClearTOTP removes a user's authenticator and ends their sessions, with
// the administrator's log entry, in one transaction.
func (s *Store) ClearTOTP(ctx context.Context, userID string, audit throughline.AdminAction) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE accounts SET totp_secret = NULL, totp_last_step = 0, updated_at = ? WHERE user_id = ?`), accessTS(audit.At), userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM sessions WHERE user_id = ?`), userID); err != nil {
			return err
		}
		return s.insertAdminAction(ctx, tx, audit)
	})
}

// ChangeUser reads a user and writes what change makes of them, in one
// transaction: the new name, role, agency and disabled flag, the end of
// their sessions if change says so, and change's entry in the
// administrators' log. change may run more than once.
// Errors: ENOTFOUND, and change's.
func (s *Store) ChangeUser(ctx context.Context, userID string, change func(old throughline.User) (next throughline.User, endSessions bool, audit throughline.AdminAction, err error)) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		old := throughline.User{ID: userID}
		err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT name, role, agency, disabled FROM users WHERE id = ?`+s.d.lockRow), userID).Scan(&old.Name, &old.Role, &old.Agency, &old.Disabled)
		if errors.Is(err, sql.ErrNoRows) {
			return throughline.Errorf(throughline.ENOTFOUND, "no user %s", userID)
		}
		if err != nil {
			return err
		}
		next, endSessions, audit, err := change(old)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE users SET name = ?, role = ?, agency = ?, disabled = ? WHERE id = ?`), next.Name, next.Role, next.Agency, next.Disabled, userID); err != nil {
			return err
		}
		if endSessions {
			if _, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM sessions WHERE user_id = ?`), userID); err != nil {
				return err
			}
		}
		return s.insertAdminAction(ctx, tx, audit)
	})
}

// LinkOIDC links an account not yet linked to an OpenID Connect issuer and
// subject. Errors: ECONFLICT if it has been linked meanwhile.
func (s *Store) LinkOIDC(ctx context.Context, userID, issuer, subject string, at time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE accounts SET oidc_issuer = ?, oidc_subject = ?, updated_at = ? WHERE user_id = ? AND oidc_subject IS NULL`), issuer, subject, accessTS(at), userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return throughline.Errorf(throughline.ECONFLICT, "user %s is linked already", userID)
		}
		return nil
	})
}

// SignInFailures counts the sign-in failures recorded under key after since.
func (s *Store) SignInFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT count(*) FROM signin_failures WHERE key = ? AND at > ?`), key, accessTS(since)).Scan(&n)
	return n, err
}

// RecordSignInFailure records a failure at at under each key, and forgets
// failures at or before expired.
func (s *Store) RecordSignInFailure(ctx context.Context, keys []string, at, expired time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM signin_failures WHERE at <= ?`), accessTS(expired)); err != nil {
			return err
		}
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO signin_failures (key, at) VALUES (?, ?)`), k, accessTS(at)); err != nil {
				return err
			}
		}
		return nil
	})
}

// ClearSignInFailures forgets the failures recorded under key.
func (s *Store) ClearSignInFailures(ctx context.Context, key string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM signin_failures WHERE key = ?`), key)
		return err
	})
}

// UnlockSignIn forgets the sign-in failures recorded under keys, with the
// administrator's log entry, in one transaction.
func (s *Store) UnlockSignIn(ctx context.Context, keys []string, audit throughline.AdminAction) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM signin_failures WHERE key = ?`), k); err != nil {
				return err
			}
		}
		return s.insertAdminAction(ctx, tx, audit)
	})
}

// logAdmin records an administrator's action in tx, at the store's time.
func (s *Store) logAdmin(ctx context.Context, tx sqlTx, actorID, action, subject, detail string) error {
	return s.insertAdminAction(ctx, tx, throughline.AdminAction{At: s.Now(), ActorID: actorID, Action: action, Subject: subject, Detail: detail})
}

func (s *Store) insertAdminAction(ctx context.Context, tx sqlTx, a throughline.AdminAction) error {
	if a.Action == "" {
		return fmt.Errorf("admin log: no action")
	}
	return s.appendChained(ctx, tx, adminLog, []chainEntry{{values: []any{accessTS(a.At), a.ActorID, a.Action, a.Subject, a.Detail}}})
}

var adminColumns = []string{"at", "actor_id", "action", "subject", "detail"}

// AdminActions returns the latest entries of the administrators' log.
func (s *Store) AdminActions(ctx context.Context, limit int) ([]throughline.AdminAction, error) {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT at, actor_id, action, subject, detail FROM admin_actions ORDER BY id DESC LIMIT ?`), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []throughline.AdminAction
	for rows.Next() {
		var a throughline.AdminAction
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
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT id, name FROM users WHERE id IN (`+placeholders(len(ids))+`)`), anys(ids)...)
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
