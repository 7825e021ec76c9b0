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
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"throughline/wire"

	"throughline"
	"throughline/identity"
	"throughline/sqlstore"
	"throughline/synth"
	"throughline/web"
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
	all, err := s.Cases(ctx, throughline.CaseFilter{Limit: 1000, Forces: []string{"13", "01", "20", "43"}})
	if err != nil {
		return err
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
	// perUser cases; all signed in with password and code.
	r := rand.New(rand.NewPCG(seed, 99))
	roles := []struct{ role, agency string }{{"officer", "police:13"}, {"prosecutor", "cps:yorkshire_humberside"}, {"witness_care", "wcu:13"}}
	if page == "today" {
		// The supervisors' today pages read their whole force or area.
		roles = append(roles, struct{ role, agency string }{"police_supervisor", "police:13"}, struct{ role, agency string }{"cps_manager", "cps:yorkshire_humberside"})
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
		for _, j := range r.Perm(len(all))[:min(perUser, len(all))] {
			st.cases = append(st.cases, all[j].Ref)
			if err := s.SetCaseMember(ctx, "bench", all[j].Ref, "user", u.ID, true); err != nil {
				return err
			}
		}
		jar, _ := cookiejar.New(nil)
		st.client = &http.Client{Jar: jar, Transport: transport, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		if err := signIn(st.client, base, login, pw, secret); err != nil {
			return fmt.Errorf("sign in %s: %w", login, err)
		}
		people = append(people, st)
	}
	fmt.Printf("machine: %d CPUs (%s), GOMAXPROCS %d; database %s with %d cases; %d staff signed in, %d cases each\n",
		runtime.NumCPU(), cpuModel(), runtime.GOMAXPROCS(0), s.Dialect(), total, len(people), perUser)

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
		res, err := openLoop(people, base, rate, duration, r)
		if err != nil {
			return err
		}
		var after int
		s.DB().QueryRowContext(ctx, `SELECT count(*) FROM consultations`).Scan(&after)
		fmt.Printf("%s %s page, rate %4.0f/s for %s: %d views, %d errors, achieved %.1f/s; latency ms p50 %.1f p90 %.1f p99 %.1f p99.9 %.1f max %.1f; consultation log entries written %d\n",
			s.Dialect(), page, rate, duration, res.n, res.errors, float64(res.n)/duration.Seconds(), res.q(0.50), res.q(0.90), res.q(0.99), res.q(0.999), res.q(1), after-before)
		if page == "case" && after-before < res.n-res.errors {
			return fmt.Errorf("%d views but %d consultation log entries", res.n-res.errors, after-before)
		}
	}
	return nil
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

func signIn(c *http.Client, base, login, pw string, secret []byte) error {
	resp, err := c.PostForm(base+"/sign-in", url.Values{"login": {login}, "password": {pw}})
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("password: %s", resp.Status)
	}
	resp, err = c.PostForm(base+"/sign-in/code", url.Values{"code": {identity.TOTP(secret, time.Now())}})
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("code: %s", resp.Status)
	}
	return nil
}

type result struct {
	lat    []float64 // ms, sorted
	n      int
	errors int
}

func (r result) q(p float64) float64 {
	if len(r.lat) == 0 {
		return math.NaN()
	}
	i := int(math.Ceil(p*float64(len(r.lat)))) - 1
	return r.lat[max(0, min(i, len(r.lat)-1))]
}

// openLoop sends case-page views at Poisson arrival times of the given
// total rate for d, each from a random signed-in person for one of their
// cases, and measures each from its scheduled start.
func openLoop(people []*staff, base string, rate float64, d time.Duration, r *rand.Rand) (result, error) {
	type plan struct {
		at  time.Duration
		who *staff
		ref string
	}
	var plans []plan
	for t := time.Duration(0); ; {
		t += time.Duration(r.ExpFloat64() / rate * float64(time.Second))
		if t >= d {
			break
		}
		p := people[r.IntN(len(people))]
		plans = append(plans, plan{t, p, p.cases[r.IntN(len(p.cases))]})
	}
	lat := make([]float64, len(plans))
	var errs atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for i, p := range plans {
		time.Sleep(time.Until(start.Add(p.at)))
		wg.Add(1)
		go func() {
			defer wg.Done()
			sched := start.Add(p.at)
			target := base + "/cases/" + url.PathEscape(p.ref)
			if page == "today" {
				target = base + "/today"
			}
			resp, err := p.who.client.Get(target)
			if err == nil {
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err == nil && resp.StatusCode != http.StatusOK {
					err = errors.New(resp.Status)
				}
			}
			lat[i] = float64(time.Since(sched).Microseconds()) / 1000
			if err != nil {
				errs.Add(1)
				firstErr.CompareAndSwap(nil, err)
			}
		}()
	}
	wg.Wait()
	slices.Sort(lat)
	res := result{lat: lat, n: len(plans), errors: int(errs.Load())}
	if e := firstErr.Load(); e != nil {
		fmt.Fprintf(os.Stderr, "first error: %v\n", e)
	}
	return res, nil
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "model name") {
			_, v, _ := strings.Cut(l, ":")
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}
