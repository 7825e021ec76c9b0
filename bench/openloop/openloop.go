// Package openloop is what the load generators share (bench/web drives
// web.Server in process, bench/load drives serve processes): an open-loop
// schedule, whose requests start at Poisson arrival times whatever the
// server's pace, each latency measured from its scheduled start so that
// queueing shows in the figures (no coordinated omission); the figures
// and a latency histogram; and signing a person in to the staff pages.
package openloop

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"throughline/identity"
)

// Schedule is Poisson arrivals at rate a second over d: offsets from the
// start, in order.
func Schedule(r *rand.Rand, rate float64, d time.Duration) []time.Duration {
	var at []time.Duration
	if rate <= 0 {
		return nil
	}
	for t := time.Duration(0); ; {
		t += time.Duration(r.ExpFloat64() / rate * float64(time.Second))
		if t >= d {
			return at
		}
		at = append(at, t)
	}
}

// Result is what a run measured.
type Result struct {
	Lat    []float64      // milliseconds from scheduled start to the answer read, sorted
	Errors map[string]int // failed requests by kind (Kind)
}

// N is the number of requests sent.
func (r Result) N() int { return len(r.Lat) }

// Failed is the number of requests that failed, of every kind.
func (r Result) Failed() int {
	n := 0
	for _, c := range r.Errors {
		n += c
	}
	return n
}

// Q is the p-quantile of the latencies (nearest rank; p 1 is the maximum).
func (r Result) Q(p float64) float64 {
	if len(r.Lat) == 0 {
		return math.NaN()
	}
	i := int(math.Ceil(p*float64(len(r.Lat)))) - 1
	return r.Lat[max(0, min(i, len(r.Lat)-1))]
}

// Run calls do(i) for each offset at start+at[i], each in its own
// goroutine whether or not the earlier ones have answered, and measures
// each from its scheduled start. It returns when every call has.
func Run(start time.Time, at []time.Duration, do func(i int) error) Result {
	lat := make([]float64, len(at))
	errs := map[string]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, off := range at {
		sched := start.Add(off)
		time.Sleep(time.Until(sched))
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := do(i)
			lat[i] = float64(time.Since(sched).Microseconds()) / 1000
			if err != nil {
				mu.Lock()
				errs[Kind(err)]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	slices.Sort(lat)
	return Result{Lat: lat, Errors: errs}
}

// StatusError is an answer with a status other than the one expected.
type StatusError struct {
	Status int
	Body   string // the start of the answer, for the first one logged
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("HTTP %d %s: %s", e.Status, http.StatusText(e.Status), e.Body)
}

// Kind names the kind of a failed request for the counts: the status
// answered, or what went wrong on the way (timeout, refused, reset, …).
func Kind(err error) string {
	var se *StatusError
	var ne net.Error
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("HTTP %d", se.Status)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case strings.Contains(err.Error(), "connection refused"):
		return "connection refused"
	case strings.Contains(err.Error(), "connection reset"), strings.Contains(err.Error(), "EOF"):
		return "connection closed"
	}
	return "other: " + err.Error()
}

// Check reads an answer to its end and closes it, and is a *StatusError
// unless its status is want.
func Check(resp *http.Response, err error, want int) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != want {
		return b, &StatusError{Status: resp.StatusCode, Body: string(b[:min(len(b), 200)])}
	}
	return b, nil
}

// Summary is one line of figures: count, errors and the quantiles in ms.
func (r Result) Summary() string {
	return fmt.Sprintf("%d requests, %d errors; latency ms p50 %.1f p90 %.1f p99 %.1f p99.9 %.1f max %.1f",
		r.N(), r.Failed(), r.Q(0.50), r.Q(0.90), r.Q(0.99), r.Q(0.999), r.Q(1))
}

// ErrorKinds lists the error counts by kind, most first, or "none".
func (r Result) ErrorKinds() string {
	if len(r.Errors) == 0 {
		return "none"
	}
	kinds := make([]string, 0, len(r.Errors))
	for k := range r.Errors {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool {
		if r.Errors[kinds[i]] != r.Errors[kinds[j]] {
			return r.Errors[kinds[i]] > r.Errors[kinds[j]]
		}
		return kinds[i] < kinds[j]
	})
	var b strings.Builder
	for i, k := range kinds {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s: %d", k, r.Errors[k])
	}
	return b.String()
}

// Bounds are the upper edges of the histogram's buckets in milliseconds:
// 1, 2 and 5 a decade from 0.1 ms to 100 s, so that a tail three decades
// above the median still falls in a bucket of its own.
var Bounds = func() []float64 {
	var b []float64
	for d := 0.1; d < 1e5; d *= 10 {
		b = append(b, d, 2*d, 5*d)
	}
	return append(b, 1e5)
}()

// Histogram writes the latencies as text, a line a bucket from the first
// bucket holding any to the last: its range, its count, the share at or
// below its upper edge, and a bar in proportion to the count.
func (r Result) Histogram(w io.Writer) {
	counts := make([]int, len(Bounds)+1)
	for _, l := range r.Lat {
		counts[sort.SearchFloat64s(Bounds, l)]++
	}
	first, last, most := -1, -1, 0
	for i, c := range counts {
		if c > 0 {
			if first < 0 {
				first = i
			}
			last = i
			most = max(most, c)
		}
	}
	if first < 0 {
		fmt.Fprintln(w, "  (no requests)")
		return
	}
	edge := func(i int) string {
		if i < 0 {
			return "0"
		}
		if i >= len(Bounds) {
			return "∞"
		}
		return msText(Bounds[i])
	}
	fmt.Fprintf(w, "  %-20s %9s %8s\n", "latency", "requests", "≤ edge")
	cum := 0
	for i := first; i <= last; i++ {
		cum += counts[i]
		bar := strings.Repeat("#", (counts[i]*50+most-1)/most)
		fmt.Fprintf(w, "  %8s – %-7s ms %9d %7.3f%% %s\n", edge(i-1), edge(i), counts[i], 100*float64(cum)/float64(len(r.Lat)), bar)
	}
}

func msText(f float64) string {
	if f < 1 {
		return fmt.Sprintf("%.1f", f)
	}
	return fmt.Sprintf("%.0f", f)
}

// SignIn signs a person in to the staff pages with password and
// authenticator code; c must keep cookies and not follow redirects.
func SignIn(c *http.Client, base, login, pw string, secret []byte) error {
	resp, err := c.PostForm(base+"/sign-in", url.Values{"login": {login}, "password": {pw}})
	if _, err := Check(resp, err, http.StatusSeeOther); err != nil {
		return fmt.Errorf("password: %w", err)
	}
	resp, err = c.PostForm(base+"/sign-in/code", url.Values{"code": {identity.TOTP(secret, time.Now())}})
	if _, err := Check(resp, err, http.StatusSeeOther); err != nil {
		return fmt.Errorf("code: %w", err)
	}
	return nil
}

// Machine describes the machine the figures were taken on, with its load.
func Machine() string {
	load, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(load))
	if len(f) > 3 {
		f = f[:3]
	}
	return fmt.Sprintf("%d CPUs (%s), GOMAXPROCS %d; load average %s", runtime.NumCPU(), CPUModel(), runtime.GOMAXPROCS(0), strings.Join(f, " "))
}

// CPUModel is the processor's name from /proc/cpuinfo, or the architecture.
func CPUModel() string {
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
