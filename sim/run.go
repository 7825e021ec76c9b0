package sim

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

// Options control a Monte Carlo run.
type Options struct {
	Replications int    // default DefaultReplications
	Seed         uint64 // replication i is seeded from (Seed, i) alone
	Workers      int    // goroutines; default runtime.GOMAXPROCS(0)
	// Progress, if set, is called once per finished replication, from any
	// worker goroutine: it must be safe for concurrent use.
	Progress func()
}

// DefaultReplications is the number of replications when Options does not say.
const DefaultReplications = 100

// MaxReplications bounds a run.
const MaxReplications = 1_000_000

// Run simulates the scenario Replications times in parallel and aggregates the
// results. The result depends only on the scenario, Seed and Replications —
// not on Workers or on scheduling — because each replication has its own
// random streams and the per-replication results are combined in index order.
// It returns an error wrapping ErrInvalid for a bad scenario or options, and
// ctx.Err() if the context ends first.
func Run(ctx context.Context, s Scenario, o Options) (*Result, error) {
	p, err := compile(s)
	if err != nil {
		return nil, err
	}
	n := o.Replications
	if n == 0 {
		n = DefaultReplications
	}
	if n < 1 || n > MaxReplications {
		return nil, fmt.Errorf("%w: replications must be between 1 and %d, got %d", ErrInvalid, MaxReplications, n)
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)

	runs := make([]Replication, n)
	type pooled struct{ wait, charge, report histogram }
	pools := make([]pooled, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := newModel(p)
			pool := &pools[w]
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				runs[i] = m.run(o.Seed, i)
				pool.wait.merge(m.wait)
				pool.charge.merge(m.charge)
				pool.report.merge(m.report)
				if o.Progress != nil {
					o.Progress()
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var wait, charge, report histogram
	for i := range pools {
		wait.merge(&pools[i].wait)
		charge.merge(&pools[i].charge)
		report.merge(&pools[i].report)
	}
	return aggregate(p, o.Seed, runs, &wait, &charge, &report), nil
}
