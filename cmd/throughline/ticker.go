package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"throughline"
	"throughline/schedule"
	"throughline/sqlstore"
)

// scheduledWork is serve's periodic work, run under leases (package
// schedule, ADR 0013) so that however many serve processes share the
// database each tick runs in one of them, and carries on in another when
// that one dies.
func scheduledWork(s *sqlstore.Store, logger *slog.Logger, now func() time.Time, every, lease time.Duration, cp *checkpointing) *schedule.Scheduler {
	jobs := []schedule.Job{deadlineTick(s, logger, every), regularUpdates(s, logger, every)}
	if cp != nil {
		jobs = append(jobs, cp.job(s, logger))
	}
	return &schedule.Scheduler{Leases: s, Holder: holderID(), TTL: lease, Now: now, Logger: logger, Jobs: jobs}
}

// dispatchWork is the periodic work of `throughline dispatch` run on its
// own: the regular updates, under the very lease serve's scheduler takes,
// so that a fleet of serve processes and dispatch processes queue each
// tick's updates once between them.
func dispatchWork(s *sqlstore.Store, logger *slog.Logger, now func() time.Time, every, lease time.Duration) *schedule.Scheduler {
	return &schedule.Scheduler{Leases: s, Holder: holderID(), TTL: lease, Now: now, Logger: logger, Jobs: []schedule.Job{regularUpdates(s, logger, every)}}
}

// regularUpdates queues, once a tick across every process, the regular
// updates owed to victims (dispatch.QueueRegularUpdates).
func regularUpdates(s *sqlstore.Store, logger *slog.Logger, every time.Duration) schedule.Job {
	return schedule.Job{Name: "regular-updates", Every: every, Run: func(ctx context.Context, t schedule.Tick) error {
		return queueRegularUpdates(ctx, s, logger, t.At)
	}}
}

// tickFlags are the flags of scheduled work, shared by serve and dispatch.
type tickFlags struct{ every, lease *time.Duration }

func addTickFlags(m *Main, fs *flag.FlagSet) (tickFlags, error) {
	tickDefault, err := m.envDuration("THROUGHLINE_TICK", time.Minute)
	if err != nil {
		return tickFlags{}, err
	}
	leaseDefault, err := m.envDuration("THROUGHLINE_TICK_LEASE", 0)
	if err != nil {
		return tickFlags{}, err
	}
	return tickFlags{
		every: fs.Duration("tick", tickDefault, "how often scheduled work (the deadline tick, regular updates to victims) runs, once across every serve and dispatch process on the database (default from $THROUGHLINE_TICK)"),
		lease: fs.Duration("tick-lease", leaseDefault, "how long a process holds the scheduled work unrenewed: how soon another takes it over when the holder dies; longer than --tick (default three ticks, or $THROUGHLINE_TICK_LEASE)"),
	}, nil
}

// check fills in the lease's default and refuses a lease no longer than
// the tick, once the flags are parsed.
func (tf tickFlags) check() error {
	if *tf.lease == 0 {
		*tf.lease = 3 * *tf.every
	}
	if *tf.every <= 0 || *tf.lease <= *tf.every {
		return usagef("--tick must be positive and --tick-lease longer than it, not %v and %v", *tf.every, *tf.lease)
	}
	return nil
}

// checkpointing is serve's own signed checkpoints (ADR 2, 14): one every
// period across the fleet, each also written outside the database, so that a
// monitor can poll the directory and publish the signatures, and someone
// who rewrites the database cannot also rewrite what was published.
type checkpointing struct {
	key   ed25519.PrivateKey
	dir   string
	every time.Duration
}

func (c *checkpointing) job(s *sqlstore.Store, logger *slog.Logger) schedule.Job {
	return schedule.Job{Name: "checkpoints", Every: c.every, Run: func(ctx context.Context, t schedule.Tick) error {
		cp, err := s.Checkpoint(ctx, c.key)
		if err != nil {
			return fmt.Errorf("checkpoint tick %d failed: %w", t.N, err)
		}
		signature := base64.StdEncoding.EncodeToString(cp.Signature)
		logger.Info("checkpoint taken", "checkpoint", cp.ID, "cases", cp.Cases, "events", cp.Events, "heads", cp.Moved, "signature", signature)
		if c.dir == "" {
			return nil
		}
		return c.publish(cp, signature)
	}}
}

// publishedCheckpoint is a checkpoint as written to the directory.
type publishedCheckpoint struct {
	ID        int64  `json:"id"`
	TakenAt   string `json:"taken_at"`
	Cases     int64  `json:"cases"`
	Events    int64  `json:"events"`
	Heads     int    `json:"heads_sealed"`
	Root      []byte `json:"root"`
	Signature []byte `json:"signature"`
	PublicKey []byte `json:"public_key"`
}

// publish writes checkpoint-N.json and then latest.json, each whole or not
// at all (written aside and renamed), so that a monitor never reads half a
// file.
func (c *checkpointing) publish(cp throughline.CheckpointInfo, signature string) error {
	b, err := json.MarshalIndent(publishedCheckpoint{ID: cp.ID, TakenAt: cp.TakenAt.Format(time.RFC3339Nano), Cases: cp.Cases, Events: cp.Events,
		Heads: cp.Moved, Root: cp.Root, Signature: cp.Signature, PublicKey: c.key.Public().(ed25519.PublicKey)}, "", "  ")
	if err != nil {
		return err
	}
	for _, name := range []string{fmt.Sprintf("checkpoint-%08d.json", cp.ID), "latest.json"} {
		if err := writeWhole(filepath.Join(c.dir, name), append(b, '\n')); err != nil {
			return fmt.Errorf("checkpoint %d (signature %s) was taken but not written to %s: %w", cp.ID, signature, c.dir, err)
		}
	}
	return nil
}

// writeWhole writes b to path durably: to a file beside it, synced, then
// renamed over it.
func writeWhole(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".checkpoint-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// holderID names this process in the leases: the host and process id for
// an operator reading the leases table, and a random part so that a
// restarted process, even with a reused pid, is never mistaken for the one
// before it.
func holderID() string {
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", hostname(), os.Getpid(), hex.EncodeToString(b))
}

// deadlineTick logs, once across the fleet, each open deadline as it falls
// due — those due after the day of the tick before (in whichever process
// it ran) up to today — so that a duty falling due is never silent: the
// lists on the staff pages show them to their owners, and the log line is
// what monitoring alerts on. Each tick also logs a line of its own, whose
// absence tells monitoring that scheduled work has stopped.
func deadlineTick(s *sqlstore.Store, logger *slog.Logger, every time.Duration) schedule.Job {
	return schedule.Job{Name: "deadlines", Every: every, Run: func(ctx context.Context, t schedule.Tick) error {
		from, to := day(t.Prev), day(t.At)
		if t.Prev.IsZero() {
			from = to.AddDate(0, 0, -1) // the first tick ever: today's
		}
		n := 0
		if from.Before(to) {
			ds, err := s.DeadlinesDue(ctx, throughline.DeadlineFilter{OpenOnly: true, DueAfter: from, DueBefore: to})
			if err != nil {
				return fmt.Errorf("deadline tick %d failed: deadlines may be falling due unseen: %w", t.N, err)
			}
			for _, d := range ds {
				logger.Warn("deadline due", "case", d.Case, "rule", d.Rule, "subject", d.Subject, "owner", d.Owner, "due", d.Due.Format(time.DateOnly))
			}
			n = len(ds)
		}
		logger.Info("deadline tick", "tick", t.N, "fell_due", n)
		return nil
	}}
}

// day is the London calendar day of t as midnight UTC.
func day(t time.Time) time.Time {
	y, m, d := t.In(throughline.London).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
