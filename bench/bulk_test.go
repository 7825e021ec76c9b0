package bench

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"throughline/sqlstore"
)

// bulkRows is the rows of one table, for bulkInsert.
type bulkRows struct {
	Table string
	Cols  []string
	Rows  [][]any
}

// bulkInsert is the benchmarks' baseline: rows written into their tables
// in one transaction as a bulk load does it, with nothing decided or
// computed — COPY on PostgreSQL, multi-row INSERTs on SQLite (as many rows
// a statement as SQLite's placeholder limit allows, at most 1000).
func bulkInsert(ctx context.Context, s *sqlstore.Store, tables ...bulkRows) error {
	conn, err := s.DB().Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, t := range tables {
		if err := bulkTable(ctx, s.Dialect(), conn, tx, t); err != nil {
			return fmt.Errorf("%s: %w", t.Table, err)
		}
	}
	return tx.Commit()
}

func bulkTable(ctx context.Context, dialect string, conn *sql.Conn, tx *sql.Tx, t bulkRows) error {
	if len(t.Rows) == 0 {
		return nil
	}
	if dialect == "postgres" {
		return conn.Raw(func(dc any) error {
			_, err := dc.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{t.Table}, t.Cols, pgx.CopyFromRows(t.Rows))
			return err
		})
	}
	per := max(1, min(1000, 32000/len(t.Cols)))
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(t.Cols)), ", ") + ")"
	for rows := t.Rows; len(rows) > 0; {
		n := min(per, len(rows))
		args := make([]any, 0, n*len(t.Cols))
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		q := "INSERT INTO " + t.Table + " (" + strings.Join(t.Cols, ", ") + ") VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}
