package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"throughline"
	"throughline/synth"

	"throughline/sqlstore/storetest"
)

// Every case's version (CaseVersions, read by the measures dashboard
// whenever the log has moved) is read from an index that holds nothing
// else, not from the cases rows, which carry each case's folded state
// (migration 0122, docs/adr/0256). PostgreSQL takes the index of its own
// accord once the table outgrows it and its pages are marked all-visible,
// as autovacuum keeps them (docs/benchmarks.md); over the few rows here its
// sequential scan costs less, so it is turned off, to ask whether the
// index answers alone.
func TestCaseVersionsAreReadFromTheirIndex(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn)
		appendAll(t, s, journey(t))
		if s.Dialect() == "postgres" {
			if _, err := s.DB().ExecContext(ctx, "VACUUM ANALYZE cases"); err != nil {
				t.Fatal(err)
			}
		}
		tx, err := s.DB().BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		explain, want := "EXPLAIN QUERY PLAN ", "USING COVERING INDEX cases_ref_version"
		if s.Dialect() == "postgres" {
			if _, err := tx.ExecContext(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
				t.Fatal(err)
			}
			explain, want = "EXPLAIN ", "Index Only Scan using cases_ref_version"
		}
		rows, err := tx.QueryContext(ctx, explain+"SELECT ref, version FROM cases") // CaseVersions' query
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var plan strings.Builder
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&plan, vals...)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(plan.String(), want) {
			t.Errorf("CaseVersions' plan does not read the index alone (%q):\n%s", want, plan.String())
		}
	})
}

// EachCaseFactsSplit gives every record of the roll-up once, as
// EachCaseFacts does, each part's in reference order, however many parts
// are asked for (more than there are cases too).
func TestCaseFactsSplitIsTheRollUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn)
		var batch []throughline.Proposed
		if err := synth.Generate(synth.Options{Cases: 40, Seed: 7, FromYear: 2024, ToYear: 2026, Now: clock}, func(evs []throughline.Event) error {
			for _, e := range evs {
				batch = append(batch, throughline.Proposed{Event: e})
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Import(ctx, batch, false); err != nil {
			t.Fatal(err)
		}
		var want []string
		if err := s.EachCaseFacts(ctx, func(rec []byte) error {
			want = append(want, string(rec))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for _, parts := range []int{1, 2, 3, 7, 100} {
			var mu sync.Mutex
			got := make([][]string, parts)
			if err := s.EachCaseFactsSplit(ctx, parts, func(part int, rec []byte) error {
				mu.Lock()
				defer mu.Unlock()
				got[part] = append(got[part], string(rec))
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			// The parts in order are the roll-up in order.
			if all := slices.Concat(got...); !slices.Equal(all, want) {
				t.Errorf("%d parts: %d records, the roll-up has %d (or not in order)", parts, len(all), len(want))
			}
			if n := len(got[0]); parts > 1 && parts < len(want) && (n == 0 || n == len(want)) {
				t.Errorf("%d parts: the first part read %d of %d records", parts, n, len(want))
			}
		}
	})
}
