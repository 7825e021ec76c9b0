package main

import (
	"context"
	"flag"
	"throughline/wire"

	"throughline/sqlstore"
)

// defaultDB is the embedded database every subcommand uses unless told otherwise.
const defaultDB = "sqlite:throughline.db"

func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", defaultDB, "database: sqlite:PATH or postgres://user@host/db")
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
