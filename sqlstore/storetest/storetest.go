// Package storetest gives tests a fresh, migrated database on every dialect:
// a SQLite file in the test's temporary directory, and a new PostgreSQL
// database on the server named by $THROUGHLINE_TEST_POSTGRES. Where that is
// unset the PostgreSQL half is left out, unless $THROUGHLINE_REQUIRE_ALL or
// $CI is set, when its absence fails the test: CI never skips a database.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// DSNs returns the DSN of a fresh empty database for each dialect, keyed
// "sqlite" and "postgres". Databases are dropped when the test ends.
func DSNs(t testing.TB) map[string]string {
	t.Helper()
	out := map[string]string{"sqlite": "sqlite:" + filepath.Join(t.TempDir(), "throughline.db")}
	if dsn := Postgres(t); dsn != "" {
		out["postgres"] = dsn
	}
	return out
}

// Each runs fn as a subtest per dialect with a fresh database's DSN.
func Each(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			if name == "sqlite" {
				fn(t, "sqlite:"+filepath.Join(t.TempDir(), "throughline.db"))
			} else {
				fn(t, RequirePostgres(t))
			}
		})
	}
}

// RequirePostgres is Postgres for a test that exists only for PostgreSQL:
// without a server it fails under CI or THROUGHLINE_REQUIRE_ALL (Postgres
// does), and elsewhere is skipped, saying so.
func RequirePostgres(t testing.TB) string {
	t.Helper()
	dsn := Postgres(t)
	if dsn == "" {
		t.Skip("no PostgreSQL configured (THROUGHLINE_TEST_POSTGRES): make test starts one; CI=true fails instead")
	}
	return dsn
}

// Postgres creates a fresh PostgreSQL database and returns its DSN, or ""
// when no server is configured and none is required.
func Postgres(t testing.TB) string {
	t.Helper()
	admin := os.Getenv("THROUGHLINE_TEST_POSTGRES")
	if admin == "" {
		if os.Getenv("THROUGHLINE_REQUIRE_ALL") != "" || os.Getenv("CI") != "" {
			t.Fatal("THROUGHLINE_TEST_POSTGRES is not set: run the tests with `make test`, which starts PostgreSQL")
		}
		t.Log("PostgreSQL half left out: THROUGHLINE_TEST_POSTGRES is not set (make test sets it)")
		return ""
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "tl_" + hex.EncodeToString(b)
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer db.Close()
		db.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return fmt.Sprint(u)
}
