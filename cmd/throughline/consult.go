package main

import (
	"context"
	"fmt"
	"os/user"
	"throughline"

	"throughline/sqlstore"
)

// logConsultation writes the consultation log entries for personal data the
// command is about to print, before it prints it (DPA 2018 s.62): the
// command line has no staff sign-in, so the entry names the operating-system
// account and the purpose the operator gave.
func (m *Main) logConsultation(ctx context.Context, s *sqlstore.Store, refs []string, parts []string, channel, target, purpose string) error {
	who := m.operator()
	cs := make([]throughline.Consultation, len(refs))
	for i, ref := range refs {
		cs[i] = throughline.Consultation{UserID: "cli:" + who, UserName: who + " (command line)", Role: "operator", Agency: "system",
			CaseRef: ref, Parts: parts, Purpose: purpose, Basis: "database access", Channel: channel, Target: target}
	}
	if err := s.LogConsultations(ctx, cs...); err != nil {
		return fmt.Errorf("consultation log: %w (nothing was shown)", err)
	}
	return nil
}

// operator is the operating-system account running the command.
func (m *Main) operator() string {
	who := m.Getenv("USER")
	if u, err := user.Current(); err == nil && who == "" {
		who = u.Username
	}
	if who == "" {
		who = "unknown"
	}
	return who
}
