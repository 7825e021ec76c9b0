package sqlstore_test

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
	"throughline/wire"
)

// Ready answers nil on a migrated database, names pending migrations and
// those of a newer release, and says the database is unreachable once it
// is closed.
func TestReady(t *testing.T) {
	ctx := context.Background()
	s := open(t, "sqlite:"+filepath.Join(t.TempDir(), "ready.db"))
	if err := s.Ready(ctx); err != nil {
		t.Fatalf("migrated store: %v", err)
	}
	// A newer release has migrated the database: this one is not ready.
	if _, err := s.DB().ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'from_a_newer_release', '2026-12-07T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	if err := s.Ready(ctx); err == nil || err.Error() != "migrations not current: the database has 1 from a newer release" {
		t.Errorf("a migration from a newer release: %v", err)
	}
	if _, err := s.DB().ExecContext(ctx, `DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, `DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)`); err != nil {
		t.Fatal(err)
	}
	if err := s.Ready(ctx); err == nil || !strings.HasPrefix(err.Error(), "migrations not current: 1 of ") {
		t.Errorf("a migration missing: %v", err)
	}
	s.DB().Close() // the handle only: the store's Close runs at cleanup
	if err := s.Ready(ctx); err == nil || err.Error() != "database unreachable" {
		t.Errorf("closed store: %v", err)
	}
}

// The outbox backlog of an empty outbox is nothing queued, no oldest.
func TestOutboxBacklogEmpty(t *testing.T) {
	s := open(t, "sqlite:"+filepath.Join(t.TempDir(), "backlog.db"))
	n, oldest, failed, err := s.OutboxBacklog(context.Background())
	if err != nil || n != 0 || !oldest.IsZero() || len(failed) != 0 {
		t.Errorf("empty outbox: %d %v %v %v", n, oldest, failed, err)
	}
}

// PostgreSQL compiles no query of Throughline's (ADR 0329), unless the
// operator's DSN says otherwise.
func TestPostgresWithoutJIT(t *testing.T) {
	dsn := storetest.Postgres(t)
	if dsn == "" {
		t.Skip("PostgreSQL only")
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("jit", "on")
	u.RawQuery = q.Encode()
	for _, c := range []struct{ dsn, want string }{{dsn, "off"}, {u.String(), "on"}} {
		s, err := sqlstore.Open(context.Background(), c.dsn, wire.Rules())
		if err != nil {
			t.Fatal(err)
		}
		var jit string
		err = s.DB().QueryRow("SHOW jit").Scan(&jit)
		s.Close()
		if err != nil || jit != c.want {
			t.Errorf("jit on a connection of %q: %q, %v; want %q", c.dsn, jit, err, c.want)
		}
	}
}
