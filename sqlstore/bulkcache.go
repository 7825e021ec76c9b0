package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
)

// bulkCacheKiB is the SQLite page cache, in KiB, of the connection that
// runs a streamed import or a rebuild (ADR 0331). Each is one transaction that
// inserts into a dozen indexes in their keys' random order (names, days,
// owners). With SQLite's default cache of 2 MiB, once those indexes
// outgrow it the transaction spills dirty pages to the WAL and reads them
// back: a national import (5.4 M events) ran at two thirds of the rate of
// one of 100,000 cases. At 128 MiB it ran as fast as at 256; at 64 MiB,
// 15% slower. 256 leaves room for a larger log, at about half a GiB of
// memory.
const bulkCacheKiB = 256 << 10

// bulkCache gives conn, on SQLite, a page cache of bulkCacheKiB for as long
// as the caller holds it; restore gives the connection back its own before
// it returns to the pool, where a cache this size on every connection
// would hold gigabytes. On PostgreSQL it does nothing: the server's
// shared_buffers are the operator's to size.
func (s *Store) bulkCache(ctx context.Context, conn *sql.Conn) (restore func(), err error) {
	if s.d.name != "sqlite" {
		return func() {}, nil
	}
	var was int
	if err := conn.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&was); err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = -%d`, bulkCacheKiB)); err != nil {
		return nil, err
	}
	return func() {
		conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf(`PRAGMA cache_size = %d`, was))
	}, nil
}
