package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"

	"throughline"
)

// AddUser creates a user and returns them with a new API token. The token is
// shown once: only its SHA-256 is stored.
// Errors: EINVALID for a bad name, role or agency.
func (s *Store) AddUser(ctx context.Context, name, role, agency string) (throughline.User, string, error) {
	if err := throughline.ValidateUser(name, role, agency); err != nil {
		return throughline.User{}, "", err
	}
	id := make([]byte, 8)
	secret := make([]byte, 32)
	if _, err := rand.Read(id); err != nil {
		return throughline.User{}, "", err
	}
	if _, err := rand.Read(secret); err != nil {
		return throughline.User{}, "", err
	}
	u := throughline.User{ID: "u_" + hex.EncodeToString(id), Name: name, Role: role, Agency: agency}
	token := "tl_" + base64.RawURLEncoding.EncodeToString(secret)
	sum := sha256.Sum256([]byte(token))
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO users (id, name, role, agency, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)`),
			u.ID, u.Name, u.Role, u.Agency, sum[:], s.Now().UTC().Format(time.RFC3339))
		return err
	})
	if err != nil {
		return throughline.User{}, "", err
	}
	return u, token, nil
}

// UserByToken returns the user an API token belongs to.
// Errors: EUNAUTHORIZED if no user has it.
func (s *Store) UserByToken(ctx context.Context, token string) (throughline.User, error) {
	sum := sha256.Sum256([]byte(token))
	var u throughline.User
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT id, name, role, agency, disabled FROM users WHERE token_hash = ?`), sum[:]).
		Scan(&u.ID, &u.Name, &u.Role, &u.Agency, &u.Disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return u, throughline.Errorf(throughline.EUNAUTHORIZED, "unknown API token")
	}
	return u, err
}

// DemoUser finds the demo user with this name, role and agency (creating
// them if need be) and issues them a fresh API token, replacing the old.
func (s *Store) DemoUser(ctx context.Context, name, role, agency string) (throughline.User, string, error) {
	var id string
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT id FROM users WHERE name = ? AND role = ? AND agency = ?`), name, role, agency).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return s.AddUser(ctx, name, role, agency)
	}
	if err != nil {
		return throughline.User{}, "", err
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return throughline.User{}, "", err
	}
	token := "tl_" + base64.RawURLEncoding.EncodeToString(secret)
	sum := sha256.Sum256([]byte(token))
	err = s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE users SET token_hash = ? WHERE id = ?`), sum[:], id)
		return err
	})
	return throughline.User{ID: id, Name: name, Role: role, Agency: agency}, token, err
}
