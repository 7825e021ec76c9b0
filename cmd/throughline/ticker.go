package main

import (
	"context"
	"log/slog"
	"time"

	"throughline"
	"throughline/sqlstore"
)

// watchDeadlines wakes every interval and logs the open deadlines that fell
// due since the last tick, so that a duty falling due is never silent: the
// lists on the staff pages show them to their owners, and the log line is
// what monitoring alerts on. It returns when ctx ends.
func watchDeadlines(ctx context.Context, s *sqlstore.Store, logger *slog.Logger, now func() time.Time, interval time.Duration) {
	last := now()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		cur := now()
		ds, err := s.DeadlinesDue(ctx, throughline.DeadlineFilter{OpenOnly: true, DueAfter: day(last).AddDate(0, 0, -1), DueBefore: day(cur)})
		if err != nil {
			logger.Error("deadline tick failed: deadlines may be falling due unseen", "err", err)
			continue
		}
		for _, d := range ds {
			if !d.Due.Before(day(last)) {
				logger.Warn("deadline due", "case", d.Case, "rule", d.Rule, "subject", d.Subject, "owner", d.Owner, "due", d.Due.Format(time.DateOnly))
			}
		}
		last = cur
	}
}

// day is the London calendar day of t as midnight UTC.
func day(t time.Time) time.Time {
	y, m, d := t.In(throughline.London).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
