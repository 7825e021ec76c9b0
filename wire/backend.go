package wire

import (
	"context"
	"time"

	"throughline"
	"throughline/identity"
	"throughline/sqlstore"
)

// Backend is what the web server is given: the store for cases and their
// records, and the identity service for accounts, sign-in and sessions. The
// web declares the methods it needs; this value has them all.
type Backend struct {
	*sqlstore.Store
	*identity.Service
}

// NewBackend pairs store with an identity service on the store's clock:
// the clock the store has when asked, so that setting store.Now later (as
// tests do) moves identity's time too.
func NewBackend(store *sqlstore.Store) Backend {
	return Backend{Store: store, Service: identity.New(store, func() time.Time { return store.Now() })}
}

// The account readers exist on both halves (identity passes them through
// to the store); the web reads them through identity.

// User returns a user by id. Errors: ENOTFOUND.
func (b Backend) User(ctx context.Context, id string) (throughline.User, error) {
	return b.Service.User(ctx, id)
}

// Account returns a user and their sign-in. Errors: ENOTFOUND.
func (b Backend) Account(ctx context.Context, id string) (throughline.Account, error) {
	return b.Service.Account(ctx, id)
}

// Accounts lists every user with their sign-in, by name.
func (b Backend) Accounts(ctx context.Context) ([]throughline.Account, error) {
	return b.Service.Accounts(ctx)
}

// UserNames returns the names of the users with the given ids.
func (b Backend) UserNames(ctx context.Context, ids []string) (map[string]string, error) {
	return b.Service.UserNames(ctx, ids)
}

// AdminActions returns the latest entries of the administrators' log.
func (b Backend) AdminActions(ctx context.Context, limit int) ([]throughline.AdminAction, error) {
	return b.Service.AdminActions(ctx, limit)
}
