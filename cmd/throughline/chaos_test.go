package main

import (
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

	"throughline/internal/testwait"
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

	s := openStore(t, dsn)
	const writers = 4
	token := officerWithCases(t, s, "CHAOS-0", "CHAOS-1", "CHAOS-2", "CHAOS-3")
	s.Close()
	keyFile := pseudonymKey(t)
	servers := []*server{startServer(t, dsn, keyFile), startServer(t, dsn, keyFile)}

	// Writers append to a case each, as fast as they are answered.
	appenders := make([]*appender, writers)
	var total atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range appenders {
		appenders[w] = &appender{ref: fmt.Sprintf("CHAOS-%d", w), token: token}
		wg.Add(1)
		go func() {
			defer wg.Done()
			appenders[w].run(servers[w%len(servers)].base, stop, func() { total.Add(1) })
		}()
	}
	testwait.For(t, "40 acknowledged writes before the restart", func() bool { return total.Load() >= 40 })

	bin, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(bin) == 0 {
		t.Fatal("pg_ctl not found")
	}
	before := total.Load()
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
	testwait.For(t, "40 acknowledged writes after the restart", func() bool { return total.Load() >= before+40 })
	close(stop)
	wg.Wait()

	s = openStore(t, dsn)
	defer s.Close()
	var errors int64
	for _, a := range appenders {
		a.check(t, s)
		errors += a.unknown.Load()
	}
	t.Logf("%d writes acknowledged, %d answered with an error while PostgreSQL restarted", total.Load(), errors)
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
