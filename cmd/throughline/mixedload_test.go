package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"throughline/identity"
	"throughline/internal/testwait"
	"throughline/notify/mailpittest"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
)

// chaosKills is how many times TestKilledUnderMixedLoad kills serve on
// each database: $THROUGHLINE_CHAOS_KILLS (make chaos sets 1,000), else a
// dozen, so that make test stays within its budget.
func chaosKills(t *testing.T) int {
	v := os.Getenv("THROUGHLINE_CHAOS_KILLS")
	if v == "" {
		return 12
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 2 {
		t.Fatalf("THROUGHLINE_CHAOS_KILLS=%q: want a number of kills, at least 2", v)
	}
	return n
}

// A serve process killed (SIGKILL) again and again under mixed load:
// writers appending through the API, an import running beside it, charges
// whose victim messages its dispatcher delivers to a real SMTP server
// (mailpit), staff signing in with password and authenticator, victims
// signing in to the portal with a code sent by email. After every kill:
// every acknowledged append is in the log and no unacknowledged one beyond
// those whose answer was lost; every import wrote its whole file or none
// of it, and all of it when it said it had; every acknowledged charge is in
// the log; `audit verify` passes; no victim was emailed twice; and after
// the restart every sign-in acknowledged before the kill still works. At
// the end a server left running delivers every message owed exactly once.
// Half the rounds kill at a random number of acknowledged appends,
// wherever the rest of the load is; the other half once the rest of the
// round's load has been answered, so that every kind is acknowledged.
func TestKilledUnderMixedLoad(t *testing.T) {
	mp := mailpittest.Start(t)
	kills := chaosKills(t)
	storetest.Each(t, func(t *testing.T, dsn string) {
		started := time.Now()
		s := openStore(t, dsn)
		defer s.Close()
		tag := strings.ToUpper(s.Dialect()) // references are in capitals
		accounts := identity.New(s, s.Now)
		// The cases: one per writer; one to charge per round; one for a
		// victim's sign-in every third round, each signed in to once (the
		// portal sends a reference five codes an hour). Their victims'
		// addresses name the database: the two share one SMTP server.
		refs := func(kind string, n int) []string {
			out := make([]string, n)
			for i := range out {
				out[i] = fmt.Sprintf("%s-%s-%d", kind, tag, i)
			}
			return out
		}
		appenders := make([]*appender, 4)
		charges := refs("CHG", kills)
		token := officerWithCases(t, s, append(refs("APP", len(appenders)), charges...)...)
		for w := range appenders {
			appenders[w] = &appender{ref: fmt.Sprintf("APP-%s-%d", tag, w), token: token}
		}
		portals := refs("PTL", kills/3+1)
		for _, ref := range portals {
			importHistory(t, s, ref, "en", victimAddress(ref))
		}
		staff := make([]*staffMember, 12)
		for i := range staff {
			staff[i] = newStaffMember(t, accounts, i, tag)
		}
		journey, err := os.ReadFile("../../testdata/journey.jsonl")
		if err != nil {
			t.Fatal(err)
		}
		const journeyEvents = 24
		keyFile := pseudonymKey(t)
		key := filepath.Join(t.TempDir(), "checkpoint.key")
		_, out, _ := run(t, "", "audit", "keygen", "--out", key)
		pub := strings.TrimPrefix(regexp.MustCompile(`public key \S+`).FindString(out), "public key ")
		if pub == "" {
			t.Fatalf("audit keygen: %s", out)
		}
		args := []string{"--smtp-addr", mp.SMTP, "--smtp-from", "Witness Care <wcu@" + strings.ToLower(tag) + ".chaos.example.gov.uk>", "--trusted-proxy", "127.0.0.1"}
		r := rand.New(rand.NewPCG(5, uint64(len(dsn))))

		var (
			chargeAcked                              = map[string]bool{}
			staffSessions, portalSessions            []*http.Client
			importsWhole, importsKilled, importsNone int
			staffSignIns, portalSignIns              int
		)
		for round := range kills {
			srv := startServer(t, dsn, keyFile, args...)
			// Every sign-in acknowledged before the last kill still works.
			for _, c := range staffSessions {
				if code := getStatus(c, srv.base+"/account"); code != http.StatusOK {
					t.Errorf("round %d: a staff sign-in acknowledged before the kill answers %d after the restart", round, code)
				}
			}
			for _, c := range portalSessions {
				if code := getStatus(c, srv.base+"/victim/case"); code != http.StatusOK {
					t.Errorf("round %d: a victim's sign-in acknowledged before the kill answers %d after the restart", round, code)
				}
			}
			staffSessions, portalSessions = nil, nil

			stop := make(chan struct{})
			var writers, others sync.WaitGroup
			var acks atomic.Int64
			killAt := int64(1 + r.IntN(60))
			reached := make(chan struct{})
			var once sync.Once
			// An import of one case beside the server.
			impRef := fmt.Sprintf("IMP-%d", round)
			impFile := filepath.Join(t.TempDir(), "import.jsonl")
			os.WriteFile(impFile, bytes.ReplaceAll(journey, []byte("13RS0000101/24"), []byte(impRef)), 0o600)
			imp := child(t, "import", "--db", dsn, "--file", impFile)
			if err := imp.Start(); err != nil {
				t.Fatal(err)
			}
			var impOK bool
			impDone := make(chan struct{})
			go func() { impOK = imp.Wait() == nil; close(impDone) }()
			others.Go(func() { <-impDone })
			if round%2 == 1 {
				// SQLite gives its lock to no writer in turn: an import
				// waiting beside four busy writers can wait out its busy
				// timeout. In the rounds that let the load finish, the
				// import goes first.
				<-impDone
			}
			for _, a := range appenders {
				writers.Go(func() {
					a.run(srv.base, stop, func() {
						if acks.Add(1) >= killAt {
							once.Do(func() { close(reached) })
						}
					})
				})
			}
			// A charge: the dispatcher owes its victim an email.
			var chargeCode int
			others.Go(func() {
				chargeCode, _ = post(srv.base+"/api/v1/cases/"+charges[round]+"/events", token, map[string]any{"type": "charged", "occurred_at": "2026-11-25T08:30:00Z",
					"data": map[string]any{"defendant_id": "D1", "offences": []any{map[string]any{"ho_code": "19C", "cjs_code": "SX03002"}}, "method": "custody"}, "expected_version": 8})
			})
			var staffClient, portalClient *http.Client
			if m := freeStaff(staff, time.Now()); m != nil {
				others.Go(func() { staffClient = m.signIn(t, srv.base) })
			}
			if round%3 == 0 {
				ref, addr := portals[round/3], victimAddress(portals[round/3])
				xff := fmt.Sprintf("10.%d.%d.%d", round>>16&255, round>>8&255, round&255)
				others.Go(func() { portalClient = portalSignIn(t, mp, srv.base, ref, addr, xff, stop) })
			}

			if round%2 == 1 {
				others.Wait()
			}
			testwait.For(t, fmt.Sprintf("%d acknowledged appends in round %d", killAt, round), func() bool {
				select {
				case <-reached:
					return true
				default:
					return false
				}
			})
			srv.kill()
			imp.Process.Kill()
			close(stop)
			writers.Wait()
			others.Wait()

			// Nothing runs now: what the log holds is what it will hold.
			for _, a := range appenders {
				a.check(t, s)
			}
			switch n := countCase(t, s, impRef, ""); {
			case n == journeyEvents:
				importsWhole++
			case n == 0 && !impOK:
				importsNone++
			default:
				t.Fatalf("round %d: the import %s left %d of its %d events (it exited %v)", round, impRef, n, journeyEvents, impOK)
			}
			if !impOK {
				importsKilled++
			}
			switch chargeCode {
			case http.StatusCreated:
				chargeAcked[charges[round]] = true
				if n := countCase(t, s, charges[round], "charged"); n != 1 {
					t.Fatalf("round %d: the acknowledged charge of %s is lost (%d charges in the log)", round, charges[round], n)
				}
			case 0, http.StatusInternalServerError, http.StatusServiceUnavailable:
			default:
				t.Errorf("round %d: the charge was answered %d", round, chargeCode)
			}
			if staffClient != nil {
				staffSessions = append(staffSessions, staffClient)
				staffSignIns++
			}
			if portalClient != nil {
				portalSessions = append(portalSessions, portalClient)
				portalSignIns++
			}
			// The whole log verified now and then, and what was written
			// since the last checkpoint after every other kill, a signed
			// checkpoint sealing each round: as an operator runs them
			// (docs/operations.md), and so that the run's thousandth kill
			// costs no more to check than its first.
			verify := []string{"audit", "verify", "--db", dsn, "--public-key", pub}
			if round%50 != 0 {
				verify = append(verify, "--since-checkpoint")
			}
			if code, out, errs := runAt(t, time.Now(), "", verify...); code != 0 {
				t.Fatalf("round %d: %s after the kill: %d %s %s", round, strings.Join(verify, " "), code, out, errs)
			}
			if code, out, errs := runAt(t, time.Now(), "", "audit", "checkpoint", "--key", key, "--db", dsn); code != 0 {
				t.Fatalf("round %d: audit checkpoint after the kill: %d %s %s", round, code, out, errs)
			}
			checkEmailedOnce(t, s, mp, charges, false)
			if t.Failed() {
				t.FailNow()
			}
			if (round+1)%100 == 0 {
				t.Logf("%s: %d kills so far in %s", tag, round+1, time.Since(started).Round(time.Second))
			}
		}

		// A server left running, its clock past every lease a killed
		// dispatcher held, delivers every message owed exactly once.
		srv := startServerAhead(t, 5*time.Minute, dsn, keyFile, args...)
		testwait.For(t, "every charge's email to be delivered", func() bool {
			var open int
			s.DB().QueryRow(`SELECT count(*) FROM outbox WHERE case_ref LIKE 'CHG-%' AND status <> 'delivered'`).Scan(&open) // this database's own
			return open == 0
		})
		srv.kill()
		emailed := checkEmailedOnce(t, s, mp, charges, true)
		var resent int
		s.DB().QueryRow(`SELECT count(*) FROM (SELECT message_id FROM message_attempts WHERE outcome = 'sending' GROUP BY message_id HAVING count(*) > 1) x`).Scan(&resent)
		if code, out, errs := runAt(t, time.Now().Add(5*time.Minute), "", "audit", "verify", "--db", dsn, "--public-key", pub); code != 0 {
			t.Fatalf("audit verify at the end: %d %s %s", code, out, errs)
		}
		var acked, unknown int64
		for _, a := range appenders {
			a.check(t, s)
			acked += a.acked.Load()
			unknown += a.unknown.Load()
		}
		if acked == 0 || len(chargeAcked) == 0 || importsWhole == 0 || staffSignIns == 0 || portalSignIns == 0 {
			t.Errorf("a kind of load was never acknowledged: %d appends, %d charges, %d imports, %d staff and %d victim sign-ins", acked, len(chargeAcked), importsWhole, staffSignIns, portalSignIns)
		}
		t.Logf("%s: %d kills in %s: %d appends acknowledged, %d answerless; %d charges acknowledged, %d victims emailed once each (%d messages sent again after a kill left their outcome unknown, dropped by Message-ID); imports: %d whole, %d killed before writing, %d killed in all; %d staff and %d victim sign-ins acknowledged, each working after the next restart",
			tag, kills, time.Since(started).Round(time.Second), acked, unknown, len(chargeAcked), emailed, resent, importsWhole, importsNone, importsKilled, staffSignIns, portalSignIns)
	})
}

// countCase is the number of events of type (all types if "") case ref's
// log holds.
func countCase(t *testing.T, s *sqlstore.Store, ref, typ string) int {
	t.Helper()
	q := `SELECT count(*) FROM events WHERE case_ref = '` + ref + `'`
	if typ != "" {
		q += ` AND type = '` + typ + `'`
	}
	var n int
	if err := s.DB().QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// checkEmailedOnce fails the test if any charged victim was emailed more
// than once (counted in mailpit, which keeps one copy of a Message-ID: a
// double is a second message, not a resend), or emailed at all when the
// log holds no charge; with all, also if one charged was never emailed.
// It returns how many were emailed.
func checkEmailedOnce(t *testing.T, s *sqlstore.Store, mp *mailpittest.Mailpit, refs []string, all bool) int {
	t.Helper()
	got := map[string]int{}
	for _, m := range mp.Messages() {
		for _, to := range m.To {
			got[to.Address]++
		}
	}
	chargedIn := map[string]bool{}
	rows, err := s.DB().Query(`SELECT case_ref FROM events WHERE type = 'charged'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var ref string
		rows.Scan(&ref)
		chargedIn[ref] = true
	}
	rows.Close()
	emailed := 0
	for _, ref := range refs {
		n := got[victimAddress(ref)]
		charged := chargedIn[ref]
		switch {
		case n > 1:
			t.Errorf("%s: its victim was emailed %d times", ref, n)
		case n == 1 && !charged:
			t.Errorf("%s: its victim was emailed of a charge the log does not hold", ref)
		case n == 0 && charged && all:
			t.Errorf("%s: charged, and its victim never emailed", ref)
		}
		emailed += n
	}
	return emailed
}

// getStatus is the status of a GET with client's cookies, 0 on no answer.
func getStatus(c *http.Client, u string) int {
	resp, err := c.Get(u)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// browserClient keeps cookies and does not follow redirects. Cookies are
// kept by host, not port, so a session follows the test to the next
// server on another port, as it would to another process behind a load
// balancer.
func browserClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// postForm posts a form; the status is 0 when no answer came.
func postForm(c *http.Client, u string, form url.Values, xff string) (int, string) {
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location") + " " + text(string(b))
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

func text(html string) string {
	return strings.Join(strings.Fields(tagRE.ReplaceAllString(html, " ")), " ")
}

// staffMember signs in with a password and an authenticator code; a code
// works once, so each signs in at most once per 30-second step.
type staffMember struct {
	login, password string
	secret          []byte
	lastStep        int64
}

func newStaffMember(t *testing.T, accounts *identity.Service, i int, tag string) *staffMember {
	t.Helper()
	ctx := context.Background()
	u, _, err := accounts.AddUser(ctx, fmt.Sprintf("Officer %d", i), "officer", "police:13")
	if err != nil {
		t.Fatal(err)
	}
	m := &staffMember{login: fmt.Sprintf("officer%d.%s@wyp.example.gov.uk", i, tag), password: "a long enough passphrase " + strconv.Itoa(i)}
	if err := accounts.SetPassword(ctx, u.ID, m.login, m.password); err != nil {
		t.Fatal(err)
	}
	if m.secret, err = identity.NewTOTPSecret(); err != nil {
		t.Fatal(err)
	}
	if err := accounts.EnrolTOTP(ctx, u.ID, m.secret, 0); err != nil {
		t.Fatal(err)
	}
	return m
}

// freeStaff is a member of staff whose last code was of an earlier step
// than now's, nil if none.
func freeStaff(staff []*staffMember, now time.Time) *staffMember {
	for _, m := range staff {
		if m.lastStep < identity.Step(now) {
			m.lastStep = identity.Step(now)
			return m
		}
	}
	return nil
}

// signIn signs in through the pages and returns the signed-in client, nil
// when the server went away before it answered.
func (m *staffMember) signIn(t *testing.T, base string) *http.Client {
	c := browserClient()
	code, body := postForm(c, base+"/sign-in", url.Values{"login": {m.login}, "password": {m.password}}, "")
	if code == 0 {
		return nil
	}
	if code != http.StatusSeeOther || !strings.HasPrefix(body, "/sign-in/code") {
		t.Errorf("staff sign-in %s: %d %s", m.login, code, body)
		return nil
	}
	code, body = postForm(c, base+"/sign-in/code", url.Values{"code": {identity.TOTP(m.secret, time.Unix(m.lastStep*30, 0))}}, "")
	if code == 0 {
		return nil
	}
	if code != http.StatusSeeOther || !strings.HasPrefix(body, "/ ") {
		t.Errorf("staff sign-in code %s: %d %s", m.login, code, body)
		return nil
	}
	return c
}

var codeRE = regexp.MustCompile(`\b(\d{6})\b`)

// portalSignIn signs a victim in to the portal with the code emailed to
// addr, from the address xff names (the server trusts the loopback proxy),
// and returns the signed-in client; nil when the server went away first
// (stop is closed then).
func portalSignIn(t *testing.T, mp *mailpittest.Mailpit, base, ref, addr, xff string, stop <-chan struct{}) *http.Client {
	seen := map[string]bool{}
	for _, m := range mp.Search("to:" + addr) {
		seen[m.ID] = true
	}
	c := browserClient()
	code, body := postForm(c, base+"/victim/sign-in", url.Values{"ref": {ref}}, xff)
	if code == 0 {
		return nil
	}
	if code != http.StatusSeeOther || !strings.HasPrefix(body, "/victim/code") {
		t.Errorf("victim sign-in %s: %d %s", ref, code, body)
		return nil
	}
	near := testwait.Deadline(t)
	var digits string
	for digits == "" {
		for _, m := range mp.Search("to:" + addr) {
			if !seen[m.ID] {
				digits = codeRE.FindString(mp.Body(m.ID))
			}
		}
		if digits != "" {
			break
		}
		select {
		case <-stop:
			return nil
		case <-near:
			t.Errorf("victim sign-in %s: no code arrived as the test run's time ran out", ref)
			return nil
		case <-time.After(50 * time.Millisecond):
		}
	}
	code, body = postForm(c, base+"/victim/code", url.Values{"ref": {ref}, "code": {digits}}, xff)
	if code == 0 {
		return nil
	}
	if code != http.StatusSeeOther || !strings.HasPrefix(body, "/victim/case") {
		t.Errorf("victim sign-in code %s: %d %s", ref, code, body)
		return nil
	}
	return c
}
