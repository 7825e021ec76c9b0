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
		if _, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO users (id, name, role, agency, disabled, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
			u.ID, u.Name, u.Role, u.Agency, u.Disabled, u.TokenHash, u.Created.UTC().Format(time.RFC3339)); err != nil {
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

// UserByTokenHash returns the user whose API token has this SHA-256.
// Errors: ENOTFOUND.
func (s *Store) UserByTokenHash(ctx context.Context, hash []byte) (throughline.User, error) {
	var u throughline.User
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT id, name, role, agency, disabled FROM users WHERE token_hash = ?`), hash).
		Scan(&u.ID, &u.Name, &u.Role, &u.Agency, &u.Disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return u, throughline.Errorf(throughline.ENOTFOUND, "no user has this API token")
	}
	return u, err
}

// SaveTokenHash replaces a user's API token by one with this SHA-256.
// Errors: ENOTFOUND.
func (s *Store) SaveTokenHash(ctx context.Context, userID string, hash []byte) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE users SET token_hash = ? WHERE id = ?`), hash, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return throughline.Errorf(throughline.ENOTFOUND, "no user %s", userID)
		}
		return nil
	})
}
