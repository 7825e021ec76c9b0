package bench

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"throughline/sqlstore"
)

// The limits of the commands that read the whole log, measured on the
// database BenchmarkImportFile has just imported (bench/commands.sh puts
// them beside the commands' own times):
//
//   - export must at least read every event in log order: readLog, the
//     stored columns and nothing done with them;
//   - audit verify must at least read every event and hash it: readLog
//     with SHA-256 over each row's bytes, on every core in ranges of the
//     log, as Verify reads it;
//   - rebuild must at least read the log and write the projections' rows:
//     readLog plus the projection tables' share of copyRows.

// logColumns are the stored columns of an event, in the order read.
const logColumns = "position, case_ref, version, type, occurred_at, recorded_at, appended_at, actor, agency, data, personal, prev_hash, hash"

// readLog reads every event of s in log order, split into one range of
// positions per core, and returns the wall time; with hash, each row's
// bytes are hashed too.
func readLog(b *testing.B, s *sqlstore.Store, hash bool) time.Duration {
	ctx := context.Background()
	var lo, hi sql.NullInt64
	if err := s.DB().QueryRowContext(ctx, `SELECT min(position), max(position) FROM events`).Scan(&lo, &hi); err != nil {
		b.Fatal(err)
	}
	workers := runtime.GOMAXPROCS(0)
	span := (hi.Int64 - lo.Int64 + int64(workers)) / int64(workers)
	start := time.Now()
	g, gctx := errgroup.WithContext(ctx)
	for w := range workers {
		from, to := lo.Int64+int64(w)*span, lo.Int64+int64(w+1)*span-1
		g.Go(func() error { return readRange(gctx, s.DB(), from, to, hash) })
	}
	if err := g.Wait(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

func readRange(ctx context.Context, db *sql.DB, from, to int64, hash bool) error {
	rows, err := db.QueryContext(ctx, fmt.Sprintf(`SELECT %s FROM events WHERE position BETWEEN %d AND %d ORDER BY position`, logColumns, from, to))
	if err != nil {
		return err
	}
	defer rows.Close()
	cols := make([]sql.RawBytes, 13)
	ptrs := make([]any, len(cols))
	for i := range cols {
		ptrs[i] = &cols[i]
	}
	h := sha256.New()
	var sum [sha256.Size]byte
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if hash {
			h.Reset()
			for _, c := range cols {
				h.Write(c)
			}
			h.Sum(sum[:0])
		}
	}
	return rows.Err()
}
