package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// groupCommitter is SQLite's single writer. SQLite allows one writing
// transaction at a time and, with synchronous=FULL, each commit costs an
// fsync. Concurrent writers therefore queue here and are committed together:
// each request runs under its own savepoint, so a refused request rolls back
// alone, and all of a group are acknowledged only after the one durable commit.
type groupCommitter struct {
	db   *sql.DB
	reqs chan *writeReq
	quit chan struct{}
	done chan struct{}
}

type writeReq struct {
	ctx context.Context
	fn  func(tx *sql.Tx) error
	err chan error
}

// maxGroup bounds one group so a long queue cannot hold a transaction open.
const maxGroup = 256

var errClosed = errors.New("store is closed")

func newGroupCommitter(db *sql.DB) *groupCommitter {
	g := &groupCommitter{db: db, reqs: make(chan *writeReq), quit: make(chan struct{}), done: make(chan struct{})}
	go g.loop()
	return g
}

func (g *groupCommitter) do(ctx context.Context, fn func(tx *sql.Tx) error) error {
	r := &writeReq{ctx: ctx, fn: fn, err: make(chan error, 1)}
	select {
	case g.reqs <- r:
	case <-ctx.Done():
		return ctx.Err()
	case <-g.quit:
		return errClosed
	}
	// Once queued the request is committed or refused; wait for the outcome
	// even if the caller gives up, so an acknowledgement is never ambiguous.
	return <-r.err
}

func (g *groupCommitter) close() {
	close(g.quit)
	<-g.done
}

func (g *groupCommitter) loop() {
	defer close(g.done)
	for {
		var first *writeReq
		select {
		case first = <-g.reqs:
		case <-g.quit:
			return
		}
		group := []*writeReq{first}
	fill:
		for len(group) < maxGroup {
			select {
			case r := <-g.reqs:
				group = append(group, r)
			default:
				break fill
			}
		}
		g.commit(group)
	}
}

// commit runs a group in one transaction. Refusals are rare, so the group
// first runs without savepoints; if any request fails, the transaction is
// rolled back and the group runs again, each request under a savepoint so
// that it fails alone. (Requests reset their own results when run again.)
func (g *groupCommitter) commit(group []*writeReq) {
	if len(group) > 1 && g.commitOptimistically(group) {
		return
	}
	g.commitIsolated(group)
}

// commitOptimistically runs the group with no savepoints and reports
// whether it committed; false means nothing was acknowledged.
func (g *groupCommitter) commitOptimistically(group []*writeReq) bool {
	tx, err := g.db.BeginTx(context.Background(), nil)
	if err != nil {
		return false
	}
	for _, r := range group {
		if r.ctx.Err() != nil || r.fn(tx) != nil {
			tx.Rollback()
			return false
		}
	}
	if err := tx.Commit(); err != nil {
		return false
	}
	for _, r := range group {
		r.err <- nil
	}
	return true
}

// commitIsolated runs the group with a savepoint per request.
func (g *groupCommitter) commitIsolated(group []*writeReq) {
	errs := make([]error, len(group))
	fail := func(err error) {
		for _, r := range group {
			r.err <- err
		}
	}
	tx, err := g.db.BeginTx(context.Background(), nil)
	if err != nil {
		fail(fmt.Errorf("begin: %w", err))
		return
	}
	ctx := context.Background()
	for i, r := range group {
		if err := r.ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		if len(group) == 1 {
			errs[i] = r.fn(tx)
			if errs[i] != nil {
				tx.Rollback()
				r.err <- errs[i]
				return
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, "SAVEPOINT w"); err != nil {
			tx.Rollback()
			fail(err)
			return
		}
		if errs[i] = r.fn(tx); errs[i] != nil {
			if _, err := tx.ExecContext(ctx, "ROLLBACK TO w"); err != nil {
				tx.Rollback()
				fail(err)
				return
			}
		}
		if _, err := tx.ExecContext(ctx, "RELEASE w"); err != nil {
			tx.Rollback()
			fail(err)
			return
		}
	}
	if err := tx.Commit(); err != nil {
		fail(fmt.Errorf("commit: %w", err))
		return
	}
	for i, r := range group {
		r.err <- errs[i]
	}
}
