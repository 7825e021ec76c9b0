package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"throughline/wire"
	"time"

	"throughline"
	"throughline/jsonl"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
	"throughline/synth"
)

// TestMain lets the test binary act as the throughline command, so the
// crash tests can kill a real process without building one. A child given
// THROUGHLINE_TEST_CLOCK_AHEAD runs with its clock that far ahead of the
// wall clock: a test moves a child's time on (past the leases a killed one
// left) instead of waiting for real time to pass.
func TestMain(m *testing.M) {
	if os.Getenv("THROUGHLINE_AS_MAIN") == "1" {
		ahead, err := time.ParseDuration(os.Getenv("THROUGHLINE_TEST_CLOCK_AHEAD"))
		if err != nil && os.Getenv("THROUGHLINE_TEST_CLOCK_AHEAD") != "" {
			fmt.Fprintln(os.Stderr, "THROUGHLINE_TEST_CLOCK_AHEAD:", err)
			os.Exit(2)
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		cmd := &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Now: func() time.Time { return time.Now().Add(ahead) }, Getenv: os.Getenv}
		code := cmd.Run(ctx, os.Args[1:])
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

func child(t *testing.T, args ...string) *exec.Cmd {
	return childAhead(t, 0, args...)
}

// childAhead is a child whose clock runs ahead of the wall clock by ahead.
func childAhead(t *testing.T, ahead time.Duration, args ...string) *exec.Cmd {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), "THROUGHLINE_AS_MAIN=1", "THROUGHLINE_TEST_CLOCK_AHEAD="+ahead.String(),
		"THROUGHLINE_PSEUDONYM_KEY_FILE="+filepath.Join(t.TempDir(), "pseudonym-key"))
	return cmd
}

// An import killed at any moment writes all of its file or none of it, and
// the log still verifies.
func TestKilledImportIsAllOrNothing(t *testing.T) {
	file := filepath.Join(t.TempDir(), "big.jsonl")
	f, _ := os.Create(file)
	w := jsonl.NewWriter(f)
	total := 0
	synth.Generate(synth.Options{Cases: 4000, Seed: 11, FromYear: 2020, ToYear: 2026, Now: testNow}, func(evs []throughline.Event) error {
		for _, e := range evs {
			w.Write(e)
			total++
		}
		return nil
	})
	w.Flush()
	f.Close()
	storetest.Each(t, func(t *testing.T, dsn string) {
		r := rand.New(rand.NewPCG(1, 2))
		killed := 0
		for round := range 4 {
			cmd := child(t, "import", "--db", dsn, "--file", file)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// The kill comes at a random moment: this sleep picks the
			// moment; nothing asserted depends on how long it was (an
			// import that ended before the kill must hold all of the file).
			time.Sleep(time.Duration(50+r.IntN(600)) * time.Millisecond)
			cmd.Process.Signal(syscall.SIGKILL)
			if err := cmd.Wait(); err != nil {
				killed++
			}
			s := openStore(t, dsn)
			n := countEvents(t, s)
			res, err := s.Verify(context.Background(), nil)
			s.Close()
			if err != nil || len(res.Problems) > 0 {
				t.Fatalf("round %d: log does not verify after kill: %+v %v", round, res.Problems, err)
			}
			if n%total != 0 {
				t.Fatalf("round %d: %d events in the log, not a multiple of the file's %d: a partial import", round, n, total)
			}
			if n > 0 {
				return // one import got through; later ones would refuse its cases
			}
		}
		t.Logf("%d of the imports were killed part-way", killed)
		// And one left to finish writes the whole file.
		if out, err := child(t, "import", "--db", dsn, "--file", file).CombinedOutput(); err != nil {
			t.Fatalf("import: %v %s", err, out)
		}
		s := openStore(t, dsn)
		defer s.Close()
		if n := countEvents(t, s); n != total {
			t.Fatalf("%d events after a full import, want %d", n, total)
		}
	})
}

func openStore(t *testing.T, dsn string) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), dsn, wire.Rules())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func countEvents(t *testing.T, s *sqlstore.Store) int {
	var n int
	if err := s.DB().QueryRow(`SELECT count(*) FROM events`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
