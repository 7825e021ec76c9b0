package bench

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"runtime/debug"
	"testing"
	"time"

	"throughline"
	"throughline/jsonl"
	"throughline/sqlstore"
)

// importBatch is the import command's batch (cmd/throughline): at least
// this many events, ending where the case changes.
const importBatch = 20000

// BenchmarkImportFile: the ceilings of the import command on a real export
// (THROUGHLINE_BENCH_IMPORT_FILE, written by bench/commands.sh, which times
// the command itself): the store call alone on the file's events, parsing
// alone, and the same rows written with nothing computed. Each streams as
// the command does, so memory holds a batch, not the file: a national
// export decoded whole needs more memory than the machine has.
// THROUGHLINE_BENCH_STORE_ONLY=1 measures the store call alone and leaves
// out the rest (at national size the limits take longer than the import).
func BenchmarkImportFile(b *testing.B) {
	path := os.Getenv("THROUGHLINE_BENCH_IMPORT_FILE")
	if path == "" {
		b.Skip("THROUGHLINE_BENCH_IMPORT_FILE not set: run bench/commands.sh")
	}
	defer debug.SetGCPercent(debug.SetGCPercent(400)) // as the import command runs
	for name, fresh := range dialects(b) {
		b.Run(name, func(b *testing.B) {
			var t importTimes
			var s *sqlstore.Store
			for range b.N {
				s = open(b, fresh())
				t.add(storeOnly(b, s, path))
			}
			events := float64(t.events)
			b.ReportMetric(events/t.store.Seconds(), "store-events/s")
			b.ReportMetric(events/t.storeCPU.Seconds(), "store-events/cpu-s")
			b.ReportMetric(events/t.parse.Seconds(), "decode-events/s")
			b.ReportMetric(events/t.parseCPU.Seconds(), "decode-events/cpu-s")
			b.ReportMetric(events/float64(b.N), "events/op")
			if os.Getenv("THROUGHLINE_BENCH_STORE_ONLY") != "" {
				return // the store call alone, e.g. to pair it with the command run by run
			}
			perRun := events / float64(b.N)
			empty := open(b, fresh())
			all, projections := copyRows(b, s, empty)
			b.ReportMetric(perRun/all.Seconds(), "baseline-same-rows-events/s")
			read := readLog(b, s, false)
			b.ReportMetric(perRun/read.Seconds(), "limit-export-events/s")
			b.ReportMetric(perRun/readLog(b, s, true).Seconds(), "limit-verify-events/s")
			b.ReportMetric(perRun/(read+projections).Seconds(), "limit-rebuild-events/s")
		})
	}
}

// importTimes is where a streamed import's time went: the store's wall and
// CPU time (this process's: on PostgreSQL the server's is not counted), and
// parsing's.
type importTimes struct {
	events          int
	store, storeCPU time.Duration
	parse, parseCPU time.Duration
}

func (t *importTimes) add(u importTimes) {
	t.events += u.events
	t.store += u.store
	t.storeCPU += u.storeCPU
	t.parse += u.parse
	t.parseCPU += u.parseCPU
}

// storeOnly imports the file at path into s as the import command does —
// one ImportStream, batches of importBatch events ending where the case
// changes, each parsed by jsonl on every core — but parses each batch only
// when the store asks for it, with the clocks stopped. So the store works
// alone (the command parses the next batch beside it, on the same cores),
// and its time is the ceiling: the command at best hides all its parsing.
func storeOnly(b *testing.B, s *sqlstore.Store, path string) importTimes {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), jsonl.MaxLine)
	lineNo := 0
	// parseLines parses raw lines (the first numbered from lineNo+1).
	parseLines := func(raw []byte, n int) []throughline.Proposed {
		lines, bad, err := jsonl.ReadAt(bytes.NewReader(raw), now)
		if err != nil || len(bad) > 0 {
			b.Fatal(err, bad)
		}
		for i := range lines {
			lines[i].No += lineNo
		}
		lineNo += n
		return jsonl.Proposals(lines)
	}
	var t importTimes
	var held []throughline.Proposed // a parsed line that begins the next batch
	next := func() ([]throughline.Proposed, error) {
		wall, cpu := time.Now(), cpuTime(b)
		defer func() { t.parse += time.Since(wall); t.parseCPU += cpuTime(b) - cpu }()
		var raw []byte
		n := 0
		for n < importBatch && sc.Scan() {
			raw = append(append(raw, sc.Bytes()...), '\n')
			n++
		}
		batch := append(held, parseLines(raw, n)...)
		held = nil
		// Then line by line to the end of the last case, as jsonl.Stream does.
		for len(batch) > 0 && sc.Scan() {
			p := parseLines(append(sc.Bytes(), '\n'), 1)
			if len(p) > 0 && p[0].Event.Case != batch[len(batch)-1].Event.Case {
				held = p
				break
			}
			batch = append(batch, p...)
		}
		if err := sc.Err(); err != nil {
			b.Fatal(err)
		}
		return batch, nil
	}
	wall, cpu := time.Now(), cpuTime(b)
	res, err := s.ImportStream(context.Background(), next, false)
	if err != nil {
		b.Fatal(err)
	}
	t.store = time.Since(wall) - t.parse
	t.storeCPU = cpuTime(b) - cpu - t.parseCPU
	t.events = res.Events
	return t
}

// copyTables are the tables an import writes, and the columns copyRows
// copies (the events without their generated positions).
var copyTables = []struct{ table, cols string }{
	{"events", "case_ref, version, type, occurred_at, recorded_at, appended_at, actor, agency, data, personal, prev_hash, hash"},
	{"case_keys", "*"}, {"cases", "*"}, {"parties", "*"}, {"offences", "*"}, {"hearings", "*"},
	{"key_dates", "*"}, {"deadlines", "*"}, {"case_facts", "*"}, {"case_facts_narrow", "*"}, {"case_team", "*"},
}

// copyRows writes every row an import wrote into from (events, case keys
// and projections) into the empty database to, in one transaction, as a
// bulk load would with nothing decided or computed, and returns the time
// spent writing (reading from is not counted): all of it, and the part a
// rebuild writes (the projections, with the commit). Rows go over in
// chunks of an import batch, so memory holds a chunk, not the database.
func copyRows(b *testing.B, from, to *sqlstore.Store) (all, projections time.Duration) {
	ctx := context.Background()
	conn, err := to.DB().Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	write := func(t bulkRows) {
		start := time.Now()
		if err := bulkTable(ctx, to.Dialect(), conn, tx, t); err != nil {
			b.Fatalf("%s: %v", t.Table, err)
		}
		took := time.Since(start)
		all += took
		if t.Table != "events" && t.Table != "case_keys" { // rebuild leaves these
			projections += took
		}
	}
	for _, t := range copyTables {
		rows, err := from.DB().QueryContext(ctx, `SELECT `+t.cols+` FROM `+t.table)
		if err != nil {
			b.Fatal(err)
		}
		names, _ := rows.Columns()
		chunk := bulkRows{Table: t.table, Cols: names}
		for rows.Next() {
			vals := make([]any, len(names))
			ptrs := make([]any, len(names))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				b.Fatal(err)
			}
			if chunk.Rows = append(chunk.Rows, vals); len(chunk.Rows) == importBatch {
				write(chunk)
				chunk.Rows = nil
			}
		}
		if err := rows.Err(); err != nil {
			b.Fatal(err)
		}
		rows.Close()
		write(chunk)
	}
	start := time.Now()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	commit := time.Since(start)
	return all + commit, projections + commit
}
