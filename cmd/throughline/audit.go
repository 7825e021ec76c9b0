package main

import (
	"context"
	"fmt"

	"throughline/progress"
)

func init() {
	register("audit", "audit verify: check the event log's hash chains", runAudit)
}

func runAudit(ctx context.Context, m *Main, args []string) error {
	rest, err := m.sub(args, "verify", "audit verify [--db DSN]")
	if err != nil {
		return err
	}
	fs := m.flags("audit verify", "audit verify [--db DSN]")
	db := dbFlag(fs)
	if err := parse(fs, rest, 0); err != nil {
		return err
	}
	s, err := m.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	bar := progress.New(m.Stderr, "verifying events", 0)
	res, err := s.Verify(ctx, bar.Add)
	bar.Finish()
	if err != nil {
		return err
	}
	if len(res.Problems) > 0 {
		fmt.Fprintf(m.Stdout, "FAILED: %d case(s) broken; first: %s\n", len(res.Problems), res.Problems[0])
		for _, p := range res.Problems[1:] {
			fmt.Fprintf(m.Stdout, "  %s\n", p)
		}
		return fmt.Errorf("the event log does not verify")
	}
	fmt.Fprintf(m.Stdout, "ok: %d events in %d cases verified\n", res.Events, res.Cases)
	return nil
}
