package sqlstore

import (
	"bytes"
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

// link is what checking one event's place in its chain needs: where it is,
// what it points back to, its hash, and whether its contents still match
// that hash. The byte slices are valid only until the next row.
type link struct {
	position, version int64
	ref               []byte
	prevHash, hash    []byte
	intact            bool
}

// chainedColumns are the columns an event's chain hash covers, in the
// order of hasher.event's parameters.
const chainedColumns = `prev_hash, case_ref, version, type, occurred_at, recorded_at, appended_at, actor, agency, data, personal`

// scanChain calls fn for every event with a position in [from, to], in
// position order. Verifying is bound by reading the log, so each database
// is read its fastest way:
//
//   - on SQLite the query itself feeds every row to fn, through the
//     aggregate function chain_scan: no column crosses the driver (where
//     each column read takes a lock and a copy), and the bytes are read
//     where SQLite holds them;
//   - PostgreSQL sends every column in binary and pgx hands over the raw
//     bytes without converting them.
//
// Both read position, hash, then chainedColumns.
func (s *Store) scanChain(ctx context.Context, from, to int64, fn func(*link) error) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if s.d.name == "postgres" {
		return conn.Raw(func(dc any) error { return scanChainPostgres(ctx, dc.(*stdlib.Conn).Conn(), from, to, fn) })
	}
	id := chainScanIDs.Add(1)
	chainScans.Store(id, fn)
	defer chainScans.Delete(id)
	// A range of the integer primary key is scanned in ascending order. Were
	// it not, the chains would fail to verify; they could not falsely pass.
	var n sql.NullInt64
	return conn.QueryRowContext(ctx, `SELECT chain_scan(?, position, hash, `+chainedColumns+`) FROM events WHERE position BETWEEN ? AND ?`, id, from, to).Scan(&n)
}

func scanChainPostgres(ctx context.Context, pc *pgx.Conn, from, to int64, fn func(*link) error) error {
	rows, err := pc.Query(ctx, `SELECT position, hash, `+chainedColumns+` FROM events WHERE position BETWEEN $1 AND $2 ORDER BY position`,
		pgx.QueryResultFormats{pgx.BinaryFormatCode}, from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	h := newHash()
	var l link
	for rows.Next() {
		v := rows.RawValues() // binary: BIGINT as 8 bytes big-endian, TEXT and BYTEA as stored
		if len(v[0]) != 8 || len(v[4]) != 8 {
			return fmt.Errorf("verify: unexpected width of position or version")
		}
		l.set(h, int64(binary.BigEndian.Uint64(v[0])), v[1], v[2], v[3], int64(binary.BigEndian.Uint64(v[4])), (*[8][]byte)(v[5:]))
		if err := fn(&l); err != nil {
			return err
		}
	}
	return rows.Err()
}

// set makes l the link of one stored event, re-deriving its hash from
// the rest of its columns: type, occurred_at, recorded_at, appended_at,
// actor, agency, data and personal.
func (l *link) set(h *hasher, position int64, hash, prev, ref []byte, version int64, rest *[8][]byte) {
	l.position, l.version, l.ref, l.prevHash, l.hash = position, version, ref, prev, hash
	l.intact = bytes.Equal(h.event(prev, ref, version, rest[0], rest[1], rest[2], rest[3], rest[4], rest[5], rest[6], rest[7]), hash)
}

// chainScans are the SQLite scans in progress, by the id that is
// chain_scan's first argument.
var (
	chainScans   sync.Map // int64 → func(*link) error
	chainScanIDs atomic.Int64
)

// chainScan is one evaluation of chain_scan(id, position, hash,
// chainedColumns…): it hands each row to the scan's function as a link, and
// its value is the number of rows. The arguments are views of SQLite's own
// buffers, used during the call and not kept.
type chainScan struct {
	fn   func(*link) error
	h    *hasher
	n    int64
	l    link
	rest [8][]byte
}

func init() {
	sqlite.MustRegisterFunction("chain_scan", &sqlite.FunctionImpl{
		NArgs:        14,
		VolatileArgs: true,
		MakeAggregate: func(sqlite.FunctionContext) (sqlite.AggregateFunction, error) {
			return &chainScan{h: newHash()}, nil
		},
	})
}

func (c *chainScan) Step(_ *sqlite.FunctionContext, a []driver.Value) error {
	if c.fn == nil {
		fn, ok := chainScans.Load(a[0])
		if !ok {
			return fmt.Errorf("chain_scan: no scan %v in progress", a[0])
		}
		c.fn = fn.(func(*link) error)
	}
	position, _ := a[1].(int64)
	version, _ := a[5].(int64) // a version that is not an integer breaks the chain
	for i := range c.rest {
		c.rest[i] = view(a[6+i])
	}
	c.l.set(c.h, position, view(a[2]), view(a[3]), view(a[4]), version, &c.rest)
	c.n++
	return c.fn(&c.l)
}

func (c *chainScan) WindowInverse(*sqlite.FunctionContext, []driver.Value) error {
	return fmt.Errorf("chain_scan is not a window function")
}

func (c *chainScan) WindowValue(*sqlite.FunctionContext) (driver.Value, error) { return c.n, nil }

func (c *chainScan) Final(*sqlite.FunctionContext) {}

// view is the bytes of a TEXT or BLOB argument without copying them (valid
// for the call only); nil for NULL, which hashes like an empty field.
func view(v driver.Value) []byte {
	switch v := v.(type) {
	case []byte:
		return v
	case string:
		return unsafe.Slice(unsafe.StringData(v), len(v))
	}
	return nil
}
