package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"throughline"
	"throughline/schedule"
	"throughline/sqlstore/storetest"
)

// The deadline tick logs each open deadline once, on the first tick of the
// day it falls due, whichever tick that is: the first tick ever logs
// today's, a later tick the same day nothing more, and a tick after a gap
// (the fleet down, say) every deadline that fell due since the one before.
func TestDeadlineTickLogsEachDeadlineOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, _ := storeWithClock(t, dsn)
		importHistory(t, s, "TICK-1", "en", "tick@example.org")
		importHistory(t, s, "TICK-2", "en", "tick2@example.org")
		appendLive(t, s, "TICK-2", liveCharge)
		open, err := s.DeadlinesDue(ctx, throughline.DeadlineFilter{OpenOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		var days []time.Time
		for _, d := range open {
			if !slices.ContainsFunc(days, d.Due.Equal) {
				days = append(days, d.Due)
			}
		}
		slices.SortFunc(days, time.Time.Compare)
		if len(days) < 3 {
			t.Fatalf("the history has open deadlines on %d days, want at least 3: %+v", len(days), open)
		}
		var log lockedBuffer
		job := deadlineTick(s, slog.New(slog.NewTextHandler(&log, nil)), time.Minute)
		noon := func(d time.Time) time.Time { return d.Add(12 * time.Hour) }
		ticks := []schedule.Tick{
			{N: 1, At: noon(days[0])},
			{N: 2, At: noon(days[0]).Add(time.Hour), Prev: noon(days[0])},
			{N: 3, At: noon(days[2]), Prev: noon(days[0]).Add(time.Hour)},
		}
		due := regexp.MustCompile(`msg="deadline due" case=(\S+) rule=(\S+) subject=(\S*) .* due=(\S+)`)
		var logged [][]string
		for _, tk := range ticks {
			before := len(log.String())
			if err := job.Run(ctx, tk); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range due.FindAllStringSubmatch(log.String()[before:], -1) {
				got = append(got, strings.Join(m[1:], " "))
			}
			logged = append(logged, got)
		}
		want := func(from, to time.Time) []string {
			var out []string
			for _, d := range open {
				if !d.Due.Before(from) && !d.Due.After(to) {
					out = append(out, strings.Join([]string{d.Case, d.Rule, d.Subject, d.Due.Format(time.DateOnly)}, " "))
				}
			}
			return out
		}
		for i, w := range [][]string{want(days[0], days[0]), nil, want(days[1], days[2])} {
			slices.Sort(w)
			slices.Sort(logged[i])
			if !slices.Equal(logged[i], w) {
				t.Errorf("tick %d logged %q, want %q", i+1, logged[i], w)
			}
		}
		t.Logf("deadlines logged by the three ticks: %d, %d, %d", len(logged[0]), len(logged[1]), len(logged[2]))
		if n := strings.Count(log.String(), `msg="deadline tick"`); n != 3 {
			t.Errorf("%d tick lines for three ticks:\n%s", n, log.String())
		}
	})
}

// serve hands its leases back when it stops, so that another process takes
// the scheduled work over at once rather than when the lease would expire.
func TestServeHandsBackItsLeases(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "leases.db")
	m, out, errb := envMain(map[string]string{"THROUGHLINE_DB": dsn})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- m.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--tick", "50ms"}) }()
	waitForLine(t, errb, errb, done, regexp.MustCompile(`msg="deadline tick" tick=1 `), 20*time.Second)
	s := openStore(t, dsn)
	defer s.Close()
	waitFor(t, "the regular updates' first tick", func() bool {
		l, _, _ := s.LeaseOf(context.Background(), "regular-updates")
		return l.Tick == 1
	})
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve: exit %d: %s %s", code, out, errb)
	}
	for _, name := range []string{"deadlines", "regular-updates"} {
		l, ok, err := s.LeaseOf(context.Background(), name)
		// More ticks may have run before the stop on a slow machine: at
		// least one, and the lease handed back.
		if err != nil || !ok || l.Tick < 1 || !l.Expires.IsZero() {
			t.Errorf("%s after serve stopped: %+v %v %v, want ticked and handed back", name, l, ok, err)
		}
	}
}
