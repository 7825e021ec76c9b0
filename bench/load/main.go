// Command load is the open-loop load generator of real `throughline serve`
// processes: staff signed in with password and authenticator code read
// case pages while API clients append events at a fixed rate, on one
// database with the cases already loaded (throughline generate). Reads and
// writes each start at Poisson arrival times whatever the servers' pace,
// and each latency is measured from its scheduled start (bench/openloop),
// so queueing shows in the figures. Each write's acknowledgement (status,
// version) is kept, and afterwards every acknowledged event is looked for
// in the database at its version, and nothing else of the run's may be
// there but the writes that got no answer.
//
// It drives the servers given by URL, or starts them from a built binary;
// requests go to the servers in turn, whichever server a person signed in
// at (sessions are in the database: a load balancer needs no sticky
// sessions, and none is assumed). It talks to 127.0.0.1 only.
//
//	go run ./bench/load -db sqlite:/tmp/b.db -bin bin/throughline -servers 1 -duration 60s
//	go run ./bench/load -db postgres://… -servers http://127.0.0.1:8081,http://127.0.0.1:8082
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"throughline"
	"throughline/bench/openloop"
	"throughline/identity"
	"throughline/sqlstore"
	"throughline/web/api"
	"throughline/wire"
)

type config struct {
	dsn, bin, servers, logs       string
	users, perUser, writers, pool int
	readRate, apiReadRate         float64
	writeRate                     float64
	duration, warmup              time.Duration
	seed                          uint64
}

func main() {
	var c config
	flag.StringVar(&c.dsn, "db", "", "the database the servers serve, cases already loaded (throughline generate): sqlite:PATH or postgres://…; staff are added to it and the writes are counted in it")
	flag.StringVar(&c.servers, "servers", "1", "the servers: their URLs, comma-separated (http://127.0.0.1:8081,…), or how many to start from -bin")
	flag.StringVar(&c.bin, "bin", "bin/throughline", "the throughline binary to start the servers from, when -servers is a number")
	flag.StringVar(&c.logs, "logs", "", "directory for the started servers' logs (default: a new one under the temporary directory)")
	flag.IntVar(&c.users, "users", 200, "staff signed in and reading case pages")
	flag.IntVar(&c.perUser, "cases-per-user", 25, "cases on each reader's case team")
	flag.Float64Var(&c.readRate, "read-rate", 100, "case-page views a second, all readers together")
	flag.Float64Var(&c.apiReadRate, "api-read-rate", 0, "case reads through the API a second (GET /api/v1/cases/{ref} with a reader's token), beside the pages")
	flag.Float64Var(&c.writeRate, "write-rate", 50, "API appends a second")
	flag.IntVar(&c.writers, "writers", 10, "API clients (officers with tokens) making the appends")
	flag.IntVar(&c.pool, "write-cases", 1000, "cases the appends go to (each taken by one append at a time, so that no append of the run refuses another)")
	flag.DurationVar(&c.duration, "duration", 10*time.Minute, "length of the measured run")
	flag.DurationVar(&c.warmup, "warmup", 30*time.Second, "run at the same rates first, unmeasured (its writes are counted too)")
	flag.Uint64Var(&c.seed, "seed", 1, "random seed of the schedule and of who reads what")
	flag.Parse()
	if c.dsn == "" {
		fmt.Fprintln(os.Stderr, "-db is required")
		os.Exit(2)
	}
	ok, err := run(c)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench/load:", err)
		os.Exit(1)
	}
	if !ok {
		os.Exit(1)
	}
}

// reader is a person signed in to the staff pages.
type reader struct {
	client *http.Client
	token  string // for the API
	cases  []string
}

// wcase is a case the appends go to, with its version as last
// acknowledged and the token of the writer on its team.
type wcase struct {
	ref     string
	version int64
	token   string
}

func run(c config) (bool, error) {
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, c.dsn, wire.Rules())
	if err != nil {
		return false, err
	}
	defer s.Close()
	var total int
	if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM cases`).Scan(&total); err != nil {
		return false, fmt.Errorf("%w (load cases first: throughline generate --cases N --db DSN)", err)
	}
	if total == 0 {
		return false, errors.New("no cases in the database: load them first (throughline generate --cases N --db DSN)")
	}
	readable, err := casesOf(ctx, s, []string{"13", "01", "20", "43"}, 1000)
	if err != nil {
		return false, err
	}
	// The writers are officers of force 13.
	ownForce, err := casesOf(ctx, s, []string{"13"}, c.pool)
	if err != nil {
		return false, err
	}
	if len(readable) == 0 || len(ownForce) < c.writers {
		return false, fmt.Errorf("too few cases of forces 13, 01, 20 and 43 (%d, %d of force 13) for %d writers: load more", len(readable), len(ownForce), c.writers)
	}

	// The staff, written straight into the database as `throughline user
	// add` does: readers with password and authenticator, each on the team
	// of perUser cases; writers with API tokens, each on the team of its
	// share of the write cases.
	start := time.Now()
	r := mrand.New(mrand.NewPCG(c.seed, 99))
	accounts := identity.New(s, time.Now)
	stamp := time.Now().UnixNano()
	const pw = "load password long enough"
	type signin struct {
		login  string
		secret []byte
	}
	roles := []struct{ role, agency string }{{"officer", "police:13"}, {"prosecutor", "cps:yorkshire_humberside"}, {"witness_care", "wcu:13"}}
	readers := make([]*reader, c.users)
	signins := make([]signin, c.users)
	for i := range c.users {
		ro := roles[i%len(roles)]
		secret, err := identity.NewTOTPSecret()
		if err != nil {
			return false, err
		}
		login := fmt.Sprintf("load%d-%d@example.gov.uk", i, stamp)
		u, token, err := accounts.CreateAccount(ctx, "bench", identity.NewAccount{Name: fmt.Sprintf("Load Reader %d", i), Role: ro.role, Agency: ro.agency, Login: login, Password: pw, TOTPSecret: secret})
		if err != nil {
			return false, err
		}
		rd := &reader{token: token}
		for _, j := range r.Perm(len(readable))[:min(c.perUser, len(readable))] {
			rd.cases = append(rd.cases, readable[j].Ref)
			if err := s.SetCaseMember(ctx, "bench", readable[j].Ref, "user", u.ID, true); err != nil {
				return false, err
			}
		}
		readers[i], signins[i] = rd, signin{login, secret}
	}
	pool := make(chan *wcase, len(ownForce))
	var tokens []string
	for i := range c.writers {
		u, token, err := accounts.CreateAccount(ctx, "bench", identity.NewAccount{Name: fmt.Sprintf("Load Writer %d", i), Role: "officer", Agency: "police:13"})
		if err != nil {
			return false, err
		}
		tokens = append(tokens, token)
		for j := i; j < len(ownForce); j += c.writers {
			if err := s.SetCaseMember(ctx, "bench", ownForce[j].Ref, "user", u.ID, true); err != nil {
				return false, err
			}
		}
	}
	for j, cs := range ownForce {
		pool <- &wcase{ref: cs.Ref, version: cs.Version, token: tokens[j%c.writers]}
	}
	fmt.Printf("staff added in %s: %d readers on %d cases each, %d writers on %d cases\n", time.Since(start).Round(time.Millisecond), c.users, c.perUser, c.writers, len(ownForce))

	bases, pids, stop, err := servers(c)
	if err != nil {
		return false, err
	}
	defer stop()
	transport := &http.Transport{MaxIdleConnsPerHost: 512}
	for i, rd := range readers {
		jar, _ := cookiejar.New(nil)
		rd.client = &http.Client{Jar: jar, Transport: transport, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		if err := openloop.SignIn(rd.client, bases[i%len(bases)], signins[i].login, pw, signins[i].secret); err != nil {
			return false, fmt.Errorf("sign in %s: %w", signins[i].login, err)
		}
	}
	var p0 int64
	s.DB().QueryRowContext(ctx, `SELECT COALESCE(max(position), 0) FROM events`).Scan(&p0)
	fmt.Printf("machine: %s\ndatabase %s with %d cases; %d server(s) %s; %d staff signed in\n", openloop.Machine(), s.Dialect(), total, len(bases), strings.Join(bases, " "), len(readers))

	w := &writes{pool: pool, client: &http.Client{Transport: transport, Timeout: 30 * time.Second}, bases: bases, run: randomID(), firsts: map[string]string{}}
	rfirst := &firsts{m: map[string]string{}}
	// reading is a schedule of case reads at rate, each by a random reader
	// for one of their cases, through get.
	reading := func(d time.Duration, rate float64, get func(i int, rd *reader, ref string) (*http.Response, error)) func(t0 time.Time) openloop.Result {
		at := openloop.Schedule(r, rate, d)
		who := make([]*reader, len(at))
		what := make([]string, len(at))
		for i := range at {
			who[i] = readers[r.IntN(len(readers))]
			what[i] = who[i].cases[r.IntN(len(who[i].cases))]
		}
		return func(t0 time.Time) openloop.Result {
			return openloop.Run(t0, at, func(i int) error {
				resp, err := get(i, who[i], what[i])
				_, err = openloop.Check(resp, err, http.StatusOK)
				rfirst.note(err)
				return err
			})
		}
	}
	page := func(i int, rd *reader, ref string) (*http.Response, error) {
		return rd.client.Get(bases[i%len(bases)] + "/cases/" + url.PathEscape(ref))
	}
	viaAPI := func(i int, rd *reader, ref string) (*http.Response, error) {
		req, _ := http.NewRequest("GET", bases[i%len(bases)]+api.CaseURL(ref), nil)
		req.Header.Set("Authorization", "Bearer "+rd.token)
		return w.client.Do(req)
	}
	load := func(d time.Duration) (reads, apiReads, appends openloop.Result) {
		pages, apis := reading(d, c.readRate, page), reading(d, c.apiReadRate, viaAPI)
		writeAt := openloop.Schedule(r, c.writeRate, d)
		t0 := time.Now().Add(50 * time.Millisecond)
		var wg sync.WaitGroup
		wg.Add(2)
		go func() {
			defer wg.Done()
			appends = openloop.Run(t0, writeAt, func(int) error { return w.append() })
		}()
		go func() {
			defer wg.Done()
			apiReads = apis(t0)
		}()
		reads = pages(t0)
		wg.Wait()
		return reads, apiReads, appends
	}
	if c.warmup > 0 {
		load(c.warmup)
		fmt.Printf("warm-up of %s done\n", c.warmup)
	}
	w.measured.Store(true)
	cpu0, scpu0 := selfCPU(), procCPU(pids)
	reads, apiReads, appends := load(c.duration)
	cpu, scpu := selfCPU()-cpu0, procCPU(pids)-scpu0
	fmt.Printf("over the measured run: %s; CPU time of this generator %.1f s", openloop.Machine(), cpu.Seconds())
	if len(pids) > 0 {
		fmt.Printf(", of the servers %.1f s", scpu.Seconds())
	}
	fmt.Printf(" (the machine has %.0f CPU-seconds in %s)\n", float64(runtime.NumCPU())*c.duration.Seconds(), c.duration)

	fmt.Printf("\n## reads: case pages (GET /cases/{ref}), %.0f/s for %s from %d staff\n%s\nerrors by kind: %s\n", c.readRate, c.duration, c.users, reads.Summary(), reads.ErrorKinds())
	rfirst.print()
	reads.Histogram(os.Stdout)
	if c.apiReadRate > 0 {
		fmt.Printf("\n## reads: the case through the API (GET /api/v1/cases/{ref}), %.0f/s for %s from the same staff\n%s\nerrors by kind: %s\n", c.apiReadRate, c.duration, apiReads.Summary(), apiReads.ErrorKinds())
		apiReads.Histogram(os.Stdout)
	}
	fmt.Printf("\n## writes: API appends (POST /api/v1/cases/{ref}/events, callback_requested), %.0f/s for %s from %d clients\n%s\nerrors by kind: %s\n", c.writeRate, c.duration, c.writers, appends.Summary(), appends.ErrorKinds())
	(&firsts{m: w.firsts}).print()
	appends.Histogram(os.Stdout)

	fmt.Printf("\n## counted afterwards in the database (warm-up and measured run)\n")
	count, err := w.count(ctx, s, ownForce)
	if err != nil {
		return false, err
	}
	fmt.Println(count)
	rows, err := s.DB().QueryContext(ctx, `SELECT type, count(*) FROM events WHERE position > `+strconv.FormatInt(p0, 10)+` GROUP BY type ORDER BY type`)
	if err != nil {
		return false, err
	}
	var byType []string
	for rows.Next() {
		var t string
		var n int
		rows.Scan(&t, &n)
		byType = append(byType, fmt.Sprintf("%s %d", t, n))
	}
	rows.Close()
	fmt.Printf("events appended since the run began, by type (the servers' own scheduled work included): %s\n", strings.Join(byType, ", "))

	met := func(q, limit float64) string {
		if q <= limit {
			return "met"
		}
		return "NOT met"
	}
	fmt.Printf("\n## against issue 17 item 6\np99 read (pages) %.1f ms (target ≤ 50): %s\n", reads.Q(0.99), met(reads.Q(0.99), 50))
	if c.apiReadRate > 0 {
		fmt.Printf("p99 read (API) %.1f ms (target ≤ 50): %s\n", apiReads.Q(0.99), met(apiReads.Q(0.99), 50))
	}
	failed := reads.Failed() + apiReads.Failed() + appends.Failed()
	fmt.Printf("p99 write %.1f ms (target ≤ 200): %s\nerrors %d reads, %d writes (target 0): %s\nnothing lost: %s\n",
		appends.Q(0.99), met(appends.Q(0.99), 200), reads.Failed()+apiReads.Failed(), appends.Failed(), met(float64(failed), 0), map[bool]string{true: "met", false: "NOT met"}[count.ok()])
	return count.ok(), nil
}

// casesOf is the first n cases of the forces, in order of reference.
func casesOf(ctx context.Context, s *sqlstore.Store, forces []string, n int) ([]throughline.CaseSummary, error) {
	var out []throughline.CaseSummary
	for len(out) < n {
		f := throughline.CaseFilter{Forces: forces, Limit: min(1000, n-len(out))}
		if len(out) > 0 {
			f.After = out[len(out)-1].Ref
		}
		page, err := s.Cases(ctx, f)
		if err != nil || len(page) == 0 {
			return out, err
		}
		out = append(out, page...)
	}
	return out, nil
}

// writes makes the appends and keeps each one's outcome.
type writes struct {
	pool     chan *wcase
	client   *http.Client
	bases    []string
	run      string // this run's mark, in each appended event
	next     atomic.Int64
	measured atomic.Bool

	mu       sync.Mutex
	outcomes []outcome // by sequence number
	firsts   map[string]string
}

// outcome is what an append was answered: acknowledged at a version,
// refused with a status, or no answer at all (it may or may not be
// recorded).
type outcome struct {
	ref      string
	version  int64 // acknowledged at; 0 if not
	status   int   // 0: no answer
	measured bool
}

func (w *writes) append() error {
	seq := int(w.next.Add(1) - 1)
	var wc *wcase
	select {
	case wc = <-w.pool:
	default:
		// Every write case has an append in flight or lost its version: a
		// server that slow fails the run rather than have it refuse itself.
		w.record(seq, outcome{status: -1}, errors.New("no write case free"))
		return errors.New("no write case free")
	}
	body, _ := json.Marshal(api.NewEvent{Type: throughline.TypeCallbackRequested, OccurredAt: time.Now().UTC().Format("2006-01-02"), ExpectedVersion: &wc.version,
		Data: json.RawMessage(fmt.Sprintf(`{"complainant_id":"C1","when":"load %s #%d"}`, w.run, seq))})
	req, _ := http.NewRequest("POST", w.bases[seq%len(w.bases)]+api.CaseURL(wc.ref, "events"), bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+wc.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := w.client.Do(req)
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	b, err := openloop.Check(resp, err, http.StatusCreated)
	o := outcome{ref: wc.ref, status: status}
	if err == nil {
		var ack struct{ Version int64 }
		if err = json.Unmarshal(b, &ack); err == nil {
			o.version, wc.version = ack.Version, ack.Version
			w.pool <- wc
		}
	}
	// A case whose append was refused or unanswered leaves the pool: its
	// version is no longer known.
	w.record(seq, o, err)
	return err
}

func (w *writes) record(seq int, o outcome, err error) {
	o.measured = w.measured.Load()
	w.mu.Lock()
	defer w.mu.Unlock()
	for len(w.outcomes) <= seq {
		w.outcomes = append(w.outcomes, outcome{status: -1})
	}
	w.outcomes[seq] = o
	if err != nil {
		if _, ok := w.firsts[openloop.Kind(err)]; !ok {
			w.firsts[openloop.Kind(err)] = err.Error()
		}
	}
}

// at is where an event is in the log.
type at struct {
	ref     string
	version int64
}

// counted is what the database holds of the run's appends.
type counted struct {
	sent, acked, refused, unanswered int
	notSent                          int // no write case was free
	present                          int // acknowledged, and in the log at that version
	lost, moved                      []string
	unansweredHeld                   int      // unanswered, yet recorded: allowed
	extra                            []string // refused or never sent, yet recorded
}

func (c counted) ok() bool { return len(c.lost)+len(c.moved)+len(c.extra) == 0 }

func (c counted) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d appends scheduled: %d acknowledged, %d refused with an answer, %d unanswered, %d not sent (no write case free)\n", c.sent, c.acked, c.refused, c.unanswered, c.notSent)
	fmt.Fprintf(&b, "acknowledged and in the log at the version acknowledged: %d of %d\n", c.present, c.acked)
	fmt.Fprintf(&b, "unanswered yet recorded (allowed): %d of %d\n", c.unansweredHeld, c.unanswered)
	list := func(what string, xs []string) {
		if len(xs) > 0 {
			fmt.Fprintf(&b, "%s: %d, the first %s\n", what, len(xs), strings.Join(xs[:min(5, len(xs))], "; "))
		}
	}
	list("LOST (acknowledged, not in the log)", c.lost)
	list("MOVED (acknowledged, in the log at another version or case)", c.moved)
	list("EXTRA (recorded, though refused or never sent)", c.extra)
	if c.ok() {
		b.WriteString("nothing lost, nothing extra: every acknowledged append is in the log at its version, and nothing else of this run's is but what got no answer")
	} else {
		b.WriteString("the count FAILED")
	}
	return b.String()
}

// count reads every write case's log and matches the run's events, by the
// sequence number each carries, against the outcomes.
func (w *writes) count(ctx context.Context, s *sqlstore.Store, cases []throughline.CaseSummary) (counted, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var c counted
	found := map[int][]at{}
	mark := "load " + w.run + " #"
	for _, cs := range cases {
		evs, err := s.Events(ctx, cs.Ref)
		if err != nil {
			return c, err
		}
		for _, e := range evs {
			d, ok := e.Data.(*throughline.CallbackRequested)
			if !ok || !strings.HasPrefix(d.When, mark) {
				continue
			}
			seq, err := strconv.Atoi(strings.TrimPrefix(d.When, mark))
			if err != nil {
				return c, fmt.Errorf("case %s version %d: a mark %q of this run without its number", e.Case, e.Version, d.When)
			}
			found[seq] = append(found[seq], at{e.Case, e.Version})
		}
	}
	return tally(w.outcomes, found), nil
}

// tally matches the outcomes, by sequence number, against where the
// run's events were found in the log.
func tally(outcomes []outcome, found map[int][]at) counted {
	var c counted
	c.sent = len(outcomes)
	for seq, o := range outcomes {
		fs := found[seq]
		held := len(fs) > 0
		var f at
		if held {
			f = fs[0]
		}
		for _, again := range fs[min(1, len(fs)):] {
			c.extra = append(c.extra, fmt.Sprintf("#%d recorded again at %s v%d", seq, again.ref, again.version))
		}
		switch {
		case o.version > 0:
			c.acked++
			switch {
			case !held:
				c.lost = append(c.lost, fmt.Sprintf("#%d %s v%d", seq, o.ref, o.version))
			case f != at{o.ref, o.version}:
				c.moved = append(c.moved, fmt.Sprintf("#%d %s v%d found at %s v%d", seq, o.ref, o.version, f.ref, f.version))
			default:
				c.present++
			}
		case o.status < 0:
			c.notSent++
			if held {
				c.extra = append(c.extra, fmt.Sprintf("#%d never sent, recorded at %s v%d", seq, f.ref, f.version))
			}
		case o.status == 0:
			c.unanswered++
			if held {
				c.unansweredHeld++
			}
		default:
			c.refused++
			if held {
				c.extra = append(c.extra, fmt.Sprintf("#%d refused %d, recorded at %s v%d", seq, o.status, f.ref, f.version))
			}
		}
	}
	for seq, fs := range found {
		if seq >= 0 && seq < len(outcomes) {
			continue
		}
		for _, f := range fs {
			c.extra = append(c.extra, fmt.Sprintf("#%d never sent, recorded at %s v%d", seq, f.ref, f.version))
		}
	}
	slices.Sort(c.extra)
	return c
}

// firsts keeps the first error of each kind, to print beside the counts.
type firsts struct {
	mu sync.Mutex
	m  map[string]string
}

func (f *firsts) note(err error) {
	if err == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.m[openloop.Kind(err)]; !ok {
		f.m[openloop.Kind(err)] = err.Error()
	}
}

func (f *firsts) print() {
	for k, e := range f.m {
		fmt.Printf("  first %s: %s\n", k, e)
	}
}

func randomID() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// selfCPU is the CPU time this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// procCPU is the CPU time the processes have used, from /proc (in clock
// ticks of 1/100 s, Linux's USER_HZ).
func procCPU(pids []int) time.Duration {
	var t time.Duration
	for _, pid := range pids {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		// The fields after the command's name, which is in parentheses.
		_, rest, _ := strings.Cut(string(b), ") ")
		f := strings.Fields(rest)
		if len(f) > 12 {
			u, _ := strconv.ParseInt(f[11], 10, 64)
			k, _ := strconv.ParseInt(f[12], 10, 64)
			t += time.Duration(u+k) * 10 * time.Millisecond
		}
	}
	return t
}

// servers returns the servers' base URLs, starting them from c.bin when
// c.servers is a number, with the ids of the processes it started and a
// function that stops them.
func servers(c config) ([]string, []int, func(), error) {
	n, err := strconv.Atoi(c.servers)
	if err != nil {
		var bases []string
		for _, u := range strings.Split(c.servers, ",") {
			pu, err := url.Parse(strings.TrimRight(u, "/"))
			if err != nil || pu.Scheme != "http" {
				return nil, nil, nil, fmt.Errorf("-servers: %q is not an http:// URL", u)
			}
			if ip := net.ParseIP(pu.Hostname()); ip == nil || !ip.IsLoopback() {
				return nil, nil, nil, fmt.Errorf("-servers: refusing to load anything but loopback, not %s", pu.Host)
			}
			bases = append(bases, pu.String())
		}
		return bases, nil, func() {}, waitReady(bases)
	}
	if n < 1 {
		return nil, nil, nil, errors.New("-servers: at least 1")
	}
	logs := c.logs
	if logs == "" {
		if logs, err = os.MkdirTemp("", "throughline-load-"); err != nil {
			return nil, nil, nil, err
		}
	}
	if err := os.MkdirAll(logs, 0o755); err != nil {
		return nil, nil, nil, err
	}
	// One pseudonym key for the fleet, outside the database, as in
	// production.
	keyFile := filepath.Join(logs, "pseudonym-key")
	if _, err := os.Stat(keyFile); err != nil {
		key := make([]byte, 32)
		rand.Read(key)
		if err := os.WriteFile(keyFile, []byte(base64.StdEncoding.EncodeToString(key)+"\n"), 0o600); err != nil {
			return nil, nil, nil, err
		}
	}
	var cmds []*exec.Cmd
	stop := func() {
		for _, cmd := range cmds {
			cmd.Process.Signal(syscall.SIGTERM)
		}
		for _, cmd := range cmds {
			cmd.Wait()
		}
	}
	var bases []string
	for i := range n {
		logFile, err := os.Create(filepath.Join(logs, fmt.Sprintf("serve-%d.log", i+1)))
		if err != nil {
			stop()
			return nil, nil, nil, err
		}
		cmd := exec.Command(c.bin, "serve", "--db", c.dsn, "--addr", "127.0.0.1:0")
		cmd.Env = append(os.Environ(), "THROUGHLINE_PSEUDONYM_KEY_FILE="+keyFile)
		cmd.Stderr = logFile
		out, err := cmd.StdoutPipe()
		if err == nil {
			err = cmd.Start()
		}
		if err != nil {
			stop()
			return nil, nil, nil, fmt.Errorf("start %s serve: %w", c.bin, err)
		}
		cmds = append(cmds, cmd)
		sc := bufio.NewScanner(out)
		base := ""
		for base == "" && sc.Scan() {
			if _, rest, ok := strings.Cut(sc.Text(), "serving http://"); ok {
				addr, _, _ := strings.Cut(rest, "/")
				base = "http://" + addr
			}
		}
		if base == "" {
			stop()
			return nil, nil, nil, fmt.Errorf("server %d never said where it serves: see %s", i+1, logFile.Name())
		}
		go func() {
			for sc.Scan() {
			}
		}()
		bases = append(bases, base)
	}
	fmt.Printf("started %d server(s) from %s; their logs in %s\n", n, c.bin, logs)
	if err := waitReady(bases); err != nil {
		stop()
		return nil, nil, nil, err
	}
	var pids []int
	for _, cmd := range cmds {
		pids = append(pids, cmd.Process.Pid)
	}
	return bases, pids, stop, nil
}

// waitReady waits until each server's /readyz answers 200, for a minute at
// most.
func waitReady(bases []string) error {
	deadline := time.Now().Add(time.Minute)
	for _, b := range bases {
		for {
			resp, err := http.Get(b + "/readyz")
			if _, err = openloop.Check(resp, err, http.StatusOK); err == nil {
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("%s/readyz: %w", b, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	return nil
}
