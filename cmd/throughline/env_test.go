package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"throughline/internal/testwait"
)

// lockedBuffer is a buffer a running command writes while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// envMain is a Main whose environment is env.
func envMain(env map[string]string) (*Main, *lockedBuffer, *lockedBuffer) {
	out, errb := &lockedBuffer{}, &lockedBuffer{}
	return &Main{Stdin: strings.NewReader(""), Stdout: out, Stderr: errb, Now: func() time.Time { return testNow },
		Getenv: func(k string) string { return env[k] }}, out, errb
}

// THROUGHLINE_DB is every command's --db default; the flag wins.
func TestDatabaseFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	m, _, errb := envMain(map[string]string{"THROUGHLINE_DB": "sqlite:" + filepath.Join(dir, "env.db")})
	if code := m.Run(context.Background(), []string{"migrate"}); code != 0 {
		t.Fatalf("migrate: exit %d: %s", code, errb)
	}
	if _, err := os.Stat(filepath.Join(dir, "env.db")); err != nil {
		t.Errorf("THROUGHLINE_DB not used: %v", err)
	}
	other := t.TempDir()
	m, _, errb = envMain(map[string]string{"THROUGHLINE_DB": "sqlite:" + filepath.Join(other, "env.db")})
	if code := m.Run(context.Background(), []string{"migrate", "--db", "sqlite:" + filepath.Join(other, "flag.db")}); code != 0 {
		t.Fatalf("migrate --db: exit %d: %s", code, errb)
	}
	if _, err := os.Stat(filepath.Join(other, "env.db")); err == nil {
		t.Error("THROUGHLINE_DB used although --db was given")
	}
}

// serve takes its addresses from THROUGHLINE_ADDR and
// THROUGHLINE_METRICS_ADDR (a flag wins), and answers /healthz, /readyz
// and, on the metrics address, /metrics, with a request id on every answer.
func TestServeFromEnvironment(t *testing.T) {
	m, out, errb := envMain(map[string]string{
		"THROUGHLINE_DB":           "sqlite:" + filepath.Join(t.TempDir(), "serve.db"),
		"THROUGHLINE_ADDR":         "127.0.0.1:-1", // refused: --addr must win
		"THROUGHLINE_METRICS_ADDR": "127.0.0.1:0",
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- m.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}) }()
	defer func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve: exit %d: %s", code, errb)
		}
	}()
	site := regexp.MustCompile(`serving (http://[^/]+)/`)
	metricsAt := regexp.MustCompile(`Metrics at (http://[^/]+)/metrics`)
	base := waitForLine(t, out, errb, done, site)[1]
	mm := metricsAt.FindStringSubmatch(out.String())
	if mm == nil {
		t.Fatalf("no metrics address from THROUGHLINE_METRICS_ADDR: %s", out)
	}
	fetch := func(url string) (int, string, http.Header) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header
	}
	if code, body, h := fetch(base + "/healthz"); code != 200 || body != "ok\n" || h.Get("X-Request-Id") == "" {
		t.Errorf("/healthz: %d %q, request id %q", code, body, h.Get("X-Request-Id"))
	}
	if code, body, _ := fetch(base + "/readyz"); code != 200 || body != "ready\n" {
		t.Errorf("/readyz: %d %q", code, body)
	}
	if code, body, _ := fetch(mm[1] + "/metrics"); code != 200 || !strings.Contains(body, `route="GET /readyz"`) || !strings.Contains(body, "throughline_outbox_queued 0") {
		t.Errorf("/metrics: %d\n%s", code, body)
	}
	if code, _, _ := fetch(base + "/metrics"); code != 404 {
		t.Errorf("/metrics on the site's address: %d, want 404", code)
	}
}

// serve refuses a log format it does not know.
func TestServeLogFormat(t *testing.T) {
	m, _, errb := envMain(nil)
	if code := m.Run(context.Background(), []string{"serve", "--log-format", "xml"}); code != 2 || !strings.Contains(errb.String(), "--log-format is text or json") {
		t.Errorf("--log-format xml: exit %d: %s", code, errb)
	}
}

// serve takes its tick from THROUGHLINE_TICK, refuses one it cannot read,
// and refuses a lease no longer than the tick: the holder would lose it
// between renewals.
func TestServeTickFlags(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"THROUGHLINE_TICK": "often"}, nil, "$THROUGHLINE_TICK: time: invalid duration"},
		{nil, []string{"--tick", "1m", "--tick-lease", "30s"}, "--tick-lease longer than it, not 1m0s and 30s"},
		{map[string]string{"THROUGHLINE_TICK": "2m", "THROUGHLINE_TICK_LEASE": "1m"}, nil, "not 2m0s and 1m0s"},
		{nil, []string{"--tick", "0s"}, "--tick must be positive"},
	} {
		m, _, errb := envMain(tc.env)
		if code := m.Run(context.Background(), append([]string{"serve"}, tc.args...)); code != 2 || !strings.Contains(errb.String(), tc.want) {
			t.Errorf("%v %v: exit %d: %s, want %q", tc.env, tc.args, code, errb, tc.want)
		}
	}
}

// waitForLine waits until a running serve has written a line matching re,
// and returns re's submatches; it fails the test if serve ends first.
func waitForLine(t *testing.T, out, errb *lockedBuffer, done chan int, re *regexp.Regexp) []string {
	t.Helper()
	near := testwait.Deadline(t)
	for !re.MatchString(out.String()) {
		select {
		case code := <-done:
			done <- code
			t.Fatalf("serve ended: exit %d: %s", code, errb)
		case <-near:
			t.Fatalf("serve never wrote %s as the test run's time ran out: %s %s", re, out, errb)
		case <-time.After(20 * time.Millisecond):
		}
	}
	return re.FindStringSubmatch(out.String())
}

// Secrets come from files or the environment, never from flags: a flag's
// value is in the process list for every user of the machine.
func TestSecretsFromFilesOrEnvironment(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "notify.key")
	os.WriteFile(key, []byte(" file-key \n"), 0o600)
	m, _, _ := envMain(map[string]string{"THROUGHLINE_NOTIFY_KEY": "env-key"})
	for _, c := range []struct{ file, want string }{{"", "env-key"}, {key, "file-key"}} {
		if got, err := secret(m, c.file, "THROUGHLINE_NOTIFY_KEY"); err != nil || got != c.want {
			t.Errorf("secret(%q): %q %v, want %q", c.file, got, err, c.want)
		}
	}
	if _, err := secret(m, filepath.Join(dir, "missing"), "THROUGHLINE_NOTIFY_KEY"); err == nil {
		t.Error("a missing secret file is not an error")
	}
	if code, _, errs := run(t, "", "serve", "--notify-key", "abc"); code != 2 || !strings.Contains(errs, "notify-key") {
		t.Errorf("a key on the command line: exit %d %q", code, errs)
	}
}
