package sqlstore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"throughline/wire"
	"time"

	"github.com/google/go-cmp/cmp"

	"throughline"
	"throughline/jsonl"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
)

var clock = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

func open(t *testing.T, dsn string) *sqlstore.Store {
	t.Helper()
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, dsn, wire.Rules())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.Now = func() time.Time { return clock }
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

func journey(t *testing.T) []jsonl.Line {
	t.Helper()
	f, err := os.Open("../testdata/journey.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines, bad, err := jsonl.Read(f)
	if err != nil || len(bad) > 0 {
		t.Fatal(err, bad)
	}
	return lines
}

func withRef(lines []jsonl.Line, ref string) []jsonl.Line {
	out := make([]jsonl.Line, len(lines))
	for i, l := range lines {
		l.Event.Case = ref
		out[i] = l
	}
	return out
}

func appendAll(t *testing.T, s *sqlstore.Store, lines []jsonl.Line) {
	t.Helper()
	for i, l := range lines {
		l.Event.Actor, l.Event.Agency = "u_test", "police:13"
		if _, _, err := s.Append(context.Background(), l.Event, int64(i)); err != nil {
			t.Fatalf("line %d: %v", l.No, err)
		}
	}
}

func TestAppendFoldsAndReadsBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn)
		lines := journey(t)
		appendAll(t, s, lines)
		c, err := s.Case(ctx, "13RS0000101/24")
		if err != nil {
			t.Fatal(err)
		}
		if c.Stage() != throughline.StageClosed || c.Version != int64(len(lines)) || c.Defendants[0].Stage != throughline.StageSentenced {
			t.Fatalf("case stage %s version %d defendant %s", c.Stage(), c.Version, c.Defendants[0].Stage)
		}
		evs, err := s.Events(ctx, "13RS0000101/24")
		if err != nil {
			t.Fatal(err)
		}
		for i, e := range evs {
			if e.Version != int64(i+1) {
				t.Fatalf("event %d has version %d", i, e.Version)
			}
			want := lines[i].Event
			if want.RecordedAt.IsZero() {
				want.RecordedAt = throughline.At(clock) // live writes: learned when appended
			}
			if diff := cmp.Diff(line(want), line(e)); diff != "" {
				t.Fatalf("event %d read back differently (-want +got):\n%s", i+1, diff)
			}
		}
		// Personal data is sealed: the name appears nowhere in the log's bytes.
		var n int
		if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM events WHERE data LIKE '%Amelia%' OR data LIKE '%amelia@%'`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("personal data in clear in the log: %d rows (%v)", n, err)
		}
	})
}

// line is an event's wire form without the log's own fields.
func line(e throughline.Event) string {
	e.Actor, e.Agency = "", ""
	b, _ := e.MarshalJSON()
	return string(b)
}

func TestOptimisticConcurrencyAndRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn)
		lines := journey(t)
		appendAll(t, s, lines[:9]) // up to the charge
		// A stale version is refused with the current one.
		_, _, err := s.Append(ctx, lines[9].Event, 1)
		var te *throughline.Error
		if throughline.ErrorCode(err) != throughline.ECONFLICT || !asError(err, &te) || te.Version != 9 {
			t.Fatalf("stale append: %v, want conflict at version 9", err)
		}
		// An illegal sequence is refused with a caseworker's message.
		verdict := lines[19].Event
		_, _, err = s.Append(ctx, verdict, 9)
		if throughline.ErrorCode(err) != throughline.EINVALID || !strings.Contains(err.Error(), "verdict for defendant D1: no trial has started") {
			t.Fatalf("early verdict: %v", err)
		}
		// Opening a case twice conflicts.
		if _, _, err := s.Append(ctx, lines[0].Event, 0); throughline.ErrorCode(err) != throughline.ECONFLICT {
			t.Fatalf("second case_opened: %v", err)
		}
		// An event dated before the report.
		early := lines[2].Event
		early.OccurredAt = throughline.On(2023, 12, 1)
		if _, _, err := s.Append(ctx, early, 9); throughline.ErrorCode(err) != throughline.EINVALID {
			t.Fatalf("event before report: %v", err)
		}
		// Nothing refused changed the case.
		c, err := s.Case(ctx, lines[0].Event.Case)
		if err != nil || c.Version != 9 {
			t.Fatalf("after refusals: version %d, %v", c.Version, err)
		}
		// The database itself refuses to change or delete the log.
		if _, err := s.DB().ExecContext(ctx, `UPDATE events SET type = 'case_closed'`); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("update of the log: %v", err)
		}
		if _, err := s.DB().ExecContext(ctx, `DELETE FROM events`); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("delete from the log: %v", err)
		}
	})
}

func asError(err error, target **throughline.Error) bool {
	e, ok := err.(*throughline.Error)
	*target = e
	return ok
}

func TestConcurrentWritersLoseNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn)
		lines := journey(t)
		const writers = 16
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i, l := range withRef(lines, fmt.Sprintf("CONC-%02d", w)) {
					if _, _, err := s.Append(ctx, l.Event, int64(i)); err != nil {
						errs <- fmt.Errorf("writer %d line %d: %w", w, l.No, err)
						return
					}
				}
			}()
		}
		// Racing writers on one case: exactly one wins each version.
		wins := make(chan int, writers)
		for range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				e := lines[0].Event
				e.Case = "RACE-1"
				if _, _, err := s.Append(ctx, e, 0); err == nil {
					wins <- 1
				} else if throughline.ErrorCode(err) != throughline.ECONFLICT {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		close(wins)
		for err := range errs {
			t.Error(err)
		}
		if len(wins) != 1 {
			t.Errorf("%d writers opened RACE-1, want exactly 1", len(wins))
		}
		res, err := s.Verify(ctx, nil)
		if err != nil || len(res.Problems) > 0 || res.Events != writers*int64(len(lines))+1 {
			t.Fatalf("verify: %+v %v", res, err)
		}
	})
}

// Writers racing on one case with no expected version all succeed, each
// at its own version: the case row's lock queues them (on PostgreSQL the
// lock is taken in the batch that begins the transaction), so none
// overwrites another's update and the hash chain stays whole.
func TestConcurrentAppendsToOneCaseQueue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn)
		lines := journey(t)
		appendAll(t, s, lines[:9])
		const writers = 16
		versions := make(chan int64, writers)
		var wg sync.WaitGroup
		for range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				e := throughline.Event{Case: lines[0].Event.Case, Type: throughline.TypeVictimInformed, OccurredAt: lines[8].Event.OccurredAt,
					Actor: "ci", Agency: "police:13", Data: &throughline.VictimInformed{ComplainantID: "C1", About: "regular_update", Channel: "phone"}}
				evs, _, err := s.Append(ctx, e, throughline.AnyVersion)
				if err != nil {
					t.Error(err)
					return
				}
				versions <- evs[0].Version
			}()
		}
		wg.Wait()
		close(versions)
		seen := map[int64]bool{}
		for v := range versions {
			if seen[v] {
				t.Errorf("two appends at version %d", v)
			}
			seen[v] = true
		}
		c, err := s.Case(ctx, lines[0].Event.Case)
		if err != nil || c.Version != 9+writers || len(seen) != writers {
			t.Fatalf("case at version %d after %d appends (%v)", c.Version, len(seen), err)
		}
		res, err := s.Verify(ctx, nil)
		if err != nil || len(res.Problems) > 0 || res.Events != 9+writers {
			t.Fatalf("verify: %+v %v", res, err)
		}
	})
}

func importLines(t *testing.T, s *sqlstore.Store, lines []jsonl.Line, skip bool) (throughline.ImportResult, error) {
	t.Helper()
	return s.Import(context.Background(), jsonl.Proposals(lines), skip)
}

func export(t *testing.T, s *sqlstore.Store) string {
	t.Helper()
	var buf bytes.Buffer
	w := jsonl.NewWriter(&buf)
	if err := s.EachEvent(context.Background(), w.Write); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	return buf.String()
}

func TestImportExportRoundTripAndRebuild(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := open(t, dsn)
		var all []jsonl.Line
		for i := range 5 {
			all = append(all, withRef(journey(t), fmt.Sprintf("13RS%07d/24", i))...)
		}
		res, err := importLines(t, s, all, false)
		if err != nil || res.Events != len(all) || res.Cases != 5 {
			t.Fatalf("import: %+v %v", res, err)
		}
		first := export(t, s)
		// Imported history: a missing recorded_at means occurred_at.
		if !strings.Contains(first, `"type":"case_opened","occurred_at":"2024-01-15","recorded_at":"2024-01-15"`) {
			t.Fatalf("recorded_at not defaulted to occurred_at:\n%s", first[:300])
		}
		// export → import into an empty database → export is identical.
		again, bad, err := jsonl.Read(strings.NewReader(first))
		if err != nil || len(bad) > 0 {
			t.Fatal(err, bad)
		}
		s2 := open(t, storetest.DSNs(t)["sqlite"])
		if _, err := importLines(t, s2, again, false); err != nil {
			t.Fatal(err)
		}
		if second := export(t, s2); second != first {
			t.Fatalf("export → import → export differs:\n%s", cmp.Diff(first, second))
		}
		// Rebuild regenerates identical projections.
		before := dumpProjections(t, s)
		if n, err := s.Rebuild(context.Background(), nil); err != nil || n != 5 {
			t.Fatalf("rebuild: %d %v", n, err)
		}
		if diff := cmp.Diff(before, dumpProjections(t, s)); diff != "" {
			t.Fatalf("rebuild changed the projections:\n%s", diff)
		}
	})
}

func TestImportRefusesWholeFileOrSkips(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn)
		good := withRef(journey(t), "GOOD-1")
		bad := withRef(journey(t), "BAD-1")
		bad[19].Event.Type, bad[19].Event.Data = throughline.TypeVerdict, &throughline.Verdict{DefendantID: "D1", Result: "guilty"}
		bad[17], bad[19] = bad[19], bad[17] // a verdict before the trial started
		all := append(good, bad...)
		_, err := importLines(t, s, all, false)
		var ie *throughline.ImportError
		if err == nil || !errorsAs(err, &ie) || ie.Rejected[0].Line != bad[17].No {
			t.Fatalf("import with a bad line: %v", err)
		}
		if cs, _ := s.Cases(ctx, throughline.CaseFilter{}); len(cs) != 0 {
			t.Fatalf("refused import wrote %d cases", len(cs))
		}
		res, err := importLines(t, s, all, true)
		if err != nil || len(res.Skipped) == 0 || res.Cases != 2 {
			t.Fatalf("skip-invalid import: %+v %v", res, err)
		}
		if !strings.Contains(res.Skipped[0].Error(), "no trial has started") {
			t.Fatalf("skipped reason: %v", res.Skipped[0])
		}
	})
}

func errorsAs(err error, target **throughline.ImportError) bool {
	e, ok := err.(*throughline.ImportError)
	*target = e
	return ok
}

// dumpProjections reads every projection table in a fixed order.
func dumpProjections(t *testing.T, s *sqlstore.Store) []string {
	t.Helper()
	return dumpRows(t, s, "head_hash")
}

// dumpRows is dumpProjections with the case row's hash column given: a
// case's hash covers its sealed payloads, which differ with each case key,
// so two imports of the same events compare without it.
func dumpRows(t *testing.T, s *sqlstore.Store, hash string) []string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT ref, version, ` + hash + `, force, cps_area, stage, reported_on, last_occurred, closed_on, state FROM cases ORDER BY ref`,
		`SELECT case_ref, party_id, role, name, stage FROM parties ORDER BY case_ref, party_id`,
		`SELECT case_ref, seq, ho_code, cjs_code FROM offences ORDER BY case_ref, seq`,
		`SELECT case_ref, hearing_id, kind, court, starts_at, starts_on, listing, status, outcome FROM hearings ORDER BY case_ref, hearing_id`,
		`SELECT case_ref, name, on_date FROM key_dates ORDER BY case_ref, name`,
		`SELECT case_ref, key, rule, subject, owner, force, cps_area, starts, due, met_at, open, detail, live FROM deadlines ORDER BY case_ref, key`,
	} {
		rows, err := s.DB().Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%q", vals))
		}
		rows.Close()
	}
	if len(out) == 0 {
		t.Fatal("no projections to compare")
	}
	return out
}

// Two stores on one database stand for two serve processes: writers in
// both race on the same cases, and every acknowledged event is in the log
// exactly once, with the chains intact.
func TestTwoProcessesShareOneDatabase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		a, b := open(t, dsn), open(t, dsn)
		lines := journey(t)
		appendAll(t, a, withRef(lines[:1], "SHARED-1"))
		var wg sync.WaitGroup
		var mu sync.Mutex
		acked := 0
		for w := range 8 {
			s := a
			if w%2 == 1 {
				s = b
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 10 {
					e := throughline.Event{Case: "SHARED-1", Type: throughline.TypeVictimInformed, OccurredAt: throughline.On(2024, 2, 1), Actor: "u", Agency: "police:13",
						Data: &throughline.VictimInformed{ComplainantID: "C1", About: "regular_update", Channel: "phone"}}
					c, err := s.Case(ctx, "SHARED-1")
					if err != nil {
						t.Error(err)
						return
					}
					_, _, err = s.Append(ctx, e, c.Version)
					switch throughline.ErrorCode(err) {
					case "":
						mu.Lock()
						acked++
						mu.Unlock()
					case throughline.ECONFLICT:
					default:
						t.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		c, err := b.Case(ctx, "SHARED-1")
		if err != nil || c.Version != int64(1+acked) {
			t.Fatalf("version %d after %d acknowledged appends (%v)", c.Version, acked, err)
		}
		if res, err := a.Verify(ctx, nil); err != nil || len(res.Problems) > 0 {
			t.Fatalf("verify: %+v %v", res.Problems, err)
		}
		if acked == 0 {
			t.Fatal("no append succeeded")
		}
	})
}

// streamed imports lines in batches of size events, in the order given.
func streamed(t *testing.T, s *sqlstore.Store, lines []jsonl.Line, size int, skip bool) (throughline.ImportResult, error) {
	t.Helper()
	batch := jsonl.Proposals(lines)
	return s.ImportStream(context.Background(), func() ([]throughline.Proposed, error) {
		n := min(size, len(batch))
		next := batch[:n]
		batch = batch[n:]
		return next, nil
	}, skip)
}

// A file read in batches, with its cases interleaved so that every case
// spans several batches, imports to the same projections and the same
// per-case logs as one batch of the same events; an erased case erased in a
// later batch than its erased payloads imports; a case whose payloads read
// as erased but which is never erased refuses the whole import, with
// --skip-invalid too, since its earlier batches are already written.
func TestImportStreamAcrossBatches(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		j := journey(t)
		var cases [][]jsonl.Line
		for i := range 5 {
			cases = append(cases, withRef(j, fmt.Sprintf("13RS%07d/24", i)))
		}
		// Round robin: the first event of every case, then the second, …
		var interleaved []jsonl.Line
		for k := range j {
			for _, c := range cases {
				interleaved = append(interleaved, c[k])
			}
		}
		s := open(t, dsn)
		res, err := streamed(t, s, interleaved, 7, false)
		if err != nil || res.Events != len(interleaved) || res.Cases != 5 {
			t.Fatalf("import in batches of 7: %+v %v", res, err)
		}
		dialect, _, _ := strings.Cut(dsn, ":")
		if dialect != "sqlite" {
			dialect = "postgres"
		}
		whole := open(t, storetest.DSNs(t)[dialect])
		if _, err := importLines(t, whole, slices.Concat(cases...), false); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(dumpRows(t, whole, "0"), dumpRows(t, s, "0")); diff != "" {
			t.Fatalf("batches and one batch project differently:\n%s", diff)
		}
		if a, b := byCase(export(t, whole)), byCase(export(t, s)); !maps.Equal(a, b) {
			t.Fatalf("batches and one batch log differently:\n%s", cmp.Diff(a, b))
		}

		// Erase one case, export it, and import the export with the
		// erasure in a later batch than the erased payloads.
		const ref = "13RS0000003/24"
		if _, _, err := s.Append(ctx, throughline.Event{Case: ref, Type: throughline.TypeCaseErased, OccurredAt: throughline.On(2026, 11, 25),
			Actor: "test", Agency: "system", Data: &throughline.CaseErased{Reason: "retention review"}}, throughline.AnyVersion); err != nil {
			t.Fatal(err)
		}
		var erased []jsonl.Line
		for _, l := range readLines(t, export(t, s)) {
			if l.Event.Case == ref {
				erased = append(erased, l)
			}
		}
		again := open(t, storetest.DSNs(t)["sqlite"])
		if res, err := streamed(t, again, erased, 3, false); err != nil || res.Cases != 1 {
			t.Fatalf("erased case in batches of 3: %+v %v", res, err)
		}
		if got := byCase(export(t, again))[ref]; got != byCase(export(t, s))[ref] {
			t.Fatalf("erased case imported in batches differs:\n%s", cmp.Diff(byCase(export(t, s))[ref], got))
		}
		for _, skip := range []bool{false, true} {
			forged := open(t, storetest.DSNs(t)["sqlite"])
			_, err := streamed(t, forged, erased[:len(erased)-1], 3, skip) // without case_erased
			var ie *throughline.ImportError
			if !errorsAs(err, &ie) || len(ie.Rejected) != 1 || !strings.Contains(ie.Rejected[0].Err.Error(), "is not erased") {
				t.Fatalf("skip=%v: erased payloads without the erasure: %v", skip, err)
			}
			if n := countRows(t, forged, "events"); n != 0 {
				t.Fatalf("skip=%v: %d events written by a refused import", skip, n)
			}
		}
	})
}

// A reader that fails after its first batch (a bad line further down the
// file) refuses the import: the batch already decided is not written, and
// nothing is.
func TestImportStreamRefusedByALaterBatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := open(t, dsn)
		batch := jsonl.Proposals(journey(t))
		calls := 0
		unreadable := errors.New("line 4,001: not JSON")
		_, err := s.ImportStream(context.Background(), func() ([]throughline.Proposed, error) {
			if calls++; calls == 1 {
				return batch, nil
			}
			return nil, unreadable
		}, false)
		if !errors.Is(err, unreadable) || calls != 2 {
			t.Fatalf("import: %v after %d batches asked for; want the reader's error after 2", err, calls)
		}
		if n := countRows(t, s, "events"); n != 0 {
			t.Fatalf("%d events written by a refused import", n)
		}
	})
}

// byCase is an export's lines grouped by case, each case's in log order.
func byCase(export string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.SplitAfter(export, "\n") {
		if ref, _, ok := strings.Cut(strings.TrimPrefix(line, `{"case":"`), `"`); ok {
			out[ref] += line
		}
	}
	return out
}

func readLines(t *testing.T, export string) []jsonl.Line {
	t.Helper()
	lines, bad, err := jsonl.Read(strings.NewReader(export))
	if err != nil || len(bad) > 0 {
		t.Fatal(err, bad)
	}
	return lines
}

func countRows(t *testing.T, s *sqlstore.Store, table string) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
