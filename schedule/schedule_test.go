package schedule_test

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"throughline/schedule"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
	"throughline/wire"
)

// grants records each time a holder was told it holds the lease, as
// another process would see it: from then until then+TTL.
type grants struct {
	schedule.Leases
	mu  sync.Mutex
	got []grant
}

type grant struct {
	holder string
	at     time.Time
}

func (g *grants) HoldLease(ctx context.Context, name, holder string, now time.Time, ttl time.Duration) (int64, bool, error) {
	fence, held, err := g.Leases.HoldLease(ctx, name, holder, now, ttl)
	if held {
		g.mu.Lock()
		g.got = append(g.got, grant{holder, now})
		g.mu.Unlock()
	}
	return fence, held, err
}

type run struct {
	holder string
	tick   schedule.Tick
}

// Two processes' schedulers, each with its own connection to one database
// and the same injected clock: only one holds the lease at any moment;
// each tick number runs once, one per period; when the holder dies (stops
// renewing) the other takes the work over once the lease expires, and its
// first tick is told when the dead one's last ran.
func TestLeaseOneHolderEachTickOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		const every, ttl, step = time.Minute, 3 * time.Minute, 20 * time.Second
		now := time.Date(2026, 11, 25, 9, 0, 7, 0, time.UTC)
		clock := func() time.Time { return now }
		var runs []run
		procs := map[string]*schedule.Scheduler{}
		var recorders []*grants
		for _, name := range []string{"a", "b"} {
			s, err := sqlstore.Open(ctx, dsn, wire.Rules())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			g := &grants{Leases: s}
			recorders = append(recorders, g)
			procs[name] = &schedule.Scheduler{Leases: g, Holder: name, TTL: ttl, Now: clock, Jobs: []schedule.Job{{Name: "deadlines", Every: every,
				Run: func(ctx context.Context, tk schedule.Tick) error {
					runs = append(runs, run{name, tk})
					return nil
				}}}}
		}
		r := rand.New(rand.NewPCG(1, uint64(len(dsn))))
		stepAll := func(names ...string) {
			if r.IntN(2) == 0 && len(names) == 2 {
				names[0], names[1] = names[1], names[0]
			}
			for _, n := range names {
				if err := procs[n].Step(ctx); err != nil {
					t.Fatal(err)
				}
			}
			now = now.Add(step)
		}
		for range 30 { // ten minutes, both alive
			stepAll("a", "b")
		}
		if len(runs) == 0 {
			t.Fatal("no tick ran")
		}
		holder := runs[0].holder
		for _, rn := range runs {
			if rn.holder != holder {
				t.Fatalf("while both lived, ticks ran in both: %+v", runs)
			}
		}
		survivor := map[string]string{"a": "b", "b": "a"}[holder]
		died := now
		lastBefore := runs[len(runs)-1]
		for range 30 { // the holder is dead: only the survivor steps
			stepAll(survivor)
		}
		var after []run
		for _, rn := range runs {
			if rn.holder == survivor {
				after = append(after, rn)
			}
		}
		if len(after) == 0 {
			t.Fatal("the survivor never took the work over")
		}
		if took := after[0].tick.At.Sub(died); took > ttl+every {
			t.Errorf("the survivor took over %v after the holder died, want within the lease and a tick (%v)", took, ttl+every)
		}
		if !after[0].tick.Prev.Equal(lastBefore.tick.At) {
			t.Errorf("the survivor's first tick was told the last ran at %v, want %v", after[0].tick.Prev, lastBefore.tick.At)
		}
		// Each tick number once, in order; each period at most once.
		periods := map[time.Time]bool{}
		for i, rn := range runs {
			if rn.tick.N != int64(i+1) {
				t.Fatalf("run %d is tick %d: %+v", i, rn.tick.N, runs)
			}
			p := rn.tick.At.Truncate(every)
			if periods[p] {
				t.Fatalf("the period from %v ran twice", p)
			}
			periods[p] = true
		}
		// Ten periods passed while both lived and ten after; the takeover
		// costs at most the lease's length.
		if len(runs) < 20-int(ttl/every) {
			t.Errorf("only %d ticks in twenty minutes", len(runs))
		}
		// No moment when two held the lease.
		var all []grant
		for _, g := range recorders {
			all = append(all, g.got...)
		}
		for _, g1 := range all {
			for _, g2 := range all {
				if g1.holder != g2.holder && !g2.at.Before(g1.at) && g2.at.Before(g1.at.Add(ttl)) {
					t.Fatalf("%s was granted the lease at %v while %s held it from %v", g2.holder, g2.at, g1.holder, g1.at)
				}
			}
		}
		t.Logf("%d ticks; %s held the lease, then %s from %v after the kill at %v", len(runs), holder, survivor, after[0].tick.At.Format(time.TimeOnly), died.Format(time.TimeOnly))
	})
}
