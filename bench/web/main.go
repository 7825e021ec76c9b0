// Command web is the load generator for the staff pages: the case page (each
// view writing its consultation log entry before the page is sent) or, with
// -page today, the today page each person lands on (its lists that name
// people logged as consultations too), many cases loaded, many staff signed
// in. The schedule is open-loop: requests start
// at Poisson arrival times whatever the server's pace, and each latency is
// measured from its scheduled start, so queueing shows in the figures
// (no coordinated omission). It serves and targets 127.0.0.1 only.
//
//	go run ./bench/web -db sqlite:/tmp/b.db -cases 50000 -users 50 -rate 50 -duration 60s
//
// Each person's caseload is that of someone at work on live cases: cases
// drawn from the most recently reported open cases of their own force (or,
// at the CPS, their own area), cases-per-user of them each.
//
// Pointed at a database that already holds cases (the national set that
// throughline generate wrote), it loads nothing and measures that: it adds
// its staff and their case teams, so give it a copy. Each run's line names
// the machine's load average before and after it, for figures taken on a
// shared machine.
//
//	go run ./bench/web -db sqlite:/tmp/copy-of-big.db -page today -users 50 -rate 10 -duration 30s
//	go run ./bench/web -db "postgres://…/copy-of-big" -page today -users 50 -rate 10 -duration 30s
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"time"

	"throughline"
	"throughline/bench/openloop"
	"throughline/identity"
	"throughline/sqlstore"
	"throughline/synth"
	"throughline/web"
	"throughline/wire"
)

func main() {
	dsn := flag.String("db", "", "database: sqlite:PATH or postgres://… (an empty one is filled)")
	cases := flag.Int("cases", 50000, "synthetic cases to load into an empty database")
	users := flag.Int("users", 50, "staff signed in at once")
	perUser := flag.Int("cases-per-user", 25, "cases on each user's case team")
	rates := flag.String("rate", "50", "total case-page views per second, comma-separated for several runs")
	duration := flag.Duration("duration", 60*time.Second, "length of each run")
	warmup := flag.Duration("warmup", 5*time.Second, "unmeasured run first")
	seed := flag.Uint64("seed", 1, "random seed")
	pageFlag := flag.String("page", "case", "the page under load: case (a case of the person's team) or today (their today page)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the measured runs (server and load together) to this file")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if *pageFlag != "case" && *pageFlag != "today" {
		fmt.Fprintln(os.Stderr, "-page is case or today")
		os.Exit(2)
	}
	page = *pageFlag
	if *dsn == "" {
		fmt.Fprintln(os.Stderr, "-db is required")
		os.Exit(2)
	}
	if err := run(*dsn, *cases, *users, *perUser, *rates, *duration, *warmup, *seed); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "bench/web:", err)
		os.Exit(1)
	}
}

// page is the page under load: "case" or "today".
var page = "case"

type staff struct {
	user   throughline.User
	client *http.Client
	cases  []string
}

func run(dsn string, nCases, nUsers, perUser int, rates string, duration, warmup time.Duration, seed uint64) error {
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, dsn, wire.Rules())
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		return err
	}
	have, err := s.Cases(ctx, throughline.CaseFilter{Limit: 1})
	if err != nil {
		return err
	}
	if len(have) == 0 {
		start := time.Now()
		n, evs, err := load(ctx, s, nCases, seed)
		if err != nil {
			return err
		}
		fmt.Printf("loaded %d cases (%d events) in %s\n", n, evs, time.Since(start).Round(time.Second))
	}
	var total int
	s.DB().QueryRowContext(ctx, `SELECT count(*) FROM cases`).Scan(&total)

	// The server, on loopback only.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	host, _, _ := net.SplitHostPort(ln.Addr().String())
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("refusing to load anything but loopback, not %s", host)
	}
	accounts := identity.New(s, time.Now)
	ws := &web.Server{Store: wire.Backend{Store: s, Service: accounts}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: time.Now}
	srv := &http.Server{Handler: ws.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()

	// Staff: officers, prosecutors and Witness Care, each on a case team of
	// perUser cases of their own force or area; all signed in with password
	// and code.
	r := rand.New(rand.NewPCG(seed, 99))
	type role struct{ role, agency, cases string }
	west, yorks := "force = '13'", "cps_area = 'yorkshire_humberside'"
	roles := []role{{"officer", "police:13", west}, {"prosecutor", "cps:yorkshire_humberside", yorks}, {"witness_care", "wcu:13", west}}
	if page == "today" {
		// The supervisors' today pages read their whole force or area.
		roles = append(roles, role{"police_supervisor", "police:13", west}, role{"cps_manager", "cps:yorkshire_humberside", yorks})
	}
	recent := map[string][]string{}
	for _, ro := range roles {
		if recent[ro.cases], err = recentOpen(ctx, s, ro.cases); err != nil {
			return err
		}
	}
	transport := &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 0}
	var people []*staff
	for i := range nUsers {
		ro := roles[i%len(roles)]
		u, _, err := accounts.AddUser(ctx, fmt.Sprintf("Bench User %d", i), ro.role, ro.agency)
		if err != nil {
			return err
		}
		login := fmt.Sprintf("bench%d-%d@example.gov.uk", i, time.Now().UnixNano())
		pw := "bench password long enough"
		if err := accounts.SetPassword(ctx, u.ID, login, pw); err != nil {
			return err
		}
		secret, _ := identity.NewTOTPSecret()
		if err := accounts.EnrolTOTP(ctx, u.ID, secret, 0); err != nil {
			return err
		}
		st := &staff{user: u}
		pool := recent[ro.cases]
		for _, j := range r.Perm(len(pool))[:min(perUser, len(pool))] {
			st.cases = append(st.cases, pool[j])
			if err := s.SetCaseMember(ctx, "bench", pool[j], "user", u.ID, true); err != nil {
				return err
			}
		}
		jar, _ := cookiejar.New(nil)
		st.client = &http.Client{Jar: jar, Transport: transport, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		if err := openloop.SignIn(st.client, base, login, pw, secret); err != nil {
			return fmt.Errorf("sign in %s: %w", login, err)
		}
		people = append(people, st)
	}
	fmt.Printf("machine: %d CPUs (%s), GOMAXPROCS %d; database %s with %d cases; %d staff signed in, %d cases each\n",
		runtime.NumCPU(), openloop.CPUModel(), runtime.GOMAXPROCS(0), s.Dialect(), total, len(people), perUser)

	if warmup > 0 {
		if _, err := openLoop(people, base, 20, warmup, r); err != nil {
			return err
		}
	}
	for _, rs := range strings.Split(rates, ",") {
		var rate float64
		fmt.Sscan(rs, &rate)
		var before int
		s.DB().QueryRowContext(ctx, `SELECT count(*) FROM consultations`).Scan(&before)
		loadBefore := loadAverage()
		res, err := openLoop(people, base, rate, duration, r)
		if err != nil {
			return err
		}
		var after int
		s.DB().QueryRowContext(ctx, `SELECT count(*) FROM consultations`).Scan(&after)
		fmt.Printf("%s %s page, rate %4.0f/s for %s: %d views, %d errors, achieved %.1f/s; latency ms p50 %.1f p90 %.1f p99 %.1f p99.9 %.1f max %.1f; consultation log entries written %d; load average %s before, %s after\n",
			s.Dialect(), page, rate, duration, res.N(), res.Failed(), float64(res.N())/duration.Seconds(), res.Q(0.50), res.Q(0.90), res.Q(0.99), res.Q(0.999), res.Q(1), after-before, loadBefore, loadAverage())
		if page == "case" && after-before < res.N()-res.Failed() {
			return fmt.Errorf("%d views but %d consultation log entries", res.N()-res.Failed(), after-before)
		}
	}
	return nil
}

// recentOpen returns the 1,000 most recently reported open cases that match
// where (a force or an area): the pool a person's caseload is drawn from.
func recentOpen(ctx context.Context, s *sqlstore.Store, where string) ([]string, error) {
	rows, err := s.DB().QueryContext(ctx, `SELECT ref FROM cases WHERE closed_on IS NULL AND `+where+` ORDER BY reported_on DESC, ref LIMIT 1000`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var refs []string
	for rows.Next() {
		var ref string
		if err := rows.Scan(&ref); err != nil {
			return nil, err
		}
		refs = append(refs, ref)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(refs) == 0 {
		return nil, fmt.Errorf("no open case where %s to put staff on", where)
	}
	return refs, nil
}

// loadAverage is the machine's 1, 5 and 15 minute load averages, or "?"
// where /proc/loadavg cannot be read.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}

// load fills the database with synthetic cases through the bulk import.
func load(ctx context.Context, s *sqlstore.Store, n int, seed uint64) (int, int, error) {
	now := time.Now()
	var cases, events int
	var batch []throughline.Proposed
	inBatch := 0
	flush := func() error {
		res, err := s.Import(ctx, batch, false)
		cases += res.Cases
		events += res.Events
		batch, inBatch = nil, 0
		return err
	}
	err := synth.Generate(synth.Options{Cases: n, Seed: seed, FromYear: now.Year() - 4, ToYear: now.Year(), Now: now}, func(evs []throughline.Event) error {
		for _, e := range evs {
			batch = append(batch, throughline.Proposed{Event: e})
		}
		if inBatch++; inBatch == 2000 {
			return flush()
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = flush()
	}
	return cases, events, err
}

// openLoop sends case-page views at Poisson arrival times of the given
// total rate for d, each from a random signed-in person for one of their
// cases, and measures each from its scheduled start.
func openLoop(people []*staff, base string, rate float64, d time.Duration, r *rand.Rand) (openloop.Result, error) {
	type plan struct {
		who *staff
		ref string
	}
	at := openloop.Schedule(r, rate, d)
	plans := make([]plan, len(at))
	for i := range plans {
		p := people[r.IntN(len(people))]
		plans[i] = plan{p, p.cases[r.IntN(len(p.cases))]}
	}
	var firstErr atomic.Value
	res := openloop.Run(time.Now(), at, func(i int) error {
		p := plans[i]
		target := base + "/cases/" + url.PathEscape(p.ref)
		if page == "today" {
			target = base + "/today"
		}
		resp, err := p.who.client.Get(target)
		_, err = openloop.Check(resp, err, http.StatusOK)
		if err != nil {
			firstErr.CompareAndSwap(nil, err)
		}
		return err
	})
	if e := firstErr.Load(); e != nil {
		fmt.Fprintf(os.Stderr, "first error: %v\n", e)
	}
	return res, nil
}
