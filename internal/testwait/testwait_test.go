package testwait

import (
	"sync/atomic"
	"testing"
	"time"
)

// For returns once the condition holds, having asked until then.
func TestForWaitsForTheCondition(t *testing.T) {
	var asked atomic.Int32
	For(t, "the third asking", func() bool { return asked.Add(1) == 3 })
	if n := asked.Load(); n != 3 {
		t.Fatalf("asked %d times, want 3", n)
	}
}

// A test run with a -timeout gets a channel that fires before it; the
// deadline it is computed from is the run's.
func TestDeadlineComesBeforeTheRunsTimeout(t *testing.T) {
	d, ok := t.Deadline()
	ch := Deadline(t)
	if !ok {
		if ch != nil {
			t.Fatal("a run without -timeout got a deadline")
		}
		return
	}
	if ch == nil {
		t.Fatal("a run with -timeout got no deadline")
	}
	if time.Until(d) > margin {
		select {
		case <-ch:
			t.Fatal("the deadline fired at once, with time left in the run")
		default:
		}
	}
}
