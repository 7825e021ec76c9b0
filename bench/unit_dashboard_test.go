package bench

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"throughline"
	"throughline/web/dashboard"
	"throughline/web/page"
)

// BenchmarkUnitDashboard: the p95 of GET /dashboard/unit (West Yorkshire
// Police's supervisor: the handler, its reads and the rendering, without
// the session's middleware; ADR 0302) over a loaded database — while the
// figures stand still, and while they are stale, each request coming five
// minutes after the one before, so that it is answered from the figures
// kept while they are read again in the background (ADR 0256), the read
// competing with the requests. read-s is the first request's, which waits
// for the unit's whole read (every case's facts, the unit's logs): what
// each request would cost if nothing were kept, the baseline.
// THROUGHLINE_BENCH_BIG_sqlite|postgres names the database, or
// BENCH_DASHBOARD_CASES sets the cases of a fresh one (default 20,000).
func BenchmarkUnitDashboard(b *testing.B) {
	if err := page.Load(); err != nil {
		b.Fatal(err)
	}
	for name, fresh := range dialects(b) {
		b.Run(name, func(b *testing.B) {
			s := oversightDB(b, name, fresh)
			var clock atomic.Int64 // the page's time, which the reads in the background ask too
			clock.Store(now.UnixNano())
			base := &page.Base{Now: func() time.Time { return time.Unix(0, clock.Load()) }, Logger: slog.New(slog.NewTextHandler(os.Stderr, nil))}
			u := throughline.User{Role: throughline.RolePoliceSupervisor, Agency: "police:13"}
			request := func(d *dashboard.Unit) time.Duration {
				w := httptest.NewRecorder()
				r := httptest.NewRequest(http.MethodGet, "/dashboard/unit", nil)
				start := time.Now()
				if err := d.Page(w, r, &page.Request{User: u}); err != nil || w.Code != http.StatusOK {
					b.Fatalf("unit dashboard: %v %d", err, w.Code)
				}
				return time.Since(start)
			}
			for b.Loop() {
				d := &dashboard.Unit{Base: base, Store: s, Context: context.Background()}
				read := request(d) // reads the unit's figures
				var still, stale []time.Duration
				for range 40 {
					still = append(still, request(d))
				}
				for range 40 {
					clock.Add(int64(5 * time.Minute))
					stale = append(stale, request(d))
				}
				b.ReportMetric(float64(quantile(still, 95).Milliseconds()), "p95-ms-kept")
				b.ReportMetric(float64(quantile(stale, 95).Milliseconds()), "p95-ms-stale")
				b.ReportMetric(read.Seconds(), "read-s")
				b.Logf("%s: unit dashboard p95 %s with the figures kept, %s while they are read again; the first request (the whole read) %s",
					name, quantile(still, 95), quantile(stale, 95), read)
			}
		})
	}
}
