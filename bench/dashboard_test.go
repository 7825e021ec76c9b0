package bench

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"throughline"
	"throughline/oversight"
	"throughline/sqlstore"
	"throughline/web/dashboard"
	"throughline/web/page"
)

// fromEvents is the reference recomputation as a roll-up: every case's
// record extracted afresh from the raw events, read from the log — the
// baseline, what the dashboards did before the roll-up.
type fromEvents struct{ *sqlstore.Store }

func (s fromEvents) EachCaseFacts(ctx context.Context, fn func([]byte) error) error {
	var c oversight.Collector
	if err := s.EachEvent(ctx, c.Add); err != nil {
		return err
	}
	for _, f := range c.Facts() {
		rec, err := json.Marshal(f)
		if err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkDashboard: the p95 of GET /dashboard (a police supervisor's
// page: their force beside the national figures; the handler, its reads and
// the rendering, without the session's middleware), over the roll-up kept
// in the append transaction — while the log stands still, and while it is
// moving, when the page is answered from the figures kept while they are
// read again in the background (docs/adr/0256) — and how long that read
// takes, which is how far the figures can lag behind the log beyond the
// minute between reads; against the baseline in the same run: the page
// computed from the raw events. BENCH_DASHBOARD_CASES sets the cases loaded
// (default 20,000), or THROUGHLINE_BENCH_BIG_sqlite|postgres names a
// database loaded by run.sh.
func BenchmarkDashboard(b *testing.B) {
	if err := page.Load(); err != nil {
		b.Fatal(err)
	}
	for name, fresh := range dialects(b) {
		b.Run(name, func(b *testing.B) {
			s := oversightDB(b, name, fresh)
			cases, _ := s.Refs(context.Background())
			var clock atomic.Int64 // the page's time, which the reads in the background ask too
			clock.Store(now.UnixNano())
			base := &page.Base{Now: func() time.Time { return time.Unix(0, clock.Load()) }, Logger: slog.New(slog.NewTextHandler(os.Stderr, nil))}
			u := throughline.User{Role: throughline.RolePoliceSupervisor, Agency: "police:13"}
			request := func(d *dashboard.Dashboard) time.Duration {
				w := httptest.NewRecorder()
				r := httptest.NewRequest(http.MethodGet, "/dashboard?measure=report_to_trial_days&by=force", nil)
				start := time.Now()
				if err := d.Page(w, r, &page.Request{User: u}); err != nil || w.Code != http.StatusOK {
					b.Fatalf("dashboard: %v %d", err, w.Code)
				}
				return time.Since(start)
			}
			// p95 of reqs requests after a first (which waits for the whole
			// roll-up to be read); moved: before each request the log moves
			// (a head not seen before) and two minutes pass, so that each
			// finds its figures stale and, unless one is under way, starts
			// reading them again in the background: the cases' versions
			// (no case has moved: the benchmark writes nothing, so that it
			// can run on a loaded database). The reads are timed; once the
			// requests are done, the benchmark waits for the read under way.
			p95 := func(reqs int, moved bool) (time.Duration, []time.Duration) {
				st := &moving{Store: s}
				d := &dashboard.Dashboard{Base: base, Store: st}
				var ts []time.Duration
				request(d) // the first read
				st.on.Store(moved)
				for range reqs {
					if moved {
						clock.Add(int64(2 * time.Minute))
					}
					ts = append(ts, request(d))
				}
				return quantile(ts, 95), st.wait()
			}
			// The baseline: each request recomputes from the raw events,
			// with nothing kept from the one before.
			raw := func(reqs int) time.Duration {
				var ts []time.Duration
				for range reqs {
					ts = append(ts, request(&dashboard.Dashboard{Base: base, Store: fromEvents{s}}))
				}
				return quantile(ts, 95)
			}
			for b.Loop() {
				kept, _ := p95(40, false)
				moved, reads := p95(40, true)
				refresh := quantile(reads, 100)
				baseline := raw(3)
				b.ReportMetric(float64(kept.Milliseconds()), "p95-ms-kept")
				b.ReportMetric(float64(moved.Milliseconds()), "p95-ms-moved")
				b.ReportMetric(refresh.Seconds(), "refresh-s")
				b.ReportMetric(float64(baseline.Milliseconds()), "baseline-p95-ms-raw-events")
				b.ReportMetric(float64(baseline)/float64(max(kept, moved)), "x-baseline/moved")
				b.Logf("%s, %d cases: p95 kept %s, log moving %s (%d reads in the background, the slowest %s), from raw events %s",
					name, len(cases), kept, moved, len(reads), refresh, baseline)
			}
			b.ReportMetric(float64(len(cases)), "cases")
		})
	}
}

// moving is a store whose log's head, once on, has always moved on, and
// which times the dashboard's reads again: from the read of every case's
// version to the end of the read of the moved cases' records.
type moving struct {
	dashboard.Store
	on    atomic.Bool
	mu    sync.Mutex
	ended *sync.Cond
	start time.Time
	reads int // started
	took  []time.Duration
}

var moves atomic.Int64

func (m *moving) LogHead(ctx context.Context) (int64, error) {
	if m.on.Load() {
		return -moves.Add(1), nil
	}
	return m.Store.LogHead(ctx)
}

func (m *moving) CaseVersions(ctx context.Context, fn func(string, int64) error) error {
	m.mu.Lock()
	m.start = time.Now()
	m.reads++
	m.mu.Unlock()
	return m.Store.CaseVersions(ctx, fn)
}

func (m *moving) CaseFactsOf(ctx context.Context, refs []string, fn func([]byte) error) error {
	err := m.Store.CaseFactsOf(ctx, refs, fn)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.took = append(m.took, time.Since(m.start))
	if m.ended != nil {
		m.ended.Broadcast()
	}
	return err
}

// wait waits for the read under way, if any, to end, and returns every
// read's time (a read started but not yet at its versions is not waited
// for: it runs beside what comes next).
func (m *moving) wait() []time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ended == nil {
		m.ended = sync.NewCond(&m.mu)
	}
	for len(m.took) < m.reads-1 { // the first read, of every record, is not timed
		m.ended.Wait()
	}
	return m.took
}

// quantile is the q-th percentile of ts by the nearest rank.
func quantile(ts []time.Duration, q int) time.Duration {
	slices.Sort(ts)
	return ts[(len(ts)*q+99)/100-1]
}

// BenchmarkMetrics: `metrics --json` over every case and the whole history,
// as the command computes it — the roll-up's narrow records read and
// decoded, the measures aggregated, the JSON written — against the
// baseline in the same run, the reference recomputation from the raw
// events (`metrics --from-events`), and the same from the full records
// (as before docs/adr/0258). The administrators' log entry the command
// writes is left out: the benchmark writes nothing, so that it can run on
// a loaded database.
// BENCH_DASHBOARD_CASES or THROUGHLINE_BENCH_BIG_sqlite|postgres as for
// BenchmarkDashboard.
func BenchmarkMetrics(b *testing.B) {
	for name, fresh := range dialects(b) {
		b.Run(name, func(b *testing.B) {
			s := oversightDB(b, name, fresh)
			ctx := context.Background()
			p := oversight.Params{To: now}
			// metrics reads the narrow records (as the command does), the
			// full records (as it did before docs/adr/0258), or every event.
			metrics := func(from string) (time.Duration, int) {
				start := time.Now()
				var r oversight.Report
				var err error
				switch from {
				case "events":
					var c oversight.Collector
					if err = s.EachEvent(ctx, c.Add); err == nil {
						r, err = oversight.Aggregate(c.Facts(), p)
					}
				case "records":
					var facts []oversight.Facts
					if facts, err = oversight.DecodeAll(func(fn func([]byte) error) error { return s.EachCaseFacts(ctx, fn) }); err == nil {
						r, err = oversight.Aggregate(facts, p)
					}
				default:
					var cases int
					r, err = oversight.AggregateNarrow(func(fn func([]byte) error) error {
						var err error
						cases, err = s.EachNarrowFacts(ctx, fn)
						return err
					}, p)
					if err == nil && r.Cases != cases {
						b.Fatalf("%d narrow records for %d cases: run throughline rebuild", r.Cases, cases)
					}
				}
				if err != nil {
					b.Fatal(err)
				}
				enc := json.NewEncoder(io.Discard)
				enc.SetIndent("", "  ")
				if err := enc.Encode(r); err != nil {
					b.Fatal(err)
				}
				return time.Since(start), r.Cases
			}
			for b.Loop() {
				var ts []time.Duration
				cases := 0
				for range 3 {
					t, n := metrics("narrow")
					ts, cases = append(ts, t), n
				}
				rollup := quantile(ts, 100)
				records, _ := metrics("records")
				baseline, _ := metrics("events")
				b.ReportMetric(rollup.Seconds(), "s-slowest-of-3")
				b.ReportMetric(records.Seconds(), "s-full-records")
				b.ReportMetric(baseline.Seconds(), "baseline-s-raw-events")
				b.ReportMetric(float64(baseline)/float64(rollup), "x-baseline/roll-up")
				b.Logf("%s, %d cases: metrics --json from the narrow records %s (slowest of 3), from the full records %s, from the raw events %s", name, cases, rollup, records, baseline)
			}
		})
	}
}

// oversightDB is the database of the oversight benchmarks: the one
// THROUGHLINE_BENCH_BIG_<dialect> names, or a fresh one with
// BENCH_DASHBOARD_CASES cases imported (default 20,000).
func oversightDB(b *testing.B, dialect string, fresh func() string) *sqlstore.Store {
	if os.Getenv("THROUGHLINE_BENCH_BIG_"+dialect) != "" {
		return bigDB(b, dialect)
	}
	n := 20000
	if v := os.Getenv("BENCH_DASHBOARD_CASES"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	s := open(b, fresh())
	if _, err := s.Import(context.Background(), proposals(n, 1), false); err != nil {
		b.Fatal(err)
	}
	return s
}
