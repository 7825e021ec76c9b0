package main

import (
	"context"
	"flag"
	"throughline/wire"
	"time"

	"throughline/sqlstore"
)

// defaultDB is the embedded database every subcommand uses unless told otherwise.
const defaultDB = "sqlite:throughline.db"

// dbFlag is every subcommand's --db, defaulting to $THROUGHLINE_DB when
// set: the flag, when given, wins.
func (m *Main) dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", m.env("THROUGHLINE_DB", defaultDB), "database: sqlite:PATH or postgres://user@host/db (default from $THROUGHLINE_DB when set)")
}

// env is the environment variable name's value, or def when it is unset
// or empty (or Main has no Getenv).
func (m *Main) env(name, def string) string {
	if m.Getenv != nil {
		if v := m.Getenv(name); v != "" {
			return v
		}
	}
	return def
}

// envDuration is the duration in environment variable name, or def when it
// is unset: the default of a duration flag.
func (m *Main) envDuration(name string, def time.Duration) (time.Duration, error) {
	v := m.env(name, "")
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, usagef("$%s: %v", name, err)
	}
	return d, nil
}

// openStore opens and migrates the store, on the Main's clock.
func (m *Main) openStore(ctx context.Context, dsn string) (*sqlstore.Store, error) {
	s, err := sqlstore.Open(ctx, dsn, wire.Rules())
	if err != nil {
		return nil, err
	}
	s.Now = m.Now
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}
