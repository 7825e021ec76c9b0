package sqlstore

import (
	"strconv"
	"strings"
)

// dialect is everything that differs between SQLite and PostgreSQL, apart
// from the DDL in migrations/<name>/.
type dialect struct {
	name string
	// dollar: PostgreSQL numbers its placeholders ($1, $2, …).
	dollar bool
	// lockRow is appended to a SELECT of a case row that the transaction will
	// change: PostgreSQL locks the row so concurrent writers to one case queue
	// (writers to other cases do not); SQLite has one writer already.
	lockRow string
	// maxParams bounds the placeholders in one statement.
	maxParams int
	// skipLocked is appended to the SELECT of rows to claim: on PostgreSQL
	// concurrent claimers skip each other's rows; SQLite has one writer.
	skipLocked string
	// migrationLock, if set, runs first in each migration's transaction:
	// several PostgreSQL processes may start at once, one migrates and the
	// others wait.
	migrationLock string
	// checkpointLock, if set, runs first in a checkpoint's transaction: one
	// checkpoint at a time, while appends carry on.
	checkpointLock string
	// native: the driver's own connection (pgx) serves bulk reads, with
	// binary results, and bulk inserts, by COPY; otherwise bulk reads go
	// through the go_rows function and inserts are multi-row INSERTs.
	native bool
}

var (
	sqliteDialect   = dialect{name: "sqlite", maxParams: 32000}
	postgresDialect = dialect{name: "postgres", dollar: true, lockRow: " FOR UPDATE", maxParams: 65000,
		skipLocked: " FOR UPDATE SKIP LOCKED", migrationLock: `SELECT pg_advisory_xact_lock(7461626)`,
		checkpointLock: `LOCK TABLE checkpoints IN EXCLUSIVE MODE`, native: true}
)

// lockRowOf is lockRow for a query that joins: it locks only the rows of
// the named table.
func (d dialect) lockRowOf(alias string) string {
	if d.lockRow == "" {
		return ""
	}
	return d.lockRow + " OF " + alias
}

// rebind turns the ? placeholders of a query into the dialect's own. Queries
// in this package never put ? inside string literals.
func (d dialect) rebind(q string) string {
	if !d.dollar {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// isUniqueViolation reports whether err is a unique-constraint failure.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// placeholders is "?, ?, …" for n values.
func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// anys is vals as the arguments of a statement's placeholders.
func anys(vals []string) []any {
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = v
	}
	return args
}

// where builds the conditions of a query from optional filters: each method
// adds its condition only when its value is set.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// eq adds col = v unless v is empty.
func (w *where) eq(col, v string) {
	if v != "" {
		w.add(col+" = ?", v)
	}
}

// in adds col IN (vals…) unless vals is empty.
func (w *where) in(col string, vals []string) {
	if len(vals) == 0 {
		return
	}
	w.add(col+" IN ("+placeholders(len(vals))+")", anys(vals)...)
}

// clause is the conditions joined with AND after keyword ("WHERE" or
// "AND"), or "" when there are none.
func (w *where) clause(keyword string) string {
	if len(w.conds) == 0 {
		return ""
	}
	return " " + keyword + " " + strings.Join(w.conds, " AND ")
}
