// Package schedule runs periodic work — the deadline tick, the regular
// updates owed to victims — once per tick across every serve process that
// shares a database, in whichever process holds the job's lease.
//
// A lease is a row (sqlstore's leases table), taken and renewed by a
// compare-and-set, and each tick is recorded in it before it runs. Not
// PostgreSQL advisory locks: an advisory lock belongs to one connection of
// the pool, is lost without a word when the pool recycles or the network
// drops that connection, and has no SQLite equivalent; a row works the same
// on both databases, names its holder for an operator to see, carries the
// count of ticks that makes "once per tick" checkable, and is tested with
// an injected clock. See docs/adr/0013.
package schedule

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// Leases is what the scheduler needs from the store (sqlstore.Store). Each
// method is one compare-and-set, so two processes never both hold a lease
// and a tick is never claimed twice.
type Leases interface {
	// HoldLease acquires lease name for holder until now+ttl, or renews
	// it, and reports whether holder holds it.
	HoldLease(ctx context.Context, name, holder string, now time.Time, ttl time.Duration) (fence int64, held bool, err error)
	// ReleaseLease hands the lease back if holder holds it.
	ReleaseLease(ctx context.Context, name, holder string) error
	// ClaimTick records a tick of lease name run by holder at now, if
	// holder holds the lease and no tick has run since since.
	ClaimTick(ctx context.Context, name, holder string, since, now time.Time) (n int64, prev time.Time, ok bool, err error)
}

// Job is periodic work: a tick in each period of Every (periods aligned to
// the clock, so every process agrees where one ends), run by the holder of
// the lease Name. Run should take well under the lease's length: the lease
// is renewed between ticks, not during one.
type Job struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context, t Tick) error
}

// Tick is one run of a job.
type Tick struct {
	N    int64     // counted from 1 across every process
	At   time.Time // when it runs
	Prev time.Time // when the tick before it ran, in whichever process; zero for the first
}

// Scheduler runs jobs in this process while it holds their leases.
type Scheduler struct {
	Leases Leases
	// Holder names this process in the leases; unique per process (host,
	// process id and a random part, so a restarted process is new).
	Holder string
	// TTL is how long a lease lasts unrenewed: how long the work waits
	// after its holder dies before another process takes it over.
	TTL    time.Duration
	Now    func() time.Time
	Logger *slog.Logger
	Jobs   []Job

	fences map[string]int64 // the holding of each lease this process has; absent when none
}

// Step renews or tries to take each job's lease and, where this process
// holds it, runs the job's tick if the current period's has not run
// anywhere. It returns the jobs' errors and the store's, joined.
func (s *Scheduler) Step(ctx context.Context) error {
	if s.fences == nil {
		s.fences = map[string]int64{}
	}
	var errs []error
	for _, j := range s.Jobs {
		if err := s.step(ctx, j); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (s *Scheduler) step(ctx context.Context, j Job) error {
	now := s.Now()
	fence, held, err := s.Leases.HoldLease(ctx, j.Name, s.Holder, now, s.TTL)
	if err != nil {
		return err
	}
	had, hadIt := s.fences[j.Name]
	switch {
	case held && (!hadIt || had != fence):
		s.logger().Info("scheduled work: this process holds the lease", "job", j.Name, "holder", s.Holder, "fence", fence)
		s.fences[j.Name] = fence
	case !held && hadIt:
		s.logger().Warn("scheduled work: the lease passed to another process", "job", j.Name, "holder", s.Holder)
		delete(s.fences, j.Name)
	}
	if !held {
		return nil
	}
	n, prev, ok, err := s.Leases.ClaimTick(ctx, j.Name, s.Holder, now.Truncate(j.Every), now)
	if err != nil || !ok {
		return err
	}
	// The tick is recorded before it runs: a process that dies during it
	// leaves it run at most once, and the next tick, told when this one
	// began (Prev), covers what it missed.
	return j.Run(ctx, Tick{N: n, At: now, Prev: prev})
}

// Run steps whenever a job's next period begins and often enough to renew
// the leases (a third of TTL), until ctx ends; then it hands back the
// leases it holds, so that another process takes the work over at once.
func (s *Scheduler) Run(ctx context.Context) {
	for {
		if err := s.Step(ctx); err != nil && ctx.Err() == nil {
			s.logger().Error("scheduled work failed; trying again at the next tick", "err", err)
		}
		t := time.NewTimer(s.wait(s.Now()))
		select {
		case <-ctx.Done():
			t.Stop()
			s.Release()
			return
		case <-t.C:
		}
	}
}

// wait is how long from now until the next step: the start of the next
// period of any job, or a third of the lease, whichever is sooner.
func (s *Scheduler) wait(now time.Time) time.Duration {
	d := s.TTL / 3
	for _, j := range s.Jobs {
		d = min(d, now.Truncate(j.Every).Add(j.Every).Sub(now))
	}
	return max(d, time.Millisecond)
}

// Release hands back the leases this process holds, so that another
// process takes their work over at once rather than when they expire: Run
// does it when it ends, a caller that only Steps does it when done.
func (s *Scheduler) Release() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for name := range s.fences {
		if err := s.Leases.ReleaseLease(ctx, name, s.Holder); err != nil {
			s.logger().Warn("scheduled work: lease not handed back; another process takes it when it expires", "job", name, "err", err)
			continue
		}
		delete(s.fences, name)
	}
}

func (s *Scheduler) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}
