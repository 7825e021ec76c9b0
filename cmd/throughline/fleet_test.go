package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"throughline/internal/testwait"
	"throughline/notify/mailpittest"
	"throughline/sqlstore/storetest"
)

// server is a `throughline serve` child process.
type server struct {
	cmd    *exec.Cmd
	base   string // http://host:port
	stderr *lockedBuffer
}

// startServer starts serve on dsn with args added, and waits until it says
// where it serves and answers ready. The child is killed when the test ends.
func startServer(t *testing.T, dsn, keyFile string, args ...string) *server {
	t.Helper()
	return startServerAhead(t, 0, dsn, keyFile, args...)
}

// startServerAhead is startServer with the child's clock ahead of the wall
// clock by ahead.
func startServerAhead(t *testing.T, ahead time.Duration, dsn, keyFile string, args ...string) *server {
	t.Helper()
	// Port 0: the kernel picks a free port, and the server says which; a
	// fixed port could belong to another test's server.
	cmd := childAhead(t, ahead, append([]string{"serve", "--db", dsn, "--addr", "127.0.0.1:0"}, args...)...)
	// One pseudonym key for the fleet, as in production (the later entry wins).
	cmd.Env = append(cmd.Env, "THROUGHLINE_PSEUDONYM_KEY_FILE="+keyFile)
	srv := &server{cmd: cmd, stderr: &lockedBuffer{}}
	cmd.Stderr = srv.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(out)
	for srv.base == "" && sc.Scan() {
		if _, rest, ok := strings.Cut(sc.Text(), "serving http://"); ok {
			addr, _, _ := strings.Cut(rest, "/")
			srv.base = "http://" + addr
		}
	}
	if srv.base == "" {
		t.Fatalf("the server never said it was serving: %s", srv.stderr)
	}
	go func() {
		for sc.Scan() {
		}
	}()
	srv.waitReady(t)
	return srv
}

var tickLine = regexp.MustCompile(`msg="deadline tick" tick=(\d+)`)

// ticks are the deadline ticks a server has logged.
func (s *server) ticks() []int {
	var out []int
	for _, m := range tickLine.FindAllStringSubmatch(s.stderr.String(), -1) {
		n, _ := strconv.Atoi(m[1])
		out = append(out, n)
	}
	return out
}

// post sends an API request and returns its status and body; it may be
// called from any goroutine (an error is the status 0 and its text).
func post(url, token string, body any) (int, string) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	var out bytes.Buffer
	out.ReadFrom(resp.Body)
	return resp.StatusCode, out.String()
}

// Two real serve processes on one PostgreSQL database, as in production:
// concurrent appends to one case through both serialise (one is
// acknowledged, the other refused with 409, nothing lost); each victim
// message goes out once, whichever server's dispatcher took it; the
// deadline tick runs in one server per tick, and after the holder is
// killed the other carries it on.
func TestTwoServersOnOnePostgres(t *testing.T) {
	dsn := storetest.RequirePostgres(t) // fails under CI
	mp := mailpittest.Start(t)
	ctx := context.Background()
	s := openStore(t, dsn)
	defer s.Close()
	const cases = 12
	refs := []string{"FLEET-RACE"}
	for i := range cases {
		refs = append(refs, fmt.Sprintf("FLEET-%02d", i))
	}
	token := officerWithCases(t, s, refs...)
	keyFile := pseudonymKey(t)
	args := []string{"--smtp-addr", mp.SMTP, "--smtp-from", "Witness Care <wcu@fleet.example.gov.uk>", "--tick", "300ms", "--tick-lease", "1500ms"}
	servers := []*server{startServer(t, dsn, keyFile, args...), startServer(t, dsn, keyFile, args...)}

	// Concurrent appends to one case, one through each server, on the same
	// expected version: one is acknowledged, the other refused.
	var charge map[string]any
	json.Unmarshal([]byte(liveCharge), &charge)
	version := int64(8)
	acked := 0
	for round := 0; acked < 20; round++ {
		if round == 60 {
			t.Fatalf("only %d appends acknowledged in %d rounds", acked, round)
		}
		codes, bodies := make([]int, 2), make([]string, 2)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, srv := range servers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				codes[i], bodies[i] = post(srv.base+"/api/v1/cases/FLEET-RACE/events", token, map[string]any{"type": "callback_requested", "occurred_at": "2026-12-01",
					"data": map[string]any{"complainant_id": "C1", "when": fmt.Sprintf("round %d, server %d", round, i)}, "expected_version": version})
			}()
		}
		close(start)
		wg.Wait()
		switch {
		case codes[0] == 201 && codes[1] == 201:
			t.Fatalf("round %d: both servers acknowledged an append on version %d: a lost update", round, version)
		case codes[0] == 201 && codes[1] == 409, codes[0] == 409 && codes[1] == 201:
			acked++
			version++
		case codes[0] == 409 && codes[1] == 409:
			// Another writer (a delivery's victim_informed) came first: read on.
			c, err := s.Case(ctx, "FLEET-RACE")
			if err != nil {
				t.Fatal(err)
			}
			version = c.Version
		default:
			t.Fatalf("round %d: answers %v %q, want one 201 and one 409", round, codes, bodies)
		}
	}
	var recorded int
	s.DB().QueryRow(`SELECT count(*) FROM events WHERE case_ref = 'FLEET-RACE' AND type = 'callback_requested'`).Scan(&recorded)
	if recorded != acked {
		t.Fatalf("%d appends acknowledged, %d in the log", acked, recorded)
	}

	// A charge on each case, through alternate servers: each victim is
	// emailed once, whichever server's dispatcher takes the message.
	for i, ref := range refs[1:] {
		if code, body := post(servers[i%2].base+"/api/v1/cases/"+ref+"/events", token, map[string]any{"type": "charged", "occurred_at": charge["occurred_at"],
			"data": charge["data"], "expected_version": 8}); code != 201 {
			t.Fatalf("charge %s: %d %s", ref, code, body)
		}
	}
	var total int
	testwait.For(t, "every message to be delivered", func() bool {
		var open int
		s.DB().QueryRow(`SELECT count(*), count(*) FILTER (WHERE status <> 'delivered') FROM outbox WHERE case_ref LIKE 'FLEET-%'`).Scan(&total, &open)
		return total >= cases && open == 0
	})
	var twice int
	s.DB().QueryRow(`SELECT count(*) FROM (SELECT message_id FROM message_attempts WHERE outcome = 'sending' GROUP BY message_id HAVING count(*) > 1) x`).Scan(&twice)
	if twice > 0 {
		t.Errorf("%d messages were sent more than once", twice)
	}
	for _, ref := range refs[1:] {
		if got := mp.Search("to:" + strings.ToLower(ref) + "@example.org"); len(got) != 1 {
			t.Errorf("%s: %d emails arrived, want 1", ref, len(got))
		}
		var informed int
		s.DB().QueryRow(`SELECT count(*) FROM events WHERE case_ref = $1 AND type = 'victim_informed'`, ref).Scan(&informed)
		if informed != 1 {
			t.Errorf("%s: %d victim_informed events, want 1", ref, informed)
		}
	}

	// The deadline tick: each tick number in one server's log only.
	testwait.For(t, "ten deadline ticks", func() bool { return len(servers[0].ticks())+len(servers[1].ticks()) >= 10 })
	holder, survivor := servers[0], servers[1]
	if lastTick(survivor.ticks()) > lastTick(holder.ticks()) {
		holder, survivor = survivor, holder
	}
	holder.cmd.Process.Signal(syscall.SIGKILL)
	holder.cmd.Wait()
	last := lastTick(holder.ticks())
	testwait.For(t, "the survivor to carry the tick on", func() bool { return lastTick(survivor.ticks()) > last+3 })
	seen := map[int]int{}
	for i, srv := range servers {
		for _, n := range srv.ticks() {
			if j, dup := seen[n]; dup {
				t.Fatalf("deadline tick %d ran in server %d and in server %d", n, j, i)
			}
			seen[n] = i
		}
	}
	// A tick number is taken before the tick runs, so the holder killed
	// between the two leaves at most one unlogged; any other gap is a tick
	// claimed and never run.
	if missing := lastTick(survivor.ticks()) - len(seen); missing > 1 {
		t.Errorf("%d tick numbers were claimed and never logged: %v", missing, seen)
	}
	l, ok, err := s.LeaseOf(ctx, "deadlines")
	if err != nil || !ok || !strings.Contains(l.Holder, fmt.Sprintf("-%d-", survivor.cmd.Process.Pid)) {
		t.Fatalf("the deadlines lease after the kill: %+v %v %v; the survivor is pid %d", l, ok, err, survivor.cmd.Process.Pid)
	}
	res, err := s.Verify(ctx, nil)
	if err != nil || len(res.Problems) > 0 {
		t.Fatalf("log does not verify: %+v %v", res.Problems, err)
	}
	t.Logf("%d appends acknowledged against as many refused; %d messages delivered once each; %d ticks, the killed holder's last %d, carried on by the survivor to %d (fence %d)",
		acked, total, len(seen), last, lastTick(survivor.ticks()), l.Fence)
}

// lastTick is the highest of ticks, 0 if none.
func lastTick(xs []int) int {
	m := 0
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}
