// Package testwait is how tests wait for something to happen. A test waits
// on the event itself, never for a fixed time: CI may run on a loaded
// machine, where a fixed timeout fails a test that is only slow. The one
// bound is the test binary's own -timeout, so that an event that never
// comes fails with a message saying what was awaited instead of a panic
// with every goroutine's stack.
package testwait

import (
	"testing"
	"time"
)

// margin is how long before the binary's -timeout the wait gives up: time
// for the test to fail with its own message and clean up.
const margin = 30 * time.Second

// Deadline fires shortly before the test binary's -timeout would end the
// run; with no -timeout it never fires (a nil channel), and the wait lasts
// as long as it must.
func Deadline(t testing.TB) <-chan time.Time {
	d, ok := deadline(t)
	if !ok {
		return nil
	}
	return time.After(time.Until(d) - margin)
}

// For polls cond until it holds, and fails the test naming what it waited
// for if the run's time runs out first.
func For(t testing.TB, what string, cond func() bool) {
	t.Helper()
	near := Deadline(t)
	for !cond() {
		select {
		case <-near:
			t.Fatalf("still waiting for %s as the test run's time runs out", what)
		case <-time.After(poll):
		}
	}
}

// poll is how often For asks again: often enough that a test does not
// idle, rarely enough that asking costs nothing.
const poll = 50 * time.Millisecond

// deadline is t's Deadline where t has one (a *testing.T does; a
// *testing.B does not).
func deadline(t testing.TB) (time.Time, bool) {
	if d, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		return d.Deadline()
	}
	return time.Time{}, false
}
