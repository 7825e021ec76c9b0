package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
)

// Backups (docs/adr/0015-backups.md): Dump reads every table in one
// read-only snapshot, Load writes them into an empty database in one
// transaction. Both are generic over the tables the catalog lists, so a
// table a later migration adds is backed up without anyone remembering
// to: the file format lives in package backup.

// Table is one table of a dump: its columns in the order each row's values
// come, and how many rows it holds in the snapshot.
type Table struct {
	Name    string
	Columns []string
	Rows    int64
}

// Dump opens one read-only transaction — a snapshot, so appends carrying
// on meanwhile are either wholly in it or wholly out — and hands begin the
// schema version and the tables (parents before the tables that refer to
// them), then row every row of each table in that order. The values are
// int64, string, []byte, bool or nil, as the database stores them; vals is
// reused from row to row.
func (s *Store) Dump(ctx context.Context, begin func(schema int, tables []Table) error, row func(table int, vals []any) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.d.name == "postgres" {
		// Without REPEATABLE READ each statement would see its own moment.
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	cat, err := s.catalog(ctx, tx)
	if err != nil {
		return err
	}
	var schema int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&schema); err != nil {
		return fmt.Errorf("backup: schema version: %w", err)
	}
	tables := make([]Table, len(cat))
	for i, t := range cat {
		tables[i] = Table{Name: t.name, Columns: t.cols}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+t.name).Scan(&tables[i].Rows); err != nil {
			return fmt.Errorf("backup: count %s: %w", t.name, err)
		}
	}
	if err := begin(schema, tables); err != nil {
		return err
	}
	for i, t := range tables {
		if err := dumpTable(ctx, tx, i, t, row); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func dumpTable(ctx context.Context, tx *sql.Tx, i int, t Table, row func(int, []any) error) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+strings.Join(t.Columns, ", ")+` FROM `+t.Name)
	if err != nil {
		return fmt.Errorf("backup: read %s: %w", t.Name, err)
	}
	defer rows.Close()
	vals := make([]any, len(t.Columns))
	ptrs := make([]any, len(t.Columns))
	for j := range vals {
		ptrs[j] = &vals[j]
	}
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("backup: read %s: %w", t.Name, err)
		}
		if err := row(i, vals); err != nil {
			return err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("backup: read %s: %w", t.Name, err)
	}
	if t.Rows >= 0 && n != t.Rows {
		// The snapshot makes this impossible; a database that does not
		// give one must not produce a backup that looks whole.
		return fmt.Errorf("backup: %s had %d rows when counted and %d when read: not a consistent snapshot", t.Name, t.Rows, n)
	}
	return nil
}

// filledByMigrations are the tables a freshly migrated database already
// has rows in: migration 0100 writes where the log chains begin. Load
// expects the backup to hold the same rows, and skips them.
var filledByMigrations = map[string]bool{"log_chain_start": true}

// Load writes a dump into this database, which must be migrated to the
// dump's schema version and hold no data: next returns each table's rows,
// tables in the order given, tables[i].Rows of each. Everything is written
// in one transaction, so a failed load leaves the database as empty as it
// was; the append-only triggers stay in force (they refuse changes, not
// inserts). Columns are matched by name, and each value is converted to
// the column's type where the dialects store it differently (a SQLite
// 0/1 into a PostgreSQL boolean), so a dump of either database loads into
// the other.
func (s *Store) Load(ctx context.Context, schema int, tables []Table, next func() ([]any, error)) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var have int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
		return err
	}
	if have != schema {
		return fmt.Errorf("restore: the database is at schema %d and the backup at %d: restore into a new database that has not been migrated (restore migrates it)", have, schema)
	}
	cat, err := s.catalog(ctx, tx)
	if err != nil {
		return err
	}
	if err := refuseData(ctx, tx, cat); err != nil {
		return err
	}
	byName := map[string]catalogTable{}
	for _, t := range cat {
		byName[t.name] = t
	}
	for _, t := range tables {
		target, ok := byName[t.Name]
		if !ok {
			return fmt.Errorf("restore: the backup has a table %s that the database lacks", t.Name)
		}
		kinds, err := columnKinds(t, target)
		if err != nil {
			return err
		}
		if err := s.loadTable(ctx, conn, tx, t, kinds, next); err != nil {
			return err
		}
	}
	if err := s.resetSequences(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

// RefuseData fails, naming a table, if the database holds any data:
// restore asks before it migrates, so that a database it would refuse is
// left exactly as it was.
func (s *Store) RefuseData(ctx context.Context) error {
	cat, err := s.catalog(ctx, s.db)
	if err != nil {
		return err
	}
	return refuseData(ctx, s.db, cat)
}

func refuseData(ctx context.Context, q querier, cat []catalogTable) error {
	for _, t := range cat {
		if filledByMigrations[t.name] {
			continue
		}
		var n int64
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM `+t.name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("restore: the database is not empty (%s has %d rows): restore only into a new database", t.name, n)
		}
	}
	return nil
}

// columnKinds is the kind of each of t's columns in the target table,
// which must have exactly t's columns.
func columnKinds(t Table, target catalogTable) ([]byte, error) {
	kind := map[string]byte{}
	for i, c := range target.cols {
		kind[c] = target.kinds[i]
	}
	if len(t.Columns) != len(target.cols) {
		return nil, fmt.Errorf("restore: table %s has columns %s in the backup and %s in the database", t.Name, strings.Join(t.Columns, ", "), strings.Join(target.cols, ", "))
	}
	kinds := make([]byte, len(t.Columns))
	for i, c := range t.Columns {
		k, ok := kind[c]
		if !ok {
			return nil, fmt.Errorf("restore: the backup's table %s has a column %s that the database lacks", t.Name, c)
		}
		kinds[i] = k
	}
	return kinds, nil
}

// loadTable inserts t's rows in batches.
func (s *Store) loadTable(ctx context.Context, conn *sql.Conn, tx *sql.Tx, t Table, kinds []byte, next func() ([]any, error)) error {
	seeded := map[string]bool{}
	if filledByMigrations[t.Name] {
		if err := s.existingRows(ctx, tx, t, seeded); err != nil {
			return err
		}
	}
	const batch = 2000
	buf := make([][]any, 0, batch)
	flush := func() error {
		err := s.bulkInsert(ctx, conn, tx, t.Name, t.Columns, buf)
		buf = buf[:0]
		if err != nil {
			return fmt.Errorf("restore %s: %w", t.Name, err)
		}
		return nil
	}
	for range t.Rows {
		vals, err := next()
		if err != nil {
			return err
		}
		if len(vals) != len(t.Columns) {
			return fmt.Errorf("restore %s: a row of %d values for %d columns", t.Name, len(vals), len(t.Columns))
		}
		r := make([]any, len(vals))
		for i, v := range vals {
			if r[i], err = s.convert(v, kinds[i]); err != nil {
				return fmt.Errorf("restore %s.%s: %w", t.Name, t.Columns[i], err)
			}
		}
		if len(seeded) > 0 {
			if k := rowKey(r); seeded[k] {
				delete(seeded, k)
				continue
			}
		}
		if buf = append(buf, r); len(buf) == batch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if len(seeded) > 0 {
		return fmt.Errorf("restore: the database's %s holds rows the backup does not: it was not migrated from empty", t.Name)
	}
	return nil
}

// existingRows adds the keys of t's rows in the database to into (Rows
// -1: not counted beforehand).
func (s *Store) existingRows(ctx context.Context, tx *sql.Tx, t Table, into map[string]bool) error {
	return dumpTable(ctx, tx, 0, Table{Name: t.Name, Columns: t.Columns, Rows: -1}, func(_ int, vals []any) error {
		into[rowKey(vals)] = true
		return nil
	})
}

func rowKey(r []any) string { return fmt.Sprintf("%#v", r) }

// convert turns a dumped value into what kind's column takes on this
// dialect. SQLite keeps the value's own type, as it stores what it is
// given; PostgreSQL needs the column's.
func (s *Store) convert(v any, kind byte) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case bool:
		if kind == kindInt || s.d.name == "sqlite" {
			if x {
				return int64(1), nil
			}
			return int64(0), nil
		}
	case int64:
		if kind == kindBool && s.d.name != "sqlite" {
			return x != 0, nil
		}
	case []byte:
		if kind == kindText && s.d.name != "sqlite" {
			return string(x), nil
		}
	case string:
		if kind == kindBytes && s.d.name != "sqlite" {
			return []byte(x), nil
		}
	default:
		return nil, fmt.Errorf("a value of type %T", v)
	}
	return v, nil
}

// resetSequences moves each PostgreSQL identity and serial sequence past
// the ids restored, so that the next row gets a new one. SQLite's
// AUTOINCREMENT keeps up by itself.
func (s *Store) resetSequences(ctx context.Context, tx *sql.Tx) error {
	if s.d.name != "postgres" {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')`)
	if err != nil {
		return err
	}
	var cols [][2]string
	for rows.Next() {
		var c [2]string
		if err := rows.Scan(&c[0], &c[1]); err != nil {
			rows.Close()
			return err
		}
		cols = append(cols, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range cols {
		if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence($1, $2), max(`+c[1]+`)) FROM `+c[0]+` HAVING max(`+c[1]+`) IS NOT NULL`, c[0], c[1]); err != nil {
			return fmt.Errorf("restore: sequence of %s.%s: %w", c[0], c[1], err)
		}
	}
	return nil
}

// The kinds of column a backup distinguishes.
const (
	kindInt   = 'i'
	kindText  = 't'
	kindBytes = 'b'
	kindBool  = 'o'
)

// catalogTable is a table as the database's catalog describes it.
type catalogTable struct {
	name  string
	cols  []string
	kinds []byte
}

// catalog lists the tables that hold data (not schema_migrations, which
// is the schema's own; not SQLite's internal ones), parents before the
// tables whose foreign keys refer to them, and otherwise by name.
func (s *Store) catalog(ctx context.Context, tx querier) ([]catalogTable, error) {
	colsQ := `SELECT m.name, p.name, p.type FROM sqlite_schema m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY m.name, p.cid`
	fkQ := `SELECT m.name, f."table" FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table'`
	if s.d.name == "postgres" {
		colsQ = `SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
			JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
			WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
			ORDER BY c.table_name, c.ordinal_position`
		fkQ = `SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint
			WHERE contype = 'f' AND connamespace = current_schema()::regnamespace`
	}
	byName := map[string]*catalogTable{}
	var names []string
	rows, err := tx.QueryContext(ctx, colsQ)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	for rows.Next() {
		var table, col, typ string
		if err := rows.Scan(&table, &col, &typ); err != nil {
			rows.Close()
			return nil, err
		}
		if table == "schema_migrations" {
			continue
		}
		t, ok := byName[table]
		if !ok {
			t = &catalogTable{name: table}
			byName[table] = t
			names = append(names, table)
		}
		t.cols = append(t.cols, col)
		t.kinds = append(t.kinds, kindOf(typ))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	parents := map[string][]string{}
	rows, err = tx.QueryContext(ctx, fkQ)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	for rows.Next() {
		var child, parent string
		if err := rows.Scan(&child, &parent); err != nil {
			rows.Close()
			return nil, err
		}
		if child != parent {
			parents[child] = append(parents[child], parent)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []catalogTable
	placed := map[string]bool{}
	for len(out) < len(names) {
		progress := false
		for _, n := range names {
			if placed[n] {
				continue
			}
			ready := true
			for _, p := range parents[n] {
				if !placed[p] && byName[p] != nil {
					ready = false
				}
			}
			if ready {
				out = append(out, *byName[n])
				placed[n] = true
				progress = true
			}
		}
		if !progress {
			return nil, fmt.Errorf("catalog: the foreign keys between tables form a cycle")
		}
	}
	return out, nil
}

// kindOf is the kind of a column of declared type typ.
func kindOf(typ string) byte {
	t := strings.ToLower(typ)
	switch {
	case strings.Contains(t, "bool"):
		return kindBool
	case strings.Contains(t, "int"):
		return kindInt
	case strings.Contains(t, "blob"), strings.Contains(t, "bytea"):
		return kindBytes
	}
	return kindText
}
