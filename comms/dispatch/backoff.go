package dispatch

import (
	"math"
	"time"
)

// Backoff spaces out retries: Base·2^attempt, at most Max, spread by up to
// ±Jitter of itself so that a crowd of failures does not retry in step.
type Backoff struct {
	Base   time.Duration
	Max    time.Duration
	Jitter float64 // 0.2 means ±20%
}

// DefaultBackoff retries after 30s, 1m, 2m, … up to an hour.
var DefaultBackoff = Backoff{Base: 30 * time.Second, Max: time.Hour, Jitter: 0.2}

// Delay is the wait before retry number attempt (0 for the first retry);
// u in [0, 1) picks the jitter (0.5 for none).
func (b Backoff) Delay(attempt int, u float64) time.Duration {
	d := float64(b.Base) * math.Pow(2, float64(min(attempt, 40)))
	if m := float64(b.Max); b.Max > 0 && d > m {
		d = m
	}
	d *= 1 + b.Jitter*(2*u-1)
	return time.Duration(d)
}
