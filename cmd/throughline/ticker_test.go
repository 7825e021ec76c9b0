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
	"throughline/internal/testwait"
	"throughline/schedule"
	"throughline/sqlstore"
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
	waitForLine(t, errb, errb, done, regexp.MustCompile(`msg="deadline tick" tick=1 `))
	s := openStore(t, dsn)
	defer s.Close()
	testwait.For(t, "the regular updates' first tick", func() bool {
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

// `throughline dispatch` run on its own queues the regular updates under
// serve's lease, never on a timer of its own: a serve process and a
// dispatch process on one database (each its own connection, one injected
// clock) run each tick once between them — in whichever holds the lease —
// and the dispatch process carries the work on when serve dies.
func TestDispatchSharesServesLease(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		const every, ttl, step = time.Minute, 3 * time.Minute, 20 * time.Second
		now := time.Date(2026, 11, 25, 9, 0, 7, 0, time.UTC)
		clk := func() time.Time { return now }
		quiet := slog.New(slog.DiscardHandler)
		serveStore, dispatchStore := openStore(t, dsn), openStore(t, dsn)
		t.Cleanup(func() { serveStore.Close(); dispatchStore.Close() })
		procs := map[string]*schedule.Scheduler{
			"serve":    scheduledWork(serveStore, quiet, clk, every, ttl, nil),
			"dispatch": dispatchWork(dispatchStore, quiet, clk, every, ttl),
		}
		// Each process's regular-updates runs, as they happen.
		type run struct {
			proc string
			tick schedule.Tick
		}
		var runs []run
		for name, p := range procs {
			jobs := slices.Clone(p.Jobs)
			for i, j := range jobs {
				if j.Name != "regular-updates" {
					continue
				}
				inner := j.Run
				jobs[i].Run = func(ctx context.Context, tk schedule.Tick) error {
					runs = append(runs, run{name, tk})
					return inner(ctx, tk)
				}
			}
			p.Jobs = jobs
		}
		if !slices.ContainsFunc(procs["dispatch"].Jobs, func(j schedule.Job) bool { return j.Name == "regular-updates" }) {
			t.Fatal("dispatch has no regular-updates job")
		}
		stepAll := func(names ...string) {
			for _, n := range names {
				if err := procs[n].Step(ctx); err != nil {
					t.Fatal(err)
				}
			}
			now = now.Add(step)
		}
		start := now
		for i := range 30 { // ten minutes, both alive, in either order
			if i%2 == 0 {
				stepAll("dispatch", "serve")
			} else {
				stepAll("serve", "dispatch")
			}
		}
		died := now
		for range 30 { // serve is dead: only dispatch steps
			stepAll("dispatch")
		}
		periods := map[time.Time]int{}
		var before, after []string
		for i, r := range runs {
			if r.tick.N != int64(i+1) {
				t.Errorf("tick %d ran as number %d: each tick once, in order, across both processes", i+1, r.tick.N)
			}
			periods[r.tick.At.Truncate(every)]++
			if r.tick.At.Before(died) {
				before = append(before, r.proc)
			} else {
				after = append(after, r.proc)
			}
		}
		for p, n := range periods {
			if n != 1 {
				t.Errorf("the period at %v ran %d times", p, n)
			}
		}
		if len(before) < 9 || len(slices.Compact(slices.Clone(before))) != 1 {
			t.Errorf("while both lived, %d ticks ran in %v: want one a minute, all in the lease's holder", len(before), slices.Compact(before))
		}
		if len(after) == 0 || slices.ContainsFunc(after, func(p string) bool { return p != "dispatch" }) {
			t.Errorf("after serve died, the ticks ran in %v: want dispatch to carry them on", after)
		} else if took := runs[len(before)].tick.At.Sub(died); took > ttl+every {
			t.Errorf("dispatch took over %v after serve died, want within the lease and a tick", took)
		}
		// The command itself: `dispatch --once` while another process holds
		// the lease queues nothing of its own; once the lease has lapsed it
		// takes it, runs the period's tick under it, and hands it back.
		tickOf := func() sqlstore.Lease {
			l, _, err := serveStore.LeaseOf(ctx, "regular-updates")
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		held := tickOf()
		if code, out, errs := runAt(t, now, "", "dispatch", "--once", "--db", dsn); code != 0 {
			t.Fatalf("dispatch --once: %d %s %s", code, out, errs)
		}
		if l := tickOf(); l.Tick != held.Tick || l.Holder != held.Holder {
			t.Errorf("dispatch --once beside the lease's holder: tick %d → %d, holder %s → %s; want it to leave the tick to the holder", held.Tick, l.Tick, held.Holder, l.Holder)
		}
		if code, out, errs := runAt(t, now.Add(ttl+every), "", "dispatch", "--once", "--db", dsn); code != 0 {
			t.Fatalf("dispatch --once: %d %s %s", code, out, errs)
		}
		if l := tickOf(); l.Tick != held.Tick+1 || !l.Expires.IsZero() {
			t.Errorf("dispatch --once with the lease lapsed: tick %d → %d, expires %v; want one tick under the lease, then the lease handed back", held.Tick, l.Tick, l.Expires)
		}
		t.Logf("%d ticks in %v: %d while both lived (in %v), %d in dispatch after serve died", len(runs), now.Sub(start), len(before), slices.Compact(before), len(after))
	})
}
