// Package mailpittest starts a real SMTP server for tests: mailpit, on
// random loopback ports with its own database, one per test package. With
// CI or THROUGHLINE_REQUIRE_ALL set a missing mailpit fails the test;
// otherwise the test is told so and returns (tests never skip).
package mailpittest

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Mailpit is a running mailpit.
type Mailpit struct {
	SMTP string // host:port
	HTTP string // http://host:port
	cmd  *exec.Cmd
	dir  string
	t    testing.TB
}

// Binary finds mailpit on PATH, in GOBIN or in ~/go/bin.
func Binary() string {
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	var dirs []string
	if gb := os.Getenv("GOBIN"); gb != "" {
		dirs = append(dirs, gb)
	}
	if gp := os.Getenv("GOPATH"); gp != "" {
		dirs = append(dirs, filepath.Join(gp, "bin"))
	}
	if h, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(h, "go", "bin"))
	}
	for _, d := range dirs {
		if p := filepath.Join(d, "mailpit"); fileExists(p) {
			return p
		}
	}
	return ""
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Start starts mailpit; when it is missing the test fails if mailpit is
// required (CI) and is skipped otherwise.
// Messages with a Message-ID already held are dropped (--ignore-duplicate-ids):
// the receiving side deduplicating by Message-ID, as docs/adr/0203 relies on.
func Start(t testing.TB) *Mailpit {
	t.Helper()
	bin := Binary()
	if bin == "" {
		if os.Getenv("CI") != "" || os.Getenv("THROUGHLINE_REQUIRE_ALL") != "" {
			t.Fatal("mailpit is not installed: run the tests with `make test`, which installs it (go install github.com/axllent/mailpit@v1.27.11)")
		}
		t.Skip("mailpit is not installed (make test installs it)")
	}
	m := &Mailpit{t: t, dir: t.TempDir()}
	m.cmd = m.start(bin, m.dir)
	t.Cleanup(m.Stop)
	return m
}

func (m *Mailpit) start(bin, dir string) *exec.Cmd {
	t := m.t
	for try := 0; ; try++ {
		sp, hp := freePort(t), freePort(t)
		if m.SMTP == "" {
			m.SMTP = fmt.Sprintf("127.0.0.1:%d", sp)
			m.HTTP = fmt.Sprintf("http://127.0.0.1:%d", hp)
		}
		cmd := exec.Command(bin, "--smtp", m.SMTP, "--listen", strings.TrimPrefix(m.HTTP, "http://"), "--database", filepath.Join(dir, "mailpit.db"),
			"--max", "200000", "--disable-version-check", "--ignore-duplicate-ids", "--quiet", "--smtp-disable-rdns")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(15 * time.Second)
		for time.Now().Before(deadline) {
			if c, err := net.DialTimeout("tcp", m.SMTP, 200*time.Millisecond); err == nil {
				c.Close()
				if resp, err := http.Get(m.HTTP + "/api/v1/info"); err == nil {
					resp.Body.Close()
					return cmd
				}
			}
			time.Sleep(50 * time.Millisecond)
		}
		cmd.Process.Kill()
		cmd.Wait()
		if try == 2 {
			t.Fatalf("mailpit did not start on %s", m.SMTP)
		}
	}
}

// Stop stops mailpit (the SMTP server goes down).
func (m *Mailpit) Stop() {
	if m.cmd != nil && m.cmd.Process != nil {
		m.cmd.Process.Kill()
		m.cmd.Wait()
		m.cmd = nil
	}
}

// Restart starts mailpit again on the same ports and database.
func (m *Mailpit) Restart() {
	m.Stop()
	m.cmd = m.start(Binary(), m.dir)
}

// Message is a message as mailpit's API lists it.
type Message struct {
	ID        string `json:"ID"`
	MessageID string `json:"MessageID"`
	Subject   string `json:"Subject"`
	To        []struct {
		Address string `json:"Address"`
	} `json:"To"`
	Snippet string `json:"Snippet"`
}

// Messages lists what arrived (newest first).
func (m *Mailpit) Messages() []Message {
	return m.get("/api/v1/messages?limit=100000")
}

// Search lists the messages matching a mailpit search query, e.g.
// "message-id:…" or "to:…".
func (m *Mailpit) Search(q string) []Message {
	return m.get("/api/v1/search?limit=100000&query=" + url.QueryEscape(q))
}

func (m *Mailpit) get(path string) []Message {
	m.t.Helper()
	resp, err := http.Get(m.HTTP + path)
	if err != nil {
		m.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Messages []Message `json:"messages"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		m.t.Fatal(err)
	}
	return out.Messages
}

// Body returns a message's plain-text body.
func (m *Mailpit) Body(id string) string {
	m.t.Helper()
	resp, err := http.Get(m.HTTP + "/api/v1/message/" + id)
	if err != nil {
		m.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Text string `json:"Text"`
	}
	json.NewDecoder(resp.Body).Decode(&out)
	return out.Text
}
