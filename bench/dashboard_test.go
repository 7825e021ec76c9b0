package bench

import (
	"context"
	"encoding/json"
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
	n := 20000
	if v := os.Getenv("BENCH_DASHBOARD_CASES"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	for name, fresh := range dialects(b) {
		b.Run(name, func(b *testing.B) {
			var s *sqlstore.Store
			if os.Getenv("THROUGHLINE_BENCH_BIG_"+name) != "" {
				s = bigDB(b, name)
			} else {
				s = open(b, fresh())
				if _, err := s.Import(context.Background(), proposals(n, 1), false); err != nil {
					b.Fatal(err)
				}
			}
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
			// p95 of reqs requests; moved: the log moves (a minute passes
			// and the head is not the one read) before each.
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
				slices.Sort(ts)
				return ts[(len(ts)*95+99)/100-1]
			}
			for b.Loop() {
				kept := p95(&dashboard.Dashboard{Base: base, Store: s}, 40, false)
				reread := p95(&dashboard.Dashboard{Base: base, Store: s}, 5, true)
				baseline := p95(&dashboard.Dashboard{Base: base, Store: fromEvents{s}}, 5, true)
				b.ReportMetric(float64(kept.Milliseconds()), "p95-ms-kept")
				b.ReportMetric(float64(reread.Milliseconds()), "p95-ms-reread")
				b.ReportMetric(float64(baseline.Milliseconds()), "baseline-p95-ms-raw-events")
				b.ReportMetric(float64(baseline)/float64(reread), "x-baseline/reread")
				b.Logf("%s, %d cases: p95 kept %s, roll-up reread %s, from raw events %s", name, len(cases), kept, reread, baseline)
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
