package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Leases on scheduled work (package schedule, ADR 0013): a row per job
// names the process that runs its ticks and until when. Every change is a
// compare-and-set in the database, so two processes never both hold a
// lease and a tick is never run twice, whichever process asks. The
// instants are the caller's clock: the processes of a fleet must agree to
// well within a lease's length, as NTP keeps them.

// HoldLease acquires lease name for holder until now+ttl, or renews it if
// holder holds it already, and reports whether holder holds it. Another
// holder's lease is taken over only once it has expired (or was released);
// fence is then one more than the last holder's, so that each holding has
// its own number.
func (s *Store) HoldLease(ctx context.Context, name, holder string, now time.Time, ttl time.Duration) (fence int64, held bool, err error) {
	// One statement: the insert, the renewal and the takeover are decided
	// by the database on the row as it stands, with nothing read first
	// that another process could change in between.
	q := `INSERT INTO leases (name, holder, expires_at, fence) VALUES (?, ?, ?, 1)
		ON CONFLICT (name) DO UPDATE SET
			fence = CASE WHEN leases.holder = excluded.holder AND leases.expires_at >= ? THEN leases.fence ELSE leases.fence + 1 END,
			holder = excluded.holder, expires_at = excluded.expires_at
		WHERE leases.holder = excluded.holder OR leases.expires_at < ?
		RETURNING fence`
	err = s.write(ctx, func(tx *sql.Tx) error {
		held = false
		err := tx.QueryRowContext(ctx, s.d.rebind(q), name, holder, ts(now.Add(ttl)), ts(now), ts(now)).Scan(&fence)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // another holds it
		}
		held = err == nil
		return err
	})
	return fence, held, err
}

// ReleaseLease hands lease name back if holder holds it, so that another
// process may take it at once rather than when it would have expired.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE leases SET expires_at = '' WHERE name = ? AND holder = ?`), name, holder)
		return err
	})
}

// ClaimTick records that holder runs a tick of lease name at now, if
// holder holds the lease at now and no tick has run at or after since (the
// start of the period the tick is for). It returns the tick's number,
// counted from 1 across every holder, and when the tick before it ran
// (zero for the first); ok is false, and nothing is recorded, when the
// tick is not holder's to run.
func (s *Store) ClaimTick(ctx context.Context, name, holder string, since, now time.Time) (n int64, prev time.Time, ok bool, err error) {
	err = s.write(ctx, func(tx *sql.Tx) error {
		n, prev, ok = 0, time.Time{}, false
		var last string
		err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT tick, ticked_at FROM leases WHERE name = ?`+s.d.lockRow), name).Scan(&n, &last)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		// The conditions are checked again in the update itself, so that
		// the claim holds on its own even where the row is not locked.
		res, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE leases SET tick = tick + 1, ticked_at = ?
			WHERE name = ? AND holder = ? AND expires_at >= ? AND ticked_at < ? AND tick = ?`), ts(now), name, holder, ts(now), ts(since), n)
		if err != nil {
			return err
		}
		if k, err := res.RowsAffected(); err != nil || k != 1 {
			n = 0
			return err
		}
		if last != "" {
			if prev, err = time.Parse(time.RFC3339Nano, last); err != nil {
				return err
			}
		}
		n, ok = n+1, true
		return nil
	})
	return n, prev, ok, err
}

// Lease is a lease as it stands, for tests and operators.
type Lease struct {
	Name, Holder string
	Expires      time.Time // zero once released
	Fence, Tick  int64
	TickedAt     time.Time // zero before the first tick
}

// LeaseOf returns lease name as it stands (ok false if never held).
func (s *Store) LeaseOf(ctx context.Context, name string) (l Lease, ok bool, err error) {
	var exp, ticked string
	err = s.db.QueryRowContext(ctx, s.d.rebind(`SELECT name, holder, expires_at, fence, tick, ticked_at FROM leases WHERE name = ?`), name).
		Scan(&l.Name, &l.Holder, &exp, &l.Fence, &l.Tick, &ticked)
	if errors.Is(err, sql.ErrNoRows) {
		return Lease{}, false, nil
	}
	if err != nil {
		return Lease{}, false, err
	}
	if exp != "" {
		l.Expires, _ = time.Parse(time.RFC3339Nano, exp)
	}
	if ticked != "" {
		l.TickedAt, _ = time.Parse(time.RFC3339Nano, ticked)
	}
	return l, true, nil
}
