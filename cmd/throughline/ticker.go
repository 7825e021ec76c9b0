package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"time"

	"throughline"
	"throughline/schedule"
	"throughline/sqlstore"
)

// scheduledWork is serve's periodic work, run under leases (package
// schedule, ADR 0013) so that however many serve processes share the
// database each tick runs in one of them, and carries on in another when
// that one dies.
func scheduledWork(s *sqlstore.Store, logger *slog.Logger, now func() time.Time, every, lease time.Duration) *schedule.Scheduler {
	return &schedule.Scheduler{Leases: s, Holder: holderID(), TTL: lease, Now: now, Logger: logger, Jobs: []schedule.Job{
		deadlineTick(s, logger, every),
		{Name: "regular-updates", Every: every, Run: func(ctx context.Context, t schedule.Tick) error {
			return queueRegularUpdates(ctx, s, logger, t.At)
		}},
	}}
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
