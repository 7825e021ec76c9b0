package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// sqlTx runs the statements of a write transaction: a *sql.Tx, or on
// PostgreSQL an append's pipelined transaction (pipe).
type sqlTx interface {
	querier
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// pipe is an append's transaction on PostgreSQL, pipelined. A statement per
// round trip made an append 6–8 round trips (BEGIN, the case row, the event,
// the case row again, the projection rows, COMMIT) where a bare insert is
// one, and the round trips, not the server's work, bounded the rate. So the
// writes whose results nobody looks at are queued (execLater) and go to
// the server with the next read, or with the COMMIT, as one pgx batch:
// BEGIN goes with the case row's SELECT … FOR UPDATE, and the event, the
// case row, the projection rows and COMMIT go together. An append whose
// case is in the cache is then two round trips.
//
// The guarantees do not move: the case row is locked and its version
// checked before anything is decided; a statement that fails aborts the
// transaction and the statements after it in the batch are not run (the
// server skips them), and the COMMIT is checked to have committed; the
// caller is answered only once the COMMIT's reply is in.
//
// Reads and writes whose results are used (ExecContext, QueryContext,
// QueryRowContext, PrepareContext) first send what is queued, then run as
// they would in a *sql.Tx, on the same connection.
type pipe struct {
	conn  *sql.Conn
	batch pgx.Batch
	// deadlines, when deadlinesOf is set, are the stored deadlines (key to
	// detail) of that case, read with its row (see loadForUpdate).
	deadlinesOf string
	deadlines   map[string]string
	// err is the first failure of a batch sent before a read: the read
	// itself then fails, and err is the cause the append reports.
	err error
}

// execLater runs a write whose result is not looked at: in a pipe it is
// queued, to be sent with the next read or the COMMIT; otherwise it runs
// now (on SQLite, as a statement prepared once: see prepared).
func (s *Store) execLater(ctx context.Context, tx querier, query string, args ...any) error {
	if p, ok := tx.(*pipe); ok {
		p.batch.Queue(query, args...)
		return nil
	}
	if st := s.prepared(ctx, tx, query, len(args)); st != nil {
		_, err := st.ExecContext(ctx, args...)
		return err
	}
	_, err := tx.ExecContext(ctx, query, args...)
	return err
}

// scanRow scans the one row of query into dest (sql.ErrNoRows if there is
// none). In a pipe the query goes in one round trip with what is queued
// before it.
func (s *Store) scanRow(ctx context.Context, q querier, query string, args []any, dest ...any) error {
	if p, ok := q.(*pipe); ok {
		found := false
		err := p.send(ctx, read{query, args, func(r scanner) error { found = true; return r.Scan(dest...) }})
		if err == nil && !found {
			err = sql.ErrNoRows
		}
		return err
	}
	if st := s.prepared(ctx, q, query, len(args)); st != nil {
		return st.QueryRowContext(ctx, args...).Scan(dest...)
	}
	return q.QueryRowContext(ctx, query, args...).Scan(dest...)
}

// statements keeps the append path's statements prepared on SQLite, where
// the driver otherwise compiles each statement every time it runs: a fifth
// of the single writer's time per append went to compiling the same few
// statements. PostgreSQL needs none of this (pgx caches prepared
// statements per connection). Only small statements are kept, and at most
// maxPrepared of them: the append path has a few dozen (the child tables'
// inserts differ by their number of rows); other callers of the helpers
// (import's bulk inserts) run unprepared.
type statements struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

const maxPrepared, maxPreparedParams = 512, 256

// prepared returns query as a statement of tx prepared once on the
// database, or nil where statements are not kept (PostgreSQL, a querier
// that is not a transaction, a statement too big, the cache full, or a
// statement that does not prepare: it then runs as before and reports its
// own error).
func (s *Store) prepared(ctx context.Context, q querier, query string, params int) *sql.Stmt {
	tx, ok := q.(*sql.Tx)
	if !ok || s.writer == nil || params > maxPreparedParams {
		return nil
	}
	s.stmts.mu.Lock()
	st, ok := s.stmts.m[query]
	if !ok && len(s.stmts.m) < maxPrepared {
		var err error
		if st, err = s.db.PrepareContext(ctx, query); err != nil {
			s.stmts.mu.Unlock()
			return nil
		}
		if s.stmts.m == nil {
			s.stmts.m = map[string]*sql.Stmt{}
		}
		s.stmts.m[query] = st
	}
	s.stmts.mu.Unlock()
	if st == nil {
		return nil
	}
	// Prepared on the transaction's connection the first time, reused
	// after.
	return tx.StmtContext(ctx, st)
}

// close closes every statement kept.
func (c *statements) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}

// scanner is a row being read: *sql.Rows, pgx.Rows.
type scanner interface{ Scan(dest ...any) error }

// read is a query sent in a pipe's batch; scan is called with each of its
// rows.
type read struct {
	query string
	args  []any
	scan  func(scanner) error
}

// send sends the queued statements and then the reads, in one round trip.
// A COMMIT must answer COMMIT (a transaction already failed answers
// ROLLBACK, with no error).
func (p *pipe) send(ctx context.Context, reads ...read) error {
	if p.err != nil {
		return p.err
	}
	n := p.batch.Len()
	if n == 0 && len(reads) == 0 {
		return nil
	}
	for _, r := range reads {
		p.batch.Queue(r.query, r.args...)
	}
	b := p.batch
	p.batch = pgx.Batch{}
	var scanErr error
	err := p.conn.Raw(func(dc any) error {
		br := dc.(*stdlib.Conn).Conn().SendBatch(ctx, &b)
		defer br.Close()
		for i := range n {
			tag, err := br.Exec()
			if err != nil {
				return err
			}
			if q := b.QueuedQueries[i].SQL; q == "COMMIT" && tag.String() != "COMMIT" {
				return fmt.Errorf("the transaction was rolled back (%s)", tag)
			}
		}
		for _, r := range reads {
			rows, err := br.Query()
			if err != nil {
				return err
			}
			for rows.Next() {
				// A row the caller cannot take is the caller's failure,
				// not the transaction's.
				if scanErr == nil {
					scanErr = r.scan(rows)
				}
			}
			if rows.Close(); rows.Err() != nil {
				return rows.Err()
			}
		}
		return br.Close()
	})
	if err != nil {
		p.err = err
		return err
	}
	return scanErr
}

// flush sends what is queued.
func (p *pipe) flush(ctx context.Context) error { return p.send(ctx) }

func (p *pipe) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := p.flush(ctx); err != nil {
		return nil, err
	}
	return p.conn.ExecContext(ctx, query, args...)
}

func (p *pipe) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := p.flush(ctx); err != nil {
		return nil, err
	}
	return p.conn.QueryContext(ctx, query, args...)
}

// QueryRowContext cannot return the failure of what was queued before it:
// the row's Scan fails instead (the transaction is aborted), and the append
// reports p.err.
func (p *pipe) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	p.flush(ctx)
	return p.conn.QueryRowContext(ctx, query, args...)
}

func (p *pipe) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	if err := p.flush(ctx); err != nil {
		return nil, err
	}
	return p.conn.PrepareContext(ctx, query)
}

// writeAppend runs fn as write does; on PostgreSQL in a pipe.
func (s *Store) writeAppend(ctx context.Context, fn func(tx sqlTx) error) error {
	if s.writer != nil || !s.d.native {
		return s.write(ctx, func(tx *sql.Tx) error { return fn(tx) })
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return storageFull(err)
	}
	defer conn.Close()
	p := &pipe{conn: conn}
	p.batch.Queue("BEGIN")
	if err = fn(p); err == nil {
		p.batch.Queue("COMMIT")
		// Once the COMMIT is sent its reply is waited for, even if the
		// caller gives up, so that an acknowledgement is never ambiguous.
		err = p.flush(context.WithoutCancel(ctx))
	}
	if p.err != nil {
		err = p.err
	}
	if err != nil {
		// ROLLBACK ends a failed transaction (and is harmless after a
		// failed COMMIT or before BEGIN was sent); a connection that
		// cannot say it is dropped rather than pooled mid-transaction.
		if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		return storageFull(err)
	}
	return nil
}
