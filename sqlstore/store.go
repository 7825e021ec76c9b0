// Package sqlstore keeps the event log and its projections in SQLite (the
// embedded default) or PostgreSQL (production), through database/sql. The
// differences between the two live in dialect.go and in the per-dialect
// migrations; everything else is shared.
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"throughline"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // driver "sqlite"
)

//go:embed migrations
var migrations embed.FS

// Store is the case store.
type Store struct {
	db *sql.DB
	d  dialect
	// Now is the store's clock, for appended_at; tests inject one.
	Now func() time.Time
	// writer serialises SQLite writes into group commits.
	writer *groupCommitter
	// cache holds recently written cases' events.
	cache *eventCache
	// stmts are the append path's statements, prepared once (SQLite).
	stmts statements
	// rules are the capabilities' decisions an append applies in its
	// transaction (deadlines, messages owed, what a delivery records).
	rules throughline.Rules
	// Appended, when set, is told of the events of every live append once
	// they are durable (the metrics' appends counter). It must be quick.
	Appended func(evs []throughline.Event)
}

// Open opens the database named by dsn: "sqlite:PATH" or "postgres://…",
// applying rules inside its transactions (all are required: see
// throughline.Rules; package wire pairs package deadline's, package comms'
// and package oversight's). It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string, rules throughline.Rules) (*Store, error) {
	if rules.Projector == nil || rules.Consequences == nil || rules.Measurer == nil {
		return nil, errors.New("sqlstore: open needs every rule: a Projector, Consequences and a Measurer")
	}
	s := &Store{Now: time.Now, cache: newEventCache(20000), rules: rules}
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		file := strings.TrimPrefix(dsn, "sqlite:")
		if file == "" {
			return nil, errors.New("sqlite: a file path is required, e.g. sqlite:throughline.db")
		}
		// WAL lets readers work while one writer commits; synchronous=FULL
		// makes every commit durable before it is acknowledged;
		// secure_delete overwrites what is deleted, so that a destroyed
		// case key does not linger in the file's free pages.
		q := url.Values{}
		for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(30000)", "foreign_keys(1)", "secure_delete(1)"} {
			q.Add("_pragma", p)
		}
		q.Set("_txlock", "immediate")
		db, err := sql.Open("sqlite", "file:"+file+"?"+q.Encode())
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", dsn, err)
		}
		db.SetMaxOpenConns(8)
		s.db, s.d = db, sqliteDialect
		s.writer = newGroupCommitter(db)
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		cfg, err := pgx.ParseConfig(dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		// No JIT compilation (ADR 0329): every query here reads a few rows
		// by an index, and a generous cost estimate made PostgreSQL compile
		// one for 30–100 ms to run it in 10. An operator's own jit setting
		// in the DSN stands.
		if _, set := cfg.RuntimeParams["jit"]; !set {
			cfg.RuntimeParams["jit"] = "off"
		}
		db := stdlib.OpenDB(*cfg)
		db.SetMaxOpenConns(32)
		db.SetMaxIdleConns(32)
		s.db, s.d = db, postgresDialect
	default:
		return nil, fmt.Errorf("--db must be sqlite:PATH or postgres://…, not %q", dsn)
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return nil, storageFull(fmt.Errorf("connect to %s database: %w", s.d.name, err))
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	if s.writer != nil {
		s.writer.close()
	}
	s.stmts.close()
	return s.db.Close()
}

// Dialect returns "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.name }

// DB returns the database handle, for tests and benchmarks.
func (s *Store) DB() *sql.DB { return s.db }

// Migrate applies the embedded migrations that have not been applied yet,
// each in its own transaction, and records them.
func (s *Store) Migrate(ctx context.Context) error { return s.MigrateTo(ctx, math.MaxInt) }

// MigrateTo applies the embedded migrations numbered up to version that
// have not been applied yet: restore loads a backup into the schema it was
// taken from, then migrates the rest of the way.
func (s *Store) MigrateTo(ctx context.Context, version int) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	dir := path.Join("migrations", s.d.name)
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		n, err := strconv.Atoi(strings.SplitN(e.Name(), "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with its number", e.Name())
		}
		if n > version {
			break
		}
		body, err := migrations.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			return err
		}
		err = s.tx(ctx, func(tx *sql.Tx) error {
			if s.d.migrationLock != "" {
				// Several processes may start at once: one migrates, the others wait.
				if _, err := tx.ExecContext(ctx, s.d.migrationLock); err != nil {
					return err
				}
			}
			var done int
			if err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT count(*) FROM schema_migrations WHERE version = ?`), n).Scan(&done); err != nil {
				return err
			}
			if done > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", e.Name(), err)
			}
			_, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`), n, e.Name(), s.Now().UTC().Format(time.RFC3339))
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// SchemaVersion is the number of the newest embedded migration: the schema
// this binary reads and writes.
func (s *Store) SchemaVersion() int {
	entries, _ := fs.ReadDir(migrations, path.Join("migrations", s.d.name))
	v := 0
	for _, e := range entries {
		if n, err := strconv.Atoi(strings.SplitN(e.Name(), "_", 2)[0]); err == nil && n > v {
			v = n
		}
	}
	return v
}

// tx runs fn in a transaction, committing if it returns nil.
func (s *Store) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return storageFull(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return storageFull(err)
	}
	return storageFull(tx.Commit())
}

// write runs fn in a write transaction and returns once it is durable. On
// SQLite concurrent writes are grouped into one commit (one fsync for many
// acknowledgements); on PostgreSQL each runs in its own transaction, and the
// server groups the WAL flushes.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.writer != nil {
		return storageFull(s.writer.do(ctx, fn))
	}
	return s.tx(ctx, fn)
}

// ErrStorageFull is what every write answers while the database is out of
// storage space: nothing was written, reading what is there still works,
// and the same write succeeds once space returns. An operator sees the
// cause in the log (the driver's error) and in docs/operations.md.
var ErrStorageFull = throughline.Errorf(throughline.EUNAVAILABLE, "Throughline's database is out of storage space, so nothing can be recorded just now, nor a case shown (every look at a case is recorded first). Nothing was saved. Try again later.")

// storageFull turns the drivers' "disk full" into ErrStorageFull, keeping
// any other error as it is: SQLite's SQLITE_FULL (its file system full,
// or its page limit reached), PostgreSQL's disk_full (SQLSTATE 53100), and
// PostgreSQL refusing a new connection because the backend cannot write its
// relation-cache file into the full data directory ("could not write init
// file", an internal error whose only cause is a failed write there).
func storageFull(err error) error {
	if err == nil {
		return nil
	}
	m := strings.ToLower(err.Error())
	if strings.Contains(m, "database or disk is full") || strings.Contains(m, "sqlstate 53100") || strings.Contains(m, "no space left on device") || strings.Contains(m, "could not write init file") {
		return fmt.Errorf("%w (%v)", ErrStorageFull, err)
	}
	return err
}

// Ready reports whether the database answers and every embedded migration
// has been applied: the readiness probe's question. Its errors are plain
// reasons fit for an unauthenticated caller: no address, no driver detail.
func (s *Store) Ready(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return errors.New("database unreachable")
	}
	entries, err := fs.ReadDir(migrations, path.Join("migrations", s.d.name))
	if err != nil {
		return errors.New("embedded migrations unreadable")
	}
	rows, err := s.db.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return errors.New("database unreachable or not migrated")
	}
	defer rows.Close()
	applied := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return errors.New("database unreachable")
		}
		applied[v] = true
	}
	if rows.Err() != nil {
		return errors.New("database unreachable")
	}
	pending := 0
	for _, e := range entries {
		n, err := strconv.Atoi(strings.SplitN(e.Name(), "_", 2)[0])
		if err != nil || !applied[n] {
			pending++
		}
		delete(applied, n)
	}
	if pending > 0 {
		return fmt.Errorf("migrations not current: %d of %d pending", pending, len(entries))
	}
	// What is left was applied by a newer release: this one would serve a
	// schema it does not keep (a column it never writes, an index it never
	// asks for), so it leaves the pool until the roll-out is finished.
	if len(applied) > 0 {
		return fmt.Errorf("migrations not current: the database has %d from a newer release", len(applied))
	}
	return nil
}
