package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"throughline/sqlstore"
	"throughline/synth"
	"throughline/web"
)

func init() {
	register("serve", "serve the API and web pages", runServe)
}

func runServe(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("serve", "serve [--addr 127.0.0.1:8080] [--db DSN] [--demo]")
	db := dbFlag(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	demo := fs.Bool("demo", false, "on an empty database, generate demo cases; print demo sign-ins")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	s, err := m.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	logger := slog.New(slog.NewTextHandler(m.Stderr, nil))
	if *demo {
		if err := m.seedDemo(ctx, s); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           (&web.Server{Store: s, Logger: logger, Now: m.Now}).Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	go watchDeadlines(ctx, s, logger, m.Now, time.Minute)
	fmt.Fprintf(m.Stdout, "Throughline is serving http://%s/ (database %s)\n", ln.Addr(), *db)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// demoUsers are the people the demo signs in as.
var demoUsers = []struct{ name, role, agency string }{
	{"Priya Shah (DC, West Yorkshire Police)", "officer", "police:13"},
	{"Tom Hughes (DS, West Yorkshire Police)", "police_supervisor", "police:13"},
	{"Ruth Adeyemi (Crown Prosecutor, CPS Yorkshire and Humberside)", "prosecutor", "cps:yorkshire_humberside"},
	{"Gwen Price (Witness Care Officer, West Yorkshire)", "witness_care", "wcu:13"},
	{"Sam Okoro (HM Inspector)", "inspector", "inspectorate"},
}

// seedDemo generates demo cases into an empty database and issues fresh
// API tokens for the demo users, printing them.
func (m *Main) seedDemo(ctx context.Context, s *sqlstore.Store) error {
	existing, err := s.Cases(ctx, sqlstore.CaseFilter{Limit: 1})
	if err != nil {
		return err
	}
	if len(existing) == 0 {
		now := m.Now()
		fmt.Fprintln(m.Stdout, "Generating demo cases (synthetic; no real person)…")
		n, events, err := generateInto(ctx, s, synth.Options{Cases: 20000, Seed: 2022, FromYear: now.Year() - 4, ToYear: now.Year(), Now: now}, func(int64) {})
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "Generated %d demo cases (%d events).\n", n, events)
	}
	fmt.Fprintln(m.Stdout, "Demo sign-ins (API tokens, new each start):")
	for _, u := range demoUsers {
		_, token, err := s.DemoUser(ctx, u.name, u.role, u.agency)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "  %-18s %-60s %s\n", u.role, u.name, token)
	}
	return nil
}
