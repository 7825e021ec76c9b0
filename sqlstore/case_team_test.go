package sqlstore_test

import (
	"context"
	"testing"

	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
)

// designate appends case_team_changed to case ref at version, as recorded
// by agency (the agency the role belongs to).
func designate(t *testing.T, s *sqlstore.Store, ref string, version int64, on, role, name, agency string) {
	t.Helper()
	e := eventLine(t, ref, `{"type":"case_team_changed","occurred_at":"`+on+`","data":{"role":"`+role+`","name":"`+name+`","handover":"Notes on the file"}}`).Event
	e.Actor, e.Agency = "u_test", agency
	if _, _, err := s.Append(context.Background(), e, version); err != nil {
		t.Fatal(err)
	}
}

// Migration 0129 takes the designations of the cases stored before it from
// their folded state, so that an upgraded database's case list names the
// same people as their case pages without a rebuild. The test stands the
// database back before 0129 (the table gone, the migration not applied)
// and migrates again.
func TestCaseTeamMigrationFillsFromTheFoldedState(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn)
		const ref = "13RS0000301/24"
		appendAll(t, s, withRef(journey(t)[:9], ref))
		designate(t, s, ref, 9, "2024-11-14", "witness_care_officer", "Gwen Price", "wcu:13")
		designate(t, s, ref, 10, "2024-11-15", "officer_in_case", "DC Priya Shah", "police:13")
		for _, q := range []string{`DROP TABLE case_team`, `DELETE FROM schema_migrations WHERE version = 129`} {
			if _, err := s.DB().ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		rows, err := s.DB().QueryContext(ctx, `SELECT case_ref, role, name FROM case_team ORDER BY role`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var r, role, name string
			if err := rows.Scan(&r, &role, &name); err != nil {
				t.Fatal(err)
			}
			got = append(got, r+" "+role+" "+name)
		}
		want := []string{ref + " officer_in_case DC Priya Shah", ref + " witness_care_officer Gwen Price"}
		if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("case_team after 0129 on a database that had the case: %q, want %q", got, want)
		}
		if ps, err := s.VerifyProjections(ctx, nil); err != nil || len(ps) != 0 {
			t.Errorf("the filled rows are not those the fold writes: %+v, %v", ps, err)
		}
	})
}
