package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"throughline/identity"
	"throughline/internal/testwait"
	"throughline/sqlstore"
)

// The load the crash and fault tests put on real serve processes, shared
// by them: a pseudonym key for a fleet, the wait for a server to be ready,
// and writers that append through the API and count what was
// acknowledged.

// pseudonymKey writes a pseudonym key file for serve processes to share,
// as a fleet shares one in production.
func pseudonymKey(t *testing.T) string {
	t.Helper()
	key := make([]byte, 32)
	rand.Read(key)
	file := filepath.Join(t.TempDir(), "pseudonym-key")
	if err := os.WriteFile(file, []byte(base64.StdEncoding.EncodeToString(key)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// victimAddress is where the victim of a case the load tests import is
// emailed (importHistory's address).
func victimAddress(ref string) string { return strings.ToLower(ref) + "@example.org" }

// officerWithCases adds an officer of West Yorkshire Police and, for each
// of refs, imports the journey up to the charging decision with her on the
// case's team and its victim at victimAddress. It returns her API token.
func officerWithCases(t *testing.T, s *sqlstore.Store, refs ...string) string {
	t.Helper()
	ctx := context.Background()
	officer, token, err := identity.New(s, s.Now).AddUser(ctx, "Priya Shah", "officer", "police:13")
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range refs {
		importHistory(t, s, ref, "en", victimAddress(ref))
		if err := s.SetCaseMember(ctx, "test", ref, "user", officer.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	return token
}

// waitReady waits until the server answers /readyz with 200: its
// database answers, its migrations are current and its dispatcher runs.
func (s *server) waitReady(t *testing.T) {
	t.Helper()
	testwait.For(t, s.base+" to be ready", func() bool {
		resp, err := http.Get(s.base + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

// kill kills the server as a crash would (SIGKILL) and waits for it to end.
func (s *server) kill() {
	s.cmd.Process.Kill()
	s.cmd.Wait()
}

// appender appends callback_requested events to one case through the API
// as fast as they are answered, counting the appends acknowledged (201)
// and those whose outcome it cannot know (no answer, or a 5xx: the write
// may have committed as the server or its database went away). Every
// acknowledged append must be in the log, and no more than those plus the
// unknown ones.
type appender struct {
	ref, token string
	acked      atomic.Int64
	unknown    atomic.Int64
	// unexpected holds the first answer that is neither an acknowledgement,
	// an error of a server or database away, nor a conflict after one.
	unexpected atomic.Value
}

// run appends through the server at base until stop is closed, calling
// acked after each acknowledgement. It reads the case's version first, so
// that a run after a crash carries on from whatever the log holds.
func (a *appender) run(base string, stop <-chan struct{}, acked func()) {
	version := caseVersion(base, a.token, a.ref, -1)
	for n := 0; ; n++ {
		select {
		case <-stop:
			return
		default:
		}
		if version < 0 {
			if version = caseVersion(base, a.token, a.ref, -1); version < 0 {
				continue // the server is away: no write was tried
			}
		}
		code, body := post(base+"/api/v1/cases/"+a.ref+"/events", a.token, map[string]any{"type": "callback_requested", "occurred_at": "2026-12-01",
			"data": map[string]any{"complainant_id": "C1", "when": fmt.Sprintf("write %d", n)}, "expected_version": version})
		switch {
		case code == http.StatusCreated:
			a.acked.Add(1)
			version++
			if acked != nil {
				acked()
			}
		case code >= 500 || code == 0:
			// An error, never an acknowledgement; the write may still have
			// committed, so the case is read again before the next.
			a.unknown.Add(1)
			version = caseVersion(base, a.token, a.ref, -1)
		case code == http.StatusConflict:
			// After an unknown outcome: the write had committed.
			version = caseVersion(base, a.token, a.ref, -1)
		default:
			a.unexpected.CompareAndSwap(nil, fmt.Sprintf("%d %s", code, body))
		}
	}
}

// check fails the test unless the log holds every acknowledged append of
// the case and no more than those and the unknown ones. It returns how
// many the log holds.
func (a *appender) check(t *testing.T, s *sqlstore.Store) int64 {
	t.Helper()
	if u := a.unexpected.Load(); u != nil {
		t.Errorf("%s: an answer that is neither an acknowledgement nor an error of a server or database away: %v", a.ref, u)
	}
	var n int64
	if err := s.DB().QueryRow(`SELECT count(*) FROM events WHERE case_ref = '` + a.ref + `' AND type = 'callback_requested'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	acked, unknown := a.acked.Load(), a.unknown.Load()
	if n < acked || n > acked+unknown {
		t.Errorf("%s: %d appends acknowledged, %d errors, %d in the log: an acknowledged append is lost or an unanswered one doubled", a.ref, acked, unknown, n)
	}
	return n
}
