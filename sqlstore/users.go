package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"throughline"
)

// InsertUser stores a new user, their sign-in if they have one, and (unless
// audit is nil) the administrators' log entry, in one transaction.
// Errors: ECONFLICT if another user has the sign-in name.
func (s *Store) InsertUser(ctx context.Context, u throughline.NewUser, audit *throughline.AdminAction) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO users (id, name, role, agency, disabled, token_hash, created_at, token_issued_at, token_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			u.ID, u.Name, u.Role, u.Agency, u.Disabled, u.TokenHash, u.Created.UTC().Format(time.RFC3339), accessTS(u.Created), accessTS(u.TokenExpires)); err != nil {
			return err
		}
		if u.Login != "" {
			c := u.Credentials
			var hash, secret any
			if c.PasswordHash != "" {
				hash = c.PasswordHash
			}
			if len(c.TOTPSecret) > 0 {
				secret = c.TOTPSecret
			}
			_, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO accounts (user_id, login, password_hash, totp_secret, totp_last_step, updated_at) VALUES (?, ?, ?, ?, ?, ?)`),
				u.ID, u.Login, hash, secret, c.TOTPLastStep, accessTS(u.Created))
			if isUniqueViolation(err) {
				return loginTaken(u.Login)
			}
			if err != nil {
				return err
			}
		}
		if audit != nil {
			return s.insertAdminAction(ctx, tx, *audit)
		}
		return nil
	})
}

// UserByTokenHash returns the user whose API token has this SHA-256, and
// when the token expires. Errors: ENOTFOUND.
func (s *Store) UserByTokenHash(ctx context.Context, hash []byte) (throughline.User, time.Time, error) {
	var u throughline.User
	var expires sql.NullString
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT id, name, role, agency, disabled, token_expires_at FROM users WHERE token_hash = ?`), hash).
		Scan(&u.ID, &u.Name, &u.Role, &u.Agency, &u.Disabled, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return u, time.Time{}, throughline.Errorf(throughline.ENOTFOUND, "no user has this API token")
	}
	// A token with no expiry recorded has expired.
	return u, accessParseTS(expires.String), err
}

// SaveTokenHash replaces a user's API token by one with this SHA-256,
// issued at issued and expiring at expires, with the administrators' log
// entry (unless nil), in one transaction. Errors: ENOTFOUND.
func (s *Store) SaveTokenHash(ctx context.Context, userID string, hash []byte, issued, expires time.Time, audit *throughline.AdminAction) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE users SET token_hash = ?, token_issued_at = ?, token_expires_at = ? WHERE id = ?`), hash, accessTS(issued), accessTS(expires), userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return throughline.Errorf(throughline.ENOTFOUND, "no user %s", userID)
		}
		if audit != nil {
			return s.insertAdminAction(ctx, tx, *audit)
		}
		return nil
	})
}

// APITokens lists every user's API token: whose, issued and expiring when.
func (s *Store) APITokens(ctx context.Context) ([]throughline.APIToken, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, role, agency, disabled, token_issued_at, token_expires_at FROM users ORDER BY name, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []throughline.APIToken
	for rows.Next() {
		var t throughline.APIToken
		var issued, expires sql.NullString
		if err := rows.Scan(&t.User.ID, &t.User.Name, &t.User.Role, &t.User.Agency, &t.User.Disabled, &issued, &expires); err != nil {
			return nil, err
		}
		t.Issued, t.Expires = accessParseTS(issued.String), accessParseTS(expires.String)
		out = append(out, t)
	}
	return out, rows.Err()
}
