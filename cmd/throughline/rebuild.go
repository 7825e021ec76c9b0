package main

import (
	"context"
	"fmt"

	"throughline/progress"
)

func init() {
	register("rebuild", "regenerate every projection from the event log", runRebuild)
}

func runRebuild(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("rebuild", "rebuild [--db DSN]")
	db := m.dbFlag(fs)
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	s, err := m.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	bar := progress.New(m.Stderr, "rebuilding cases", 0)
	n, err := s.Rebuild(ctx, bar.Add)
	bar.Finish()
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "rebuilt the projections of %d cases\n", n)
	return nil
}
