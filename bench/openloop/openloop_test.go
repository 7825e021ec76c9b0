package openloop

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestQuantiles(t *testing.T) {
	r := Result{}
	for i := 1; i <= 1000; i++ {
		r.Lat = append(r.Lat, float64(i))
	}
	for _, c := range []struct{ p, want float64 }{{0.5, 500}, {0.9, 900}, {0.99, 990}, {0.999, 999}, {1, 1000}} {
		if got := r.Q(c.p); got != c.want {
			t.Errorf("Q(%v) = %v, want %v", c.p, got, c.want)
		}
	}
}

// Each latency falls in the bucket whose upper edge is the first at or
// above it; the buckets printed run from the first holding any to the last,
// with the cumulative share.
func TestHistogram(t *testing.T) {
	r := Result{Lat: []float64{0.05, 3, 3, 4.9, 5, 5.1, 150}}
	var b strings.Builder
	r.Histogram(&b)
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	want := []struct {
		edges string
		count string
	}{
		{"0 – 0.1", "1"}, {"0.1 – 0.2", "0"}, {"0.2 – 0.5", "0"}, {"0.5 – 1", "0"}, {"1 – 2", "0"},
		{"2 – 5", "4"}, {"5 – 10", "1"}, {"10 – 20", "0"}, {"20 – 50", "0"}, {"50 – 100", "0"}, {"100 – 200", "1"},
	}
	if len(lines) != len(want)+1 {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want)+1, b.String())
	}
	for i, w := range want {
		f := strings.Fields(lines[i+1])
		if got := strings.Join(f[:3], " "); got != w.edges || f[4] != w.count {
			t.Errorf("line %d: %q, want %s ms holding %s", i+1, lines[i+1], w.edges, w.count)
		}
	}
	if !strings.Contains(lines[len(lines)-1], "100.000%") {
		t.Errorf("the last bucket does not reach 100%%: %q", lines[len(lines)-1])
	}
}

func TestSchedule(t *testing.T) {
	at := Schedule(rand.New(rand.NewPCG(1, 2)), 100, 100*time.Second)
	// 10,000 expected; a Poisson count's standard deviation is 100.
	if len(at) < 9500 || len(at) > 10500 {
		t.Fatalf("%d arrivals at 100/s over 100 s", len(at))
	}
	for i := 1; i < len(at); i++ {
		if at[i] < at[i-1] || at[i] >= 100*time.Second {
			t.Fatalf("arrival %d at %s after %s", i, at[i], at[i-1])
		}
	}
}

func TestKind(t *testing.T) {
	for err, want := range map[error]string{
		&StatusError{Status: 503}:                    "HTTP 503",
		errors.New("dial tcp: connection refused"):   "connection refused",
		errors.New("read: connection reset by peer"): "connection closed",
	} {
		if got := Kind(err); got != want {
			t.Errorf("Kind(%v) = %q, want %q", err, got, want)
		}
	}
}
