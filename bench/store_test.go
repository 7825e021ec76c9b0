// Package bench measures Throughline's store against baselines taken in the
// same run: the disk's raw fsync rate for durable appends, a bare multi-row
// INSERT (or COPY) of the same rows for bulk import, a bare table scan for
// audit verify, and a bare query round trip for reading a case. Run with
// `make bench` (bench/run.sh), which also loads 700,000 cases for the
// read and verify figures.
package bench

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"throughline"
	"throughline/jsonl"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
)

// dialects returns a fresh database per dialect: SQLite in a temp dir, and
// PostgreSQL when THROUGHLINE_TEST_POSTGRES names a server (make bench
// starts one).
func dialects(b *testing.B) map[string]func() string {
	out := map[string]func() string{
		"sqlite": func() string { return "sqlite:" + filepath.Join(b.TempDir(), "bench.db") },
	}
	if os.Getenv("THROUGHLINE_TEST_POSTGRES") != "" {
		out["postgres"] = func() string { return storetest.Postgres(b) }
	}
	return out
}

// fsyncRate measures the raw rate of 4 KiB write+fsync on the disk holding dir.
func fsyncRate(b *testing.B, dir string) float64 {
	f, err := os.CreateTemp(dir, "fsync")
	if err != nil {
		b.Fatal(err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	page := make([]byte, 4096)
	start := time.Now()
	n := 0
	for time.Since(start) < time.Second {
		if _, err := f.WriteAt(page, int64(n%16)*4096); err != nil {
			b.Fatal(err)
		}
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds()
}

// BenchmarkAppend: durable single-event appends by 16 concurrent writers,
// against the ceiling that applies: the same database, in the same run,
// taking 16 clients each inserting one event-sized row into a bare table
// and committing (PostgreSQL groups such commits, so the disk's raw fsync
// rate, also reported, is not the limit). The writers spread over 2,000
// synthetic cases, so each case keeps a realistic length.
func BenchmarkAppend(b *testing.B) {
	for name, fresh := range dialects(b) {
		b.Run(name, func(b *testing.B) {
			s := open(b, fresh())
			fsyncs := fsyncRate(b, b.TempDir())
			const writers = 16
			batch := proposals(2000, 9)
			var refs []string
			for _, p := range batch {
				if p.Event.Type == throughline.TypeCaseOpened {
					refs = append(refs, p.Event.Case)
				}
			}
			if _, err := s.Import(context.Background(), batch, false); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			var next atomic.Int64
			var wg sync.WaitGroup
			for range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						i := next.Add(1)
						if i > int64(b.N) {
							return
						}
						e := throughline.Event{Case: refs[int(i*7919)%len(refs)], Type: throughline.TypeVictimInformed, OccurredAt: throughline.At(now), Actor: "bench", Agency: "police:13",
							Data: &throughline.VictimInformed{ComplainantID: "C1", About: "regular_update", Channel: "phone"}}
						if _, _, err := s.Append(context.Background(), e, throughline.AnyVersion); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			rate := float64(b.N) / b.Elapsed().Seconds()
			b.StopTimer()
			bare := bareCommits(b, s, writers, max(b.N, 2000))
			b.ReportMetric(rate, "appends/s")
			b.ReportMetric(bare, "baseline-bare-commits/s")
			b.ReportMetric(rate/bare, "x-bare-commits")
			b.ReportMetric(fsyncs, "raw-fsyncs/s")
		})
	}
}

// BenchmarkImport: bulk import of synthetic history, against two
// baselines: writing the very rows the import wrote (events, keys and every
// projection) into an empty database of the same schema with nothing
// decided or computed — the ceiling of any import that keeps these
// projections — and a bare bulk insert of the same number of event rows
// into an unindexed table.
func BenchmarkImport(b *testing.B) {
	defer debug.SetGCPercent(debug.SetGCPercent(400)) // as the import and generate commands run
	batch := proposals(20000, 1)
	file := jsonLines(b, batch)
	for name, fresh := range dialects(b) {
		b.Run(name, func(b *testing.B) {
			var elapsed time.Duration
			var s *sqlstore.Store
			for range b.N {
				s = open(b, fresh())
				start := time.Now()
				if _, err := s.Import(context.Background(), batch, false); err != nil {
					b.Fatal(err)
				}
				elapsed += time.Since(start)
			}
			storeRate := float64(len(batch)*b.N) / elapsed.Seconds()
			b.ReportMetric(storeRate, "events/s")
			b.ReportMetric(float64(len(batch)), "events/op")
			// What the import command does with a file: parse every line,
			// then the same store call. Measured once, beside the store call
			// alone on events already decoded.
			start := time.Now()
			lines := readFile(b, file)
			decoded := time.Since(start)
			command := open(b, fresh())
			if _, err := command.Import(context.Background(), jsonl.Proposals(lines), false); err != nil {
				b.Fatal(err)
			}
			commandRate := float64(len(batch)) / time.Since(start).Seconds()
			b.ReportMetric(float64(len(batch))/decoded.Seconds(), "decode-events/s")
			b.ReportMetric(commandRate, "file-events/s")
			b.ReportMetric(commandRate/storeRate, "x-store-rate")
			empty := open(b, fresh())
			all, _ := copyRows(b, s, empty)
			b.ReportMetric(float64(len(batch))/all.Seconds(), "baseline-same-rows-events/s")
			s = open(b, fresh())
			b.ReportMetric(float64(len(batch))/rawInsert(b, s, len(batch)).Seconds(), "baseline-bare-rows/s")
		})
	}
}

// bareCommits is the rate at which the database commits n single-row
// inserts of event-sized rows from the given number of concurrent clients,
// each insert its own transaction: what any durable append is bounded by.
func bareCommits(b *testing.B, s *sqlstore.Store, clients, n int) float64 {
	ctx := context.Background()
	if _, err := s.DB().ExecContext(ctx, `CREATE TABLE bare_commits (case_ref TEXT, version BIGINT, type TEXT, occurred_at TEXT, data TEXT, hash TEXT)`); err != nil {
		b.Fatal(err)
	}
	insert := `INSERT INTO bare_commits VALUES (?, ?, ?, ?, ?, ?)`
	if s.Dialect() == "postgres" {
		insert = `INSERT INTO bare_commits VALUES ($1, $2, $3, $4, $5, $6)`
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > int64(n) {
					return
				}
				if _, err := s.DB().ExecContext(ctx, insert, fmt.Sprintf("REF-%07d", i), i, "victim_informed", "2026-11-25T09:00:00Z",
					`{"complainant_id":"C1","about":"regular_update","channel":"phone"}`, "0123456789abcdef0123456789abcdef"); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return float64(n) / time.Since(start).Seconds()
}

// rawInsert times a bare bulk insert of n event-sized rows.
func rawInsert(b *testing.B, s *sqlstore.Store, n int) time.Duration {
	ctx := context.Background()
	if _, err := s.DB().ExecContext(ctx, `CREATE TABLE raw_rows (case_ref TEXT, version BIGINT, type TEXT, occurred_at TEXT, recorded_at TEXT, appended_at TEXT, actor TEXT, agency TEXT, data TEXT, prev_hash TEXT, hash TEXT)`); err != nil {
		b.Fatal(err)
	}
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = []any{fmt.Sprintf("REF-%07d", i/5), int64(i % 5), "hearing_listed", "2024-01-01", "2024-01-01", "2026-11-25T09:00:00Z", "bench", "police:13",
			`{"hearing_id":"H1","kind":"trial","court":"leeds","starts_at":"2025-05-12T10:00:00+01:00","listing":"fixture"}`, "0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"}
	}
	start := time.Now()
	if err := bulkInsert(ctx, s, bulkRows{Table: "raw_rows", Cols: []string{"case_ref", "version", "type", "occurred_at", "recorded_at", "appended_at", "actor", "agency", "data", "prev_hash", "hash"}, Rows: rows}); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// bigDB is the DSN of a database loaded by run.sh with 700,000 cases.
func bigDB(b *testing.B, dialect string) *sqlstore.Store {
	dsn := os.Getenv("THROUGHLINE_BENCH_BIG_" + dialect)
	if dsn == "" {
		b.Skipf("THROUGHLINE_BENCH_BIG_%s not set: run make bench", dialect)
	}
	return open(b, dsn)
}

// BenchmarkVerify: audit verify over the loaded log, against a bare scan of
// the same columns.
func BenchmarkVerify(b *testing.B) {
	defer debug.SetGCPercent(debug.SetGCPercent(400)) // as the audit verify command runs
	for _, d := range []string{"sqlite", "postgres"} {
		b.Run(d, func(b *testing.B) {
			s := bigDB(b, d)
			var events int64
			for range b.N {
				res, err := s.Verify(context.Background(), nil)
				if err != nil || len(res.Problems) > 0 {
					b.Fatal(err, res.Problems)
				}
				events += res.Events
			}
			b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
			start := time.Now()
			n := scanAll(b, s)
			b.ReportMetric(float64(n)/time.Since(start).Seconds(), "baseline-scan-rows/s")
		})
	}
}

func scanAll(b *testing.B, s *sqlstore.Store) int {
	rows, err := s.DB().Query(`SELECT position, case_ref, version, type, occurred_at, recorded_at, appended_at, actor, agency, data, personal, prev_hash, hash FROM events ORDER BY case_ref, version`)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	n := 0
	var cols [13]sql.RawBytes
	ptrs := make([]any, len(cols))
	for i := range cols {
		ptrs[i] = &cols[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			b.Fatal(err)
		}
		n++
	}
	return n
}

// BenchmarkReadCase: one case's projection, by random reference, with the
// loaded cases; p50 and p99 against a bare query round trip.
func BenchmarkReadCase(b *testing.B) {
	for _, d := range []string{"sqlite", "postgres"} {
		b.Run(d, func(b *testing.B) {
			s := bigDB(b, d)
			ctx := context.Background()
			var refs []string
			rows, err := s.DB().Query(`SELECT ref FROM cases`)
			if err != nil {
				b.Fatal(err)
			}
			for rows.Next() {
				var r string
				rows.Scan(&r)
				refs = append(refs, r)
			}
			rows.Close()
			b.ReportMetric(float64(len(refs)), "cases")
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := range b.N {
				ref := refs[(i*7919)%len(refs)]
				start := time.Now()
				if _, err := s.Case(ctx, ref); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
			}
			b.StopTimer()
			p50, p99 := percentiles(lat)
			b.ReportMetric(float64(p50.Microseconds()), "p50-µs")
			b.ReportMetric(float64(p99.Microseconds()), "p99-µs")
			base := make([]time.Duration, 0, 2000)
			for range 2000 {
				start := time.Now()
				var one int
				s.DB().QueryRowContext(ctx, `SELECT 1`).Scan(&one)
				base = append(base, time.Since(start))
			}
			_, bp99 := percentiles(base)
			b.ReportMetric(float64(bp99.Microseconds()), "baseline-p99-µs")
		})
	}
}

func percentiles(d []time.Duration) (p50, p99 time.Duration) {
	slices.Sort(d)
	return d[len(d)/2], d[len(d)*99/100]
}

// BenchmarkFellDue: what fell due since the last scheduler tick (one day),
// over every deadline of the loaded cases.
func BenchmarkFellDue(b *testing.B) {
	for _, d := range []string{"sqlite", "postgres"} {
		b.Run(d, func(b *testing.B) {
			s := bigDB(b, d)
			var total int
			s.DB().QueryRow(`SELECT count(*) FROM deadlines`).Scan(&total)
			b.ReportMetric(float64(total), "deadlines")
			day := time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)
			lat := make([]time.Duration, 0, b.N)
			found := 0
			b.ResetTimer()
			for i := range b.N {
				from := day.AddDate(0, 0, i%300)
				start := time.Now()
				ds, err := s.DeadlinesDue(context.Background(), throughline.DeadlineFilter{OpenOnly: true, DueAfter: from, DueBefore: from.AddDate(0, 0, 1)})
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
				found += len(ds)
			}
			b.StopTimer()
			_, p99 := percentiles(lat)
			b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(found)/float64(b.N), "fell-due/tick")
		})
	}
}
