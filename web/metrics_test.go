package web_test

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"throughline/metrics"
	"throughline/sqlstore/storetest"
	"throughline/web"
)

// The metrics name the route pattern of each request, never its path: no
// case reference reaches a label. Appends are counted by event type; the
// outbox is asked at the scrape.
func TestMetricsLabelRoutesNotPaths(t *testing.T) {
	s := newSite(t, storetest.DSNs(t)["sqlite"])
	m := metrics.New(s.store, s.clock.Now)
	s.configure(func(w *web.Server) { w.Observe = m.ObserveRequest })
	s.store.Store.Appended = m.Appended
	const other = "13RS0000202/24"
	s.loadJourney(other, 3)
	for _, path := range []string{"/cases/" + url.PathEscape(testRef), "/cases/" + url.PathEscape(other), "/healthz", "/no/such/" + url.PathEscape(testRef)} {
		get(t, s.srv.URL+path)
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`throughline_http_request_duration_seconds_count{code="303",route="GET /cases/{ref}"} 2`,
		`throughline_http_request_duration_seconds_count{code="200",route="GET /healthz"} 1`,
		`route="unmatched"`,
		`throughline_appends_total{type="case_opened"} 1`,
		"throughline_outbox_queued ",
		"throughline_outbox_oldest_age_seconds ",
		`throughline_deadlines_overdue{owner="wcu"} `,
		`throughline_deadlines_due_today{owner="police"} `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, "throughline_checkpoint_age_seconds") {
		t.Error("a checkpoint age before any checkpoint was taken")
	}
	for _, ref := range []string{testRef, other, "13RS", "13rs"} {
		if strings.Contains(body, ref) {
			t.Errorf("metrics name a case: %q", ref)
		}
	}
	if t.Failed() {
		t.Log(body)
	}
}
