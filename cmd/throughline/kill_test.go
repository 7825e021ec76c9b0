package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"throughline/wire"
	"time"

	"throughline"
	"throughline/identity"
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

// Appends acknowledged by the API survive the server being killed, and the
// log verifies afterwards.
func TestKilledServerLosesNoAcknowledgedEvent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := openStore(t, dsn)
		_, token, err := identity.New(s, s.Now).AddUser(context.Background(), "Priya Shah", "officer", "police:13")
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		lines := journeyLines(t)
		// The officer appends the journey as far as the police record it
		// (throughline.Recorders: the CPS records the charging decision).
		officer := throughline.User{Role: throughline.RoleOfficer, Agency: "police:13"}
		for i, l := range lines {
			if !throughline.MayRecord(officer, l.Event.Type) {
				lines = lines[:i]
				break
			}
		}
		r := rand.New(rand.NewPCG(3, 4))
		type ack struct {
			ref     string
			version int64
		}
		var acked []ack
		for round := range 3 {
			// Port 0: the kernel picks a free port, and the server says
			// which; a fixed port could belong to another test's server.
			cmd := child(t, "serve", "--db", dsn, "--addr", "127.0.0.1:0")
			out, _ := cmd.StdoutPipe()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(out)
			addr := ""
			for addr == "" && sc.Scan() {
				if _, rest, ok := strings.Cut(sc.Text(), "serving http://"); ok {
					addr, _, _ = strings.Cut(rest, "/")
				}
			}
			if addr == "" {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("round %d: the server never said it was serving", round)
			}
			go func() {
				for sc.Scan() {
				}
			}()
			// Kill after a random number of acknowledged appends in this
			// round: once writes are flowing, however slow the machine is
			// today, and without waiting on the clock.
			var mu sync.Mutex
			var wg sync.WaitGroup
			stop := make(chan struct{})
			killAt := len(acked) + 1 + r.IntN(300)
			reached := make(chan struct{})
			var reachedOnce sync.Once
			for w := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for j := 0; ; j++ {
						ref := fmt.Sprintf("13K%d-%d-%d", round, w, j) // force 13's numbering
						for i, l := range lines {
							select {
							case <-stop:
								return
							default:
							}
							var body []byte
							path := "/api/v1/cases/" + ref + "/events"
							wire, _ := l.Event.MarshalJSON()
							var ev map[string]any
							json.Unmarshal(wire, &ev)
							if i == 0 {
								path = "/api/v1/cases"
								body, _ = json.Marshal(map[string]any{"ref": ref, "occurred_at": ev["occurred_at"], "data": ev["data"]})
							} else {
								body, _ = json.Marshal(map[string]any{"type": ev["type"], "occurred_at": ev["occurred_at"], "data": ev["data"], "expected_version": i})
							}
							req, _ := http.NewRequest("POST", "http://"+addr+path, bytes.NewReader(body))
							req.Header.Set("Authorization", "Bearer "+token)
							req.Header.Set("Content-Type", "application/json")
							resp, err := http.DefaultClient.Do(req)
							if err != nil {
								return // the server is gone
							}
							resp.Body.Close()
							if resp.StatusCode != http.StatusCreated {
								t.Errorf("%s line %d: %s", ref, l.No, resp.Status)
								return
							}
							mu.Lock()
							acked = append(acked, ack{ref, int64(i + 1)})
							if len(acked) >= killAt {
								reachedOnce.Do(func() { close(reached) })
							}
							mu.Unlock()
						}
					}
				}()
			}
			writersDone := make(chan struct{})
			go func() { wg.Wait(); close(writersDone) }()
			select {
			case <-reached:
			case <-writersDone: // every writer stopped on an error: reported above
			}
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()
			close(stop)
			<-writersDone
		}
		if len(acked) == 0 {
			t.Fatal("no append was acknowledged before the kills")
		}
		s = openStore(t, dsn)
		defer s.Close()
		for _, a := range acked {
			c, err := s.Case(context.Background(), a.ref)
			if err != nil || c.Version < a.version {
				t.Fatalf("acknowledged %s version %d is lost (%v)", a.ref, a.version, err)
			}
		}
		res, err := s.Verify(context.Background(), nil)
		if err != nil || len(res.Problems) > 0 {
			t.Fatalf("log does not verify after kills: %+v %v", res.Problems, err)
		}
		t.Logf("%d acknowledged appends, all present after 3 kills", len(acked))
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
