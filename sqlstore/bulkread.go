package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"
)

// bulkRead calls fn for every row of `SELECT cols FROM rest`, for reads of
// a whole table that are bound by the driver rather than the database (the
// audit's scans of millions of rows). Each database is read its fastest
// way:
//
//   - on SQLite the query hands each row to fn itself, through the
//     aggregate function go_rows, whose arguments are views of SQLite's own
//     buffers: no column crosses database/sql, where modernc.org/sqlite
//     takes a lock and makes a copy for every column read;
//   - on PostgreSQL every column comes in binary and pgx hands over the raw
//     bytes, without database/sql's conversion of each value.
//
// rest uses ? placeholders for args. The row is valid only during fn. Rows
// come in the order the database scans them: rest's ORDER BY applies on
// PostgreSQL, and on SQLite a scan of an integer primary key range or of
// an index is in its order.
func (s *Store) bulkRead(ctx context.Context, cols, rest string, args []any, fn func(row) error) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if s.d.native {
		return conn.Raw(func(dc any) error {
			rows, err := dc.(*stdlib.Conn).Conn().Query(ctx, `SELECT `+cols+` `+s.d.rebind(rest), append([]any{binaryResults}, args...)...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				if err := fn(pgRow(rows.RawValues())); err != nil {
					return err
				}
			}
			return rows.Err()
		})
	}
	id := bulkReads.Add(1)
	readers.Store(id, fn)
	defer readers.Delete(id)
	var n sql.NullInt64
	return conn.QueryRowContext(ctx, `SELECT go_rows(?, `+cols+`) `+rest, append([]any{id}, args...)...).Scan(&n)
}

var binaryResults = pgx.QueryResultFormats{pgx.BinaryFormatCode}

// row is one row of a bulk read.
type row interface {
	int(i int) int64
	bytes(i int) []byte // TEXT or BLOB as stored; nil for NULL
}

// pgRow is a row in PostgreSQL's binary format.
type pgRow [][]byte

func (r pgRow) int(i int) int64 {
	switch len(r[i]) {
	case 8:
		return int64(binary.BigEndian.Uint64(r[i]))
	case 4:
		return int64(int32(binary.BigEndian.Uint32(r[i])))
	}
	return 0
}

func (r pgRow) bytes(i int) []byte { return r[i] }

// sqliteRow is the arguments of go_rows after the read's id.
type sqliteRow []driver.Value

func (r sqliteRow) int(i int) int64 {
	n, _ := r[i].(int64)
	return n
}

func (r sqliteRow) bytes(i int) []byte {
	switch v := r[i].(type) {
	case []byte:
		return v
	case string:
		return unsafe.Slice(unsafe.StringData(v), len(v)) // read only, during the call
	}
	return nil
}

// readers are the SQLite bulk reads in progress, by the id that is
// go_rows's first argument.
var (
	readers   sync.Map // int64 → func(row) error
	bulkReads atomic.Int64
)

// goRows is one evaluation of go_rows(id, …): it hands each row to the
// read's function, and its value is the number of rows.
type goRows struct {
	fn func(row) error
	n  int64
}

func init() {
	sqlite.MustRegisterFunction("go_rows", &sqlite.FunctionImpl{
		NArgs:        -1,
		VolatileArgs: true,
		MakeAggregate: func(sqlite.FunctionContext) (sqlite.AggregateFunction, error) {
			return &goRows{}, nil
		},
	})
}

func (g *goRows) Step(_ *sqlite.FunctionContext, a []driver.Value) error {
	if g.fn == nil {
		fn, ok := readers.Load(a[0])
		if !ok {
			return fmt.Errorf("go_rows: no read %v in progress", a[0])
		}
		g.fn = fn.(func(row) error)
	}
	g.n++
	return g.fn(sqliteRow(a[1:]))
}

func (g *goRows) WindowInverse(*sqlite.FunctionContext, []driver.Value) error {
	return fmt.Errorf("go_rows is not a window function")
}

func (g *goRows) WindowValue(*sqlite.FunctionContext) (driver.Value, error) { return g.n, nil }

func (g *goRows) Final(*sqlite.FunctionContext) {}
