package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"throughline/identity"
	"throughline/internal/validatortest"
)

// PostgreSQL restarted under load: two serve processes with writers
// appending through their API keep every write they acknowledged, answer
// errors — never a false acknowledgement — while the database is away, and
// recover by themselves, the log still verifying. The cluster is the
// test's own, started and restarted with pg_ctl as the postgres user
// (scripts/postgres.sh), so no other test's database goes away.
func TestPostgresRestartedUnderLoad(t *testing.T) {
	if _, err := exec.LookPath("runuser"); err != nil || os.Geteuid() != 0 {
		validatortest.Missing(t, "root and runuser, to run a PostgreSQL cluster of the test's own as the postgres user")
	}
	// Under /tmp itself, not t.TempDir(): the postgres user must be able to
	// reach it.
	dir, err := os.MkdirTemp("", "throughline-chaos-pg-")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("bash", "../../scripts/postgres.sh", "start", dir).Output()
	if err != nil {
		validatortest.Missing(t, fmt.Sprintf("a PostgreSQL cluster of the test's own (scripts/postgres.sh: %v)", err))
	}
	t.Cleanup(func() { exec.Command("bash", "../../scripts/postgres.sh", "stop", dir).Run() })
	dsn := strings.TrimSpace(string(out))

	ctx := context.Background()
	s := openStore(t, dsn)
	officer, token, err := identity.New(s, s.Now).AddUser(ctx, "Priya Shah", "officer", "police:13")
	if err != nil {
		t.Fatal(err)
	}
	const writers = 4
	for w := range writers {
		ref := fmt.Sprintf("CHAOS-%d", w)
		importHistory(t, s, ref, "en", strings.ToLower(ref)+"@example.org")
		if err := s.SetCaseMember(ctx, "test", ref, "user", officer.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	key := make([]byte, 32)
	rand.Read(key)
	keyFile := filepath.Join(t.TempDir(), "pseudonym-key")
	os.WriteFile(keyFile, []byte(base64.StdEncoding.EncodeToString(key)+"\n"), 0o600)
	servers := []*server{startServer(t, dsn, keyFile), startServer(t, dsn, keyFile)}

	// Writers append to a case each, as fast as they are answered.
	var acked, refused [writers]atomic.Int64
	var others sync.Map // unexpected answers: status → body
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ref, srv := fmt.Sprintf("CHAOS-%d", w), servers[w%len(servers)]
			version := int64(8) // importHistory's events
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				code, body := post(srv.base+"/api/v1/cases/"+ref+"/events", token, map[string]any{"type": "callback_requested", "occurred_at": "2026-12-01",
					"data": map[string]any{"complainant_id": "C1", "when": fmt.Sprintf("write %d", n)}, "expected_version": version})
				switch {
				case code == http.StatusCreated:
					acked[w].Add(1)
					version++
				case code >= 500 || code == 0:
					// The database away: an error, never an acknowledgement.
					// The write may still have committed as the connection
					// broke, so the writer reads the case again.
					refused[w].Add(1)
					version = caseVersion(srv.base, token, ref, version)
				case code == http.StatusConflict:
					// After an unknown outcome: the write had committed.
					version = caseVersion(srv.base, token, ref, version)
				default:
					others.Store(code, body)
				}
			}
		}()
	}
	total := func() (n int64) {
		for w := range writers {
			n += acked[w].Load()
		}
		return n
	}
	unexpected := func() {
		others.Range(func(k, v any) bool {
			t.Errorf("an answer that is neither an acknowledgement nor an error of the database away: %v %v", k, v)
			return true
		})
	}
	t.Cleanup(unexpected)
	waitFor(t, "40 acknowledged writes before the restart", func() bool { return total() >= 40 })

	bin, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(bin) == 0 {
		t.Fatal("pg_ctl not found")
	}
	before := total()
	// Immediate: the server stops as a crash would, and every connection
	// breaks. Its output goes to a file: the restarted server keeps what
	// it is given open, so a pipe would never close.
	restart := exec.Command("runuser", "-u", "postgres", "--", bin[len(bin)-1], "-D", filepath.Join(dir, "data"), "-l", filepath.Join(dir, "log"), "-m", "immediate", "-w", "restart")
	logf, err := os.Create(filepath.Join(t.TempDir(), "pg_ctl.out"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	restart.Stdout, restart.Stderr = logf, logf
	if err := restart.Run(); err != nil {
		b, _ := os.ReadFile(logf.Name())
		t.Fatalf("pg_ctl restart: %v\n%s", err, b)
	}
	// The server recovers by itself: writes are acknowledged again.
	waitFor(t, "40 acknowledged writes after the restart", func() bool { return total() >= before+40 })
	close(stop)
	wg.Wait()

	s = openStore(t, dsn)
	defer s.Close()
	var errors int64
	for w := range writers {
		var n int64
		if err := s.DB().QueryRow(fmt.Sprintf(`SELECT count(*) FROM events WHERE case_ref = 'CHAOS-%d' AND type = 'callback_requested'`, w)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		a, r := acked[w].Load(), refused[w].Load()
		errors += r
		// Every acknowledged write is in the log; a write the database
		// committed as its connection broke may be there unacknowledged,
		// never more than the errors answered.
		if n < a || n > a+r {
			t.Errorf("CHAOS-%d: %d writes acknowledged, %d errors, %d in the log", w, a, r, n)
		}
	}
	t.Logf("%d writes acknowledged, %d answered with an error while PostgreSQL restarted", total(), errors)
	for _, srv := range servers {
		if resp, err := http.Get(srv.base + "/readyz"); err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("%s not ready after the restart: %v %v", srv.base, resp, err)
		}
	}
	if code, out, errs := run(t, "", "audit", "verify", "--db", dsn); code != 0 {
		t.Errorf("audit verify after the restart: %d %s %s", code, out, errs)
	}
}

// caseVersion reads a case's version through the API; was when it cannot.
func caseVersion(base, token, ref string, was int64) int64 {
	req, _ := http.NewRequest("GET", base+"/api/v1/cases/"+ref, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return was
	}
	defer resp.Body.Close()
	var c struct {
		Version int64 `json:"version"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&c) != nil {
		return was
	}
	return c.Version
}
