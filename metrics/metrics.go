// Package metrics holds Throughline's Prometheus collectors, served by
// `throughline serve --metrics-addr` on a listen address of their own. No
// label carries case data: routes are the route table's patterns
// ("GET /cases/{ref}"), never a request's path; appends are counted by
// event type; the outbox by channel.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"throughline"
)

// Backlog is what the collectors ask the store at each scrape: the outbox,
// the deadlines due and past due, and the latest signed checkpoint.
type Backlog interface {
	OutboxBacklog(ctx context.Context) (queued int, oldest time.Time, failed map[string]int, err error)
	DeadlineBacklog(ctx context.Context, today time.Time) (overdue, dueToday map[string]int, err error)
	LatestCheckpoint(ctx context.Context) (taken time.Time, ok bool, err error)
}

// Metrics are the collectors of one serve process.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.HistogramVec
	appends  *prometheus.CounterVec
}

// New registers the collectors: requests, appends, the outbox, the
// deadlines and the checkpoints (asked of backlog at each scrape, on the
// clock now) and the Go runtime's.
func New(backlog Backlog, now func() time.Time) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "throughline_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern of the route table and status code.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "code"}),
		appends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "throughline_appends_total",
			Help: "Events appended to case logs by live appends, by event type.",
		}, []string{"type"}),
	}
	m.reg.MustRegister(m.requests, m.appends,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if backlog != nil {
		m.reg.MustRegister(&outbox{backlog: backlog, now: now}, &integrity{backlog: backlog, now: now})
	}
	return m
}

// ObserveRequest records one answered request under its route pattern.
func (m *Metrics) ObserveRequest(route string, status int, elapsed time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Observe(elapsed.Seconds())
}

// Appended counts the events of one append (sqlstore.Store.Appended).
func (m *Metrics) Appended(evs []throughline.Event) {
	for _, e := range evs {
		m.appends.WithLabelValues(e.Type).Inc()
	}
}

// Handler serves the metrics in Prometheus's exposition format. A failing
// collector (the database away) leaves out its own metrics, not the rest.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// outbox collects the outbox's depth, the age of its oldest queued
// message and its failed messages by channel, by a query at each scrape.
type outbox struct {
	backlog Backlog
	now     func() time.Time
}

var (
	queuedDesc = prometheus.NewDesc("throughline_outbox_queued", "Messages to victims queued in the outbox, not yet sent.", nil, nil)
	ageDesc    = prometheus.NewDesc("throughline_outbox_oldest_age_seconds", "Age of the oldest message queued in the outbox (0 when none).", nil, nil)
	failedDesc = prometheus.NewDesc("throughline_outbox_failed", "Messages to victims whose delivery failed for good, by channel of the last attempt.", []string{"channel"}, nil)
)

func (o *outbox) Describe(ch chan<- *prometheus.Desc) {
	ch <- queuedDesc
	ch <- ageDesc
	ch <- failedDesc
}

func (o *outbox) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	n, oldest, failed, err := o.backlog.OutboxBacklog(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(queuedDesc, err)
		return
	}
	age := 0.0
	if !oldest.IsZero() {
		age = max(0, o.now().Sub(oldest).Seconds())
	}
	ch <- prometheus.MustNewConstMetric(queuedDesc, prometheus.GaugeValue, float64(n))
	ch <- prometheus.MustNewConstMetric(ageDesc, prometheus.GaugeValue, age)
	for channel, k := range failed {
		ch <- prometheus.MustNewConstMetric(failedDesc, prometheus.GaugeValue, float64(k), channel)
	}
}

// integrity collects what an operator alerts on besides the outbox: open
// deadlines of open cases past due and due today by owner, and the age of
// the latest signed checkpoint (absent until one is taken, so that
// absent() alerts too).
type integrity struct {
	backlog Backlog
	now     func() time.Time
}

var (
	overdueDesc    = prometheus.NewDesc("throughline_deadlines_overdue", "Open deadlines of open cases past their due day, by owner.", []string{"owner"}, nil)
	dueTodayDesc   = prometheus.NewDesc("throughline_deadlines_due_today", "Open deadlines of open cases due today (London), by owner.", []string{"owner"}, nil)
	checkpointDesc = prometheus.NewDesc("throughline_checkpoint_age_seconds", "Time since the latest signed checkpoint was taken.", nil, nil)
)

func (g *integrity) Describe(ch chan<- *prometheus.Desc) {
	ch <- overdueDesc
	ch <- dueTodayDesc
	ch <- checkpointDesc
}

func (g *integrity) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	now := g.now()
	y, mo, d := now.In(throughline.London).Date()
	overdue, due, err := g.backlog.DeadlineBacklog(ctx, time.Date(y, mo, d, 0, 0, 0, 0, time.UTC))
	if err != nil {
		ch <- prometheus.NewInvalidMetric(overdueDesc, err)
	} else {
		// Every owner the rule table names, at zero when none is due, so
		// that a graph starts from zero rather than from nothing.
		owners := map[string]bool{"police": true, "cps": true, "wcu": true, "court": true, "defence": true}
		for o := range overdue {
			owners[o] = true
		}
		for o := range due {
			owners[o] = true
		}
		for owner := range owners {
			ch <- prometheus.MustNewConstMetric(overdueDesc, prometheus.GaugeValue, float64(overdue[owner]), owner)
			ch <- prometheus.MustNewConstMetric(dueTodayDesc, prometheus.GaugeValue, float64(due[owner]), owner)
		}
	}
	taken, ok, err := g.backlog.LatestCheckpoint(ctx)
	switch {
	case err != nil:
		ch <- prometheus.NewInvalidMetric(checkpointDesc, err)
	case ok:
		ch <- prometheus.MustNewConstMetric(checkpointDesc, prometheus.GaugeValue, max(0, now.Sub(taken).Seconds()))
	}
}
