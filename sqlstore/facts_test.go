package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

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
