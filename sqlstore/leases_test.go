package sqlstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"throughline/sqlstore/storetest"
)

// Holders racing for one lease, each on its own connection: exactly one
// holds it; the others take it only once it expires or is handed back,
// each takeover with a new fence; a tick is claimed once per period, and
// only by the holder.
func TestLeaseCompareAndSet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn)
		now := clock
		const ttl = time.Minute
		var mu sync.Mutex
		var winners []string
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				holder := fmt.Sprintf("h%d", i)
				_, held, err := s.HoldLease(ctx, "job", holder, now, ttl)
				if err != nil {
					t.Error(err)
				}
				if held {
					mu.Lock()
					winners = append(winners, holder)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(winners) != 1 {
			t.Fatalf("%d holders of one lease: %v", len(winners), winners)
		}
		first := winners[0]
		other := "h0"
		if first == other {
			other = "h1"
		}
		if _, held, _ := s.HoldLease(ctx, "job", other, now.Add(ttl-time.Second), ttl); held {
			t.Fatal("a lease not yet expired was taken over")
		}
		if fence, held, _ := s.HoldLease(ctx, "job", first, now.Add(ttl-time.Second), ttl); !held || fence != 1 {
			t.Fatalf("renewal by the holder: held %v fence %d, want true 1", held, fence)
		}
		// Claims: not by another, once per period by the holder.
		at := now.Add(ttl + 7*time.Second) // within a period, not at its start
		if _, _, ok, _ := s.ClaimTick(ctx, "job", other, at.Truncate(time.Minute), at); ok {
			t.Fatal("a process not holding the lease claimed a tick")
		}
		if n, prev, ok, err := s.ClaimTick(ctx, "job", first, at.Truncate(time.Minute), at); !ok || n != 1 || !prev.IsZero() || err != nil {
			t.Fatalf("first claim: %d %v %v %v", n, prev, ok, err)
		}
		if _, _, ok, _ := s.ClaimTick(ctx, "job", first, at.Truncate(time.Minute), at.Add(time.Second)); ok {
			t.Fatal("a period's tick claimed twice")
		}
		// Expired (renewed last at ttl-1s, so it ends at 2ttl-1s): taken over.
		later := now.Add(2 * ttl)
		if fence, held, _ := s.HoldLease(ctx, "job", other, later, ttl); !held || fence != 2 {
			t.Fatalf("takeover after expiry: held %v fence %d, want true 2", held, fence)
		}
		if _, _, ok, _ := s.ClaimTick(ctx, "job", first, later.Truncate(time.Minute), later); ok {
			t.Fatal("the old holder claimed a tick after losing the lease")
		}
		n, prev, ok, err := s.ClaimTick(ctx, "job", other, later.Truncate(time.Minute), later)
		if !ok || n != 2 || !prev.Equal(at) || err != nil {
			t.Fatalf("the new holder's claim: %d %v %v %v, want 2 %v", n, prev, ok, err, at)
		}
		// Handed back: another takes it at once.
		if err := s.ReleaseLease(ctx, "job", other); err != nil {
			t.Fatal(err)
		}
		if fence, held, _ := s.HoldLease(ctx, "job", first, later, ttl); !held || fence != 3 {
			t.Fatalf("after release: held %v fence %d, want true 3", held, fence)
		}
		l, ok, err := s.LeaseOf(ctx, "job")
		if !ok || err != nil || l.Holder != first || l.Tick != 2 || !l.TickedAt.Equal(later) || !l.Expires.Equal(later.Add(ttl)) {
			t.Fatalf("lease as it stands: %+v %v %v", l, ok, err)
		}
	})
}
