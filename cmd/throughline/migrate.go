package main

import (
	"context"
	"fmt"
)

func init() {
	register("migrate", "create or upgrade the database schema", runMigrate)
}

func runMigrate(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("migrate", "migrate [--db DSN]")
	db := m.dbFlag(fs)
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	s, err := m.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Fprintln(m.Stdout, "database is up to date")
	return nil
}
