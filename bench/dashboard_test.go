package bench

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
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
// in the append transaction — while the log stands still, and when it has
// moved since the last request, so that the roll-up is read again — against
// the baseline in the same run: the page computed from the raw events.
// BENCH_DASHBOARD_CASES sets the cases loaded (default 20,000), or
// THROUGHLINE_BENCH_BIG_sqlite|postgres names a database loaded by run.sh.
func BenchmarkDashboard(b *testing.B) {
	if err := page.Load(); err != nil {
		b.Fatal(err)
	}
	for name, fresh := range dialects(b) {
		b.Run(name, func(b *testing.B) {
			s := oversightDB(b, name, fresh)
			cases, _ := s.Refs(context.Background())
			clock := now
			base := &page.Base{Now: func() time.Time { return clock }}
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
			// p95 of reqs requests after a first (which reads the whole
			// roll-up); moved: the log moves (a minute passes and the head
			// is not the one read) before each, so the cases' versions are
			// read again (no case has moved: the benchmark writes nothing,
			// so that it can run on a loaded database).
			p95 := func(d *dashboard.Dashboard, reqs int, moved bool) time.Duration {
				var ts []time.Duration
				request(d) // the first read
				if moved {
					d.Store = movedHead{d.Store}
				}
				for range reqs {
					if moved {
						clock = clock.Add(2 * time.Minute)
					}
					ts = append(ts, request(d))
				}
				return quantile(ts, 95)
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
				kept := p95(&dashboard.Dashboard{Base: base, Store: s}, 40, false)
				reread := p95(&dashboard.Dashboard{Base: base, Store: s}, 10, true)
				baseline := raw(3)
				b.ReportMetric(float64(kept.Milliseconds()), "p95-ms-kept")
				b.ReportMetric(float64(reread.Milliseconds()), "p95-ms-moved")
				b.ReportMetric(float64(baseline.Milliseconds()), "baseline-p95-ms-raw-events")
				b.ReportMetric(float64(baseline)/float64(max(kept, reread)), "x-baseline/moved")
				b.Logf("%s, %d cases: p95 kept %s, log moved %s, from raw events %s", name, len(cases), kept, reread, baseline)
			}
			b.ReportMetric(float64(len(cases)), "cases")
		})
	}
}

// movedHead is a store whose log's head has always moved on.
type movedHead struct{ dashboard.Store }

var moves int64

func (m movedHead) LogHead(ctx context.Context) (int64, error) {
	moves++
	return -moves, nil
}

// quantile is the q-th percentile of ts by the nearest rank.
func quantile(ts []time.Duration, q int) time.Duration {
	slices.Sort(ts)
	return ts[(len(ts)*q+99)/100-1]
}

// BenchmarkMetrics: `metrics --json` over every case and the whole history,
// as the command computes it — the roll-up read and decoded, the measures
// aggregated, the JSON written — against the baseline in the same run, the
// reference recomputation from the raw events (`metrics --from-events`).
// The consultation log the command writes for every case is left out: the
// benchmark writes nothing, so that it can run on a loaded database.
// BENCH_DASHBOARD_CASES or THROUGHLINE_BENCH_BIG_sqlite|postgres as for
// BenchmarkDashboard.
func BenchmarkMetrics(b *testing.B) {
	for name, fresh := range dialects(b) {
		b.Run(name, func(b *testing.B) {
			s := oversightDB(b, name, fresh)
			ctx := context.Background()
			p := oversight.Params{To: now}
			metrics := func(fromEvents bool) (time.Duration, int) {
				start := time.Now()
				var facts []oversight.Facts
				var err error
				if fromEvents {
					var c oversight.Collector
					err = s.EachEvent(ctx, c.Add)
					facts = c.Facts()
				} else {
					facts, err = oversight.DecodeAll(func(fn func([]byte) error) error { return s.EachCaseFacts(ctx, fn) })
				}
				if err != nil {
					b.Fatal(err)
				}
				r, err := oversight.Aggregate(facts, p)
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
					t, n := metrics(false)
					ts, cases = append(ts, t), n
				}
				rollup := quantile(ts, 100)
				baseline, _ := metrics(true)
				b.ReportMetric(rollup.Seconds(), "s-slowest-of-3")
				b.ReportMetric(baseline.Seconds(), "baseline-s-raw-events")
				b.ReportMetric(float64(baseline)/float64(rollup), "x-baseline/roll-up")
				b.Logf("%s, %d cases: metrics --json from the roll-up %s (slowest of 3), from the raw events %s", name, cases, rollup, baseline)
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
