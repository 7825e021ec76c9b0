package attribution_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"throughline"
	"throughline/attribution"
	"throughline/oversight"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
	"throughline/synth"
	"throughline/wire"
)

// Stalled lists, from the store, the open cases quiet for the given days
// while waiting on the party asked about, longest quiet first; a case with
// a recent event, a closed one and one waiting on another party are not.
func TestStalledFromTheStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := migrated(t, dsn)
		asOf := time.Date(2025, 6, 30, 12, 0, 0, 0, time.UTC)
		s.Now = func() time.Time { return asOf }
		add := func(ref string, lines ...string) {
			for i, l := range lines {
				e, err := throughline.ParseEvent([]byte(`{"case":"` + ref + `",` + l[1:]))
				if err != nil {
					t.Fatal(err)
				}
				e.RecordedAt, e.Actor, e.Agency = e.OccurredAt, "test", "police:13"
				if _, _, err := s.Append(ctx, e, int64(i)); err != nil {
					t.Fatalf("%s line %d: %v", ref, i, err)
				}
			}
		}
		opened := func(on string) string {
			return fmt.Sprintf(`{"type":"case_opened","occurred_at":%q,"data":{"force":"13","cps_area":"yorkshire_humberside","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"A"}],"suspects":[{"id":"D1","name":"B"}]}}`, on)
		}
		file := func(on string) string {
			return fmt.Sprintf(`{"type":"file_submitted","occurred_at":%q,"data":{"suspect_id":"D1","purpose":"charging_decision"}}`, on)
		}
		add("13ST0000001/25", opened("2025-01-06"), file("2025-03-03"))                                                                        // with the CPS, quiet 119 days
		add("13ST0000002/25", opened("2025-01-06"), file("2025-05-01"))                                                                        // with the CPS, quiet 60 days
		add("13ST0000003/25", opened("2025-01-06"), file("2025-06-20"))                                                                        // recent
		add("13ST0000004/25", opened("2025-01-06"))                                                                                            // with the police, quiet
		add("13ST0000005/25", opened("2025-01-06"), `{"type":"case_closed","occurred_at":"2025-02-01","data":{"reason":"no further action"}}`) // closed
		logs := fromLogs{s}
		got, err := attribution.Stalled(ctx, logs, throughline.CaseFilter{Forces: []string{"13"}, Limit: 1000}, attribution.CPS, 28, asOf, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Case != "13ST0000001/25" || got[0].Quiet != 119 || got[1].Case != "13ST0000002/25" || got[0].Rule != attribution.RuleFile {
			t.Fatalf("stalled with the CPS: %+v", got)
		}
		police, _ := attribution.Stalled(ctx, logs, throughline.CaseFilter{Forces: []string{"13"}}, attribution.Police, 28, asOf, nil)
		if len(police) != 1 || police[0].Case != "13ST0000004/25" || police[0].Quiet != 175 {
			t.Fatalf("stalled with the police: %+v", police)
		}
		if none, _ := attribution.Stalled(ctx, logs, throughline.CaseFilter{Forces: []string{"13"}}, attribution.CPS, 120, asOf, nil); len(none) != 0 {
			t.Fatalf("quiet 120 days: %+v", none)
		}
		// From the attribution kept in the facts: the same, and no log read.
		kept := &countingSource{CaseSource: oversight.Stalls{StallStore: s}}
		if k, err := attribution.Stalled(ctx, kept, throughline.CaseFilter{Forces: []string{"13"}, Limit: 1000}, attribution.CPS, 28, asOf, nil); err != nil || !slices.Equal(k, got) || kept.reads != 0 {
			t.Fatalf("stalled with the CPS, from the facts: %+v %v, %d logs read; want %+v and none", k, err, kept.reads, got)
		}

		// With a memo: the same answers, and the logs read once a day per
		// version; a case that moves is read again and leaves the list.
		var memo attribution.StallMemo
		counted := &countingSource{CaseSource: logs}
		for range 2 {
			again, err := attribution.Stalled(ctx, counted, throughline.CaseFilter{Forces: []string{"13"}, Limit: 1000}, attribution.CPS, 28, asOf, &memo)
			if err != nil || len(again) != 2 || again[0] != got[0] || again[1] != got[1] {
				t.Fatalf("stalled with the CPS, remembered: %+v %v; want %+v", again, err, got)
			}
		}
		if counted.reads != 3 {
			t.Errorf("read %d logs for two looks at the 3 quiet open cases; want each once", counted.reads)
		}
		e, err := throughline.ParseEvent([]byte(`{"case":"13ST0000001/25","type":"charging_decision","occurred_at":"2025-06-30","data":{"suspect_id":"D1","decision":"charge"}}`))
		if err != nil {
			t.Fatal(err)
		}
		e.RecordedAt, e.Actor, e.Agency = e.OccurredAt, "test", "cps:yorkshire_humberside"
		if _, _, err := s.Append(ctx, e, 2); err != nil {
			t.Fatal(err)
		}
		moved, err := attribution.Stalled(ctx, counted, throughline.CaseFilter{Forces: []string{"13"}, Limit: 1000}, attribution.CPS, 28, asOf, &memo)
		if err != nil || len(moved) != 1 || moved[0].Case != "13ST0000002/25" {
			t.Errorf("after the first case moved: %+v %v", moved, err)
		}
		if counted.reads != 3 {
			t.Errorf("read %d logs in all; want the quiet cases once each, and the one that moved not again (it is no longer quiet)", counted.reads)
		}
		// A decision recorded late, dated weeks ago: the case is as quiet
		// as it was, but at a new version, so its log is read again, and
		// it now waits on the police.
		e, err = throughline.ParseEvent([]byte(`{"case":"13ST0000002/25","type":"charging_decision","occurred_at":"2025-05-02","data":{"suspect_id":"D1","decision":"further_investigation"}}`))
		if err != nil {
			t.Fatal(err)
		}
		e.RecordedAt, e.Actor, e.Agency = throughline.At(asOf), "test", "cps:yorkshire_humberside"
		if _, _, err := s.Append(ctx, e, 2); err != nil {
			t.Fatal(err)
		}
		if late, err := attribution.Stalled(ctx, counted, throughline.CaseFilter{Forces: []string{"13"}, Limit: 1000}, attribution.CPS, 28, asOf, &memo); err != nil || len(late) != 0 || counted.reads != 4 {
			t.Errorf("after a late decision: %+v %v, %d logs read; want none stalled with the CPS and the case read again", late, err, counted.reads)
		}
	})
}

// fromLogs is a source that keeps no attribution: Stalled reads every
// candidate's log, as it did before the facts kept it.
type fromLogs struct{ oversight.StallStore }

func (fromLogs) Kept(context.Context, []string, func(*attribution.Kept, attribution.Day) error) error {
	return nil
}

// The stalled lists from the attribution kept in the facts are those from
// the logs, for either party, as of several days and with two thresholds,
// over generated cases; a case whose record is missing is read from its
// log. On both databases.
func TestStalledKeptIsTheLogs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := migrated(t, dsn)
		now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
		var batch []throughline.Proposed
		if err := synth.Generate(synth.Options{Cases: 1500, Seed: 12, FromYear: 2023, ToYear: 2026, Now: now}, func(evs []throughline.Event) error {
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
		// Records missing from the roll-up: those cases are read from their logs.
		open, err := s.Cases(ctx, throughline.CaseFilter{QuietBefore: now.Format(time.DateOnly), Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		var missing int
		for i := 0; i < len(open); i += 10 {
			q := `DELETE FROM case_facts WHERE case_ref = ?`
			if s.Dialect() == "postgres" {
				q = `DELETE FROM case_facts WHERE case_ref = $1`
			}
			if _, err := s.DB().ExecContext(ctx, q, open[i].Ref); err != nil {
				t.Fatal(err)
			}
			missing++
		}
		var stalls int
		for _, asOf := range []time.Time{now, now.AddDate(0, 0, 40), now.AddDate(1, 0, 0)} {
			for _, quiet := range []int{28, 90} {
				for _, party := range []attribution.Party{attribution.Police, attribution.CPS} {
					kept := &countingSource{CaseSource: oversight.Stalls{StallStore: s}}
					got, err := attribution.Stalled(ctx, kept, throughline.CaseFilter{Limit: 1000}, party, quiet, asOf, nil)
					if err != nil {
						t.Fatal(err)
					}
					want, err := attribution.Stalled(ctx, fromLogs{s}, throughline.CaseFilter{Limit: 1000}, party, quiet, asOf, nil)
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(got, want) {
						t.Fatalf("%s, %d days, %s: from the facts\n%+v\nfrom the logs\n%+v", asOf.Format(time.DateOnly), quiet, party, got, want)
					}
					if kept.reads == 0 || kept.reads > missing {
						t.Errorf("%s, %d days, %s: %d logs read; want some of the %d cases without a record, and no others", asOf.Format(time.DateOnly), quiet, party, kept.reads, missing)
					}
					stalls += len(got)
				}
			}
		}
		t.Logf("%d open cases, %d without a record, %d stalls listed", len(open), missing, stalls)
		if stalls < 100 {
			t.Fatalf("%d stalls listed in all: too few to compare", stalls)
		}
	})
}

// countingSource counts the logs read through it.
type countingSource struct {
	attribution.CaseSource
	reads int
}

func (c *countingSource) Events(ctx context.Context, ref string) ([]throughline.Event, error) {
	c.reads++
	return c.CaseSource.Events(ctx, ref)
}

// migrated is a store at dsn with every migration applied, closed when the
// test ends.
func migrated(t *testing.T, dsn string) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), dsn, wire.Rules())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}
