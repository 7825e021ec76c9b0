package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"throughline/identity"
	"throughline/internal/testwait"
	"throughline/internal/validatortest"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
)

// smallDisk mounts a tmpfs of size bytes for the test and returns its
// directory, owned by owner ("" for root): a file system the test can fill
// to the last byte. Where mounting is refused (no root, or a container
// without the right) the test says so through validatortest.Missing.
func smallDisk(t *testing.T, size int, owner string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		validatortest.Missing(t, "root, to mount a small tmpfs that the disk-full test fills")
	}
	// Under /tmp itself, not t.TempDir(): the postgres user must reach it.
	dir, err := os.MkdirTemp("", "throughline-full-")
	if err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+strconv.Itoa(size)+",mode=0755", "tmpfs", dir).CombinedOutput(); err != nil {
		os.Remove(dir)
		validatortest.Missing(t, fmt.Sprintf("a tmpfs mount for the disk-full test (mount -t tmpfs: %v %s)", err, out))
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run(); os.Remove(dir) })
	if owner != "" {
		u, err := user.Lookup(owner)
		if err != nil {
			t.Fatal(err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// fill writes a ballast file into dir until the file system is full, and
// returns its path: removing it returns the space.
func fill(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "ballast")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 64<<10)
	for size := len(chunk); size > 0; {
		if _, err := f.Write(chunk[:size]); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			size /= 2 // the last few pages, to the last byte
		}
	}
	return path
}

// The disk full: a real file system filled to the last byte under a
// running server — SQLite's file on a small tmpfs; PostgreSQL's database
// in a tablespace on one (its write-ahead log stays on the cluster's own
// disk, as in a deployment whose data volume fills). Writes are refused
// with 503 and a message a person understands, never a 500 and never an
// acknowledgement of what was not kept; the same refusal from the
// command line; reading what is there keeps working (the case list, and a
// case, unless the consultation log that must record the reading cannot
// be written: then that read is refused the same way, never shown
// unrecorded); and once space returns writes are acknowledged again
// without a restart, every one acknowledged is in the log, and the log
// verifies.
func TestDiskFull(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		dir := smallDisk(t, 48<<20, "")
		t.Logf("storage: SQLite's file on a 48 MB tmpfs (mount -t tmpfs), filled by a ballast file")
		diskFull(t, "sqlite:"+filepath.Join(dir, "throughline.db"), dir)
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.RequirePostgres(t) // fails under CI
		dir := smallDisk(t, 48<<20, "postgres")
		admin, err := sql.Open("pgx", os.Getenv("THROUGHLINE_TEST_POSTGRES"))
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		u, _ := url.Parse(dsn)
		name, space := strings.TrimPrefix(u.Path, "/"), "full_"+strings.TrimPrefix(u.Path, "/tl_")
		// The tablespace must be on the machine of the cluster: a cluster
		// elsewhere cannot use this test's tmpfs.
		if _, err := admin.Exec(`CREATE TABLESPACE ` + space + ` LOCATION '` + dir + `'`); err != nil {
			validatortest.Missing(t, fmt.Sprintf("a PostgreSQL tablespace on the test's tmpfs (a cluster on this machine, as make test starts): %v", err))
		}
		t.Cleanup(func() {
			admin, err := sql.Open("pgx", os.Getenv("THROUGHLINE_TEST_POSTGRES"))
			if err != nil {
				return
			}
			defer admin.Close()
			admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
			admin.Exec(`DROP TABLESPACE IF EXISTS ` + space)
		})
		if _, err := admin.Exec(`ALTER DATABASE ` + name + ` SET TABLESPACE ` + space); err != nil {
			t.Fatal(err)
		}
		t.Logf("storage: the PostgreSQL database in a tablespace on a 48 MB tmpfs (mount -t tmpfs), filled by a ballast file")
		diskFull(t, dsn, dir)
	})
}

func diskFull(t *testing.T, dsn, dir string) {
	s := openStore(t, dsn)
	defer s.Close()
	const ref = "FULL-1"
	token := officerWithCases(t, s, ref)
	srv := startServer(t, dsn, filepath.Join(t.TempDir(), "pseudonym-key"))
	// A Witness Care officer signs in to the pages while there is room
	// (signing in writes a session).
	pages := signedInStaff(t, s, srv.base, ref)
	version := int64(8)
	acked := 0
	// recordForm sends the pages' call-back form, as a browser does.
	recordForm := func() (int, string) {
		form := url.Values{"version": {strconv.FormatInt(version, 10)}, "complainant_id": {"C1"}, "when": {fmt.Sprintf("form %d", version)},
			"occurred_at-day": {"1"}, "occurred_at-month": {"12"}, "occurred_at-year": {"2026"}}
		resp, err := pages.PostForm(srv.base+"/cases/"+ref+"/record/callback_requested", form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode == http.StatusSeeOther {
			acked++
			version++
		}
		return resp.StatusCode, string(b)
	}
	appendOne := func() (int, string) {
		code, body := post(srv.base+"/api/v1/cases/"+ref+"/events", token, map[string]any{"type": "callback_requested", "occurred_at": "2026-12-01",
			"data": map[string]any{"complainant_id": "C1", "when": fmt.Sprintf("write %d", version)}, "expected_version": version})
		if code == http.StatusCreated {
			acked++
			version++
		}
		return code, body
	}
	if code, body := appendOne(); code != http.StatusCreated {
		t.Fatalf("an append before the disk filled: %d %s", code, body)
	}
	if s.Dialect() == "sqlite" {
		// The log's committed pages into the file and the log emptied, so
		// that the next write needs new space rather than reusing the log's.
		if _, err := s.DB().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			t.Fatal(err)
		}
	}
	ballast := fill(t, dir)

	// Writes: refused with 503 and the reason, once the little space left
	// in the database's own pages is used (at most a few hundred appends).
	var code int
	var body string
	for range 500 {
		if code, body = appendOne(); code != http.StatusCreated {
			break
		}
	}
	var answer struct {
		Error struct{ Code, Message string }
	}
	json.Unmarshal([]byte(body), &answer)
	if code != http.StatusServiceUnavailable || answer.Error.Code != "unavailable" || !strings.Contains(answer.Error.Message, "out of storage space") || !strings.Contains(answer.Error.Message, "Nothing was saved") {
		t.Fatalf("an append on a full disk: %d %s, want 503 saying the database is out of storage space and nothing was saved", code, body)
	}
	t.Logf("%d appends acknowledged before the disk was full; then: %d %s", acked-1, code, answer.Error.Message)
	// A write that still fits in a page with room (PostgreSQL's free
	// space in a table's existing pages) may be acknowledged, and is kept;
	// every other is refused the same way.
	for refused := 1; refused < 5; {
		switch code, body := appendOne(); code {
		case http.StatusServiceUnavailable:
			refused++
		case http.StatusCreated:
			refused = 0
		default:
			t.Fatalf("an append on a full disk: %d %s", code, body)
		}
		if acked > 1000 {
			t.Fatal("a thousand appends acknowledged on a full disk")
		}
	}
	// The pages say the same, on the service's error page: a staff
	// member's form refused with 503, nothing saved.
	before := countCase(t, s, ref, "callback_requested")
	code, body = recordForm()
	if code != http.StatusServiceUnavailable || !strings.Contains(body, `<h1 class="govuk-heading-l">Sorry, this cannot be done just now</h1>`) ||
		!strings.Contains(body, "out of storage space") || !strings.Contains(body, "Nothing was saved") || !strings.Contains(body, "govuk-template") {
		t.Fatalf("a form sent on a full disk: %d %s, want a 503 page saying the database is out of storage space and nothing was saved", code, body)
	}
	if n := countCase(t, s, ref, "callback_requested"); n != before {
		t.Fatalf("a form refused on a full disk left %d events", n-before)
	}
	// The command line says the same.
	file := filepath.Join(t.TempDir(), "one.jsonl")
	journey, _ := os.ReadFile("../../testdata/journey.jsonl")
	os.WriteFile(file, []byte(strings.ReplaceAll(string(journey), "13RS0000101/24", "FULL-2")), 0o600)
	if c, _, errs := run(t, "", "import", "--db", dsn, "--file", file); c != 1 || !strings.Contains(errs, "out of storage space") {
		t.Errorf("import on a full disk: exit %d %q", c, errs)
	}
	// Reads.
	get := func(path string) (int, string) {
		req, _ := http.NewRequest("GET", srv.base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/api/v1/cases"); code != http.StatusOK || !strings.Contains(body, ref) {
		t.Errorf("the case list on a full disk: %d %s", code, body)
	}
	switch code, body := get("/api/v1/cases/" + ref); {
	case code == http.StatusOK:
		t.Logf("a case read on a full disk: shown (its consultation logged in the space left)")
	case code == http.StatusServiceUnavailable && strings.Contains(body, "out of storage space"):
		t.Logf("a case read on a full disk: refused, its consultation not recordable: %s", body)
	default:
		t.Errorf("a case read on a full disk: %d %s", code, body)
	}
	if code, body := get("/readyz"); code != http.StatusOK {
		t.Errorf("/readyz on a full disk: %d %s (reads still work: the server stays in the pool)", code, body)
	}

	// Space returns: writes are acknowledged again, without a restart.
	if err := os.Remove(ballast); err != nil {
		t.Fatal(err)
	}
	testwait.For(t, "an append acknowledged once space returned", func() bool {
		c, b := appendOne()
		if c != http.StatusCreated && c != http.StatusServiceUnavailable {
			t.Fatalf("an append as space returned: %d %s", c, b)
		}
		return c == http.StatusCreated
	})
	for range 5 {
		if code, body := appendOne(); code != http.StatusCreated {
			t.Fatalf("an append after space returned: %d %s", code, body)
		}
	}
	// The same form, sent again, is saved.
	if code, body := recordForm(); code != http.StatusSeeOther {
		t.Fatalf("the form sent again after space returned: %d %s", code, body)
	}
	srv.kill()
	if n := countCase(t, s, ref, "callback_requested"); n != acked {
		t.Errorf("%d appends acknowledged, %d in the log: refused writes must leave nothing, acknowledged ones must stay", acked, n)
	}
	if c, out, errs := run(t, "", "audit", "verify", "--db", dsn); c != 0 {
		t.Errorf("audit verify after the disk was full: %d %s %s", c, out, errs)
	}
}

// signedInStaff makes a Witness Care officer with a password and an
// authenticator on case ref's team, and signs them in to the pages of the
// server at base: the client keeps the session's cookie and does not
// follow redirects.
func signedInStaff(t *testing.T, s *sqlstore.Store, base, ref string) *http.Client {
	t.Helper()
	ctx := context.Background()
	id := identity.New(s, s.Now)
	u, _, err := id.AddUser(ctx, "Gwen Price", "witness_care", "wcu:13")
	if err != nil {
		t.Fatal(err)
	}
	const login, password = "gwen@example.gov.uk", "a long enough passphrase for gwen"
	if err := id.SetPassword(ctx, u.ID, login, password); err != nil {
		t.Fatal(err)
	}
	secret, err := identity.NewTOTPSecret()
	if err != nil {
		t.Fatal(err)
	}
	if err := id.EnrolTOTP(ctx, u.ID, secret, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCaseMember(ctx, "test", ref, "user", u.ID, true); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, step := range []struct {
		path string
		form url.Values
	}{
		{"/sign-in", url.Values{"login": {login}, "password": {password}}},
		// The server runs on the wall clock: the code is this moment's.
		{"/sign-in/code", url.Values{"code": {identity.TOTP(secret, time.Now())}}},
	} {
		resp, err := c.PostForm(base+step.path, step.form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in to the pages, %s: %d", step.path, resp.StatusCode)
		}
	}
	return c
}
