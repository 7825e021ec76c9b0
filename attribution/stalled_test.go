package attribution_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"throughline"
	"throughline/attribution"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
	"throughline/wire"
)

// Stalled lists, from the store, the open cases quiet for the given days
// while waiting on the party asked about, longest quiet first; a case with
// a recent event, a closed one and one waiting on another party are not.
func TestStalledFromTheStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, err := sqlstore.Open(ctx, dsn, wire.Rules())
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
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
		got, err := attribution.Stalled(ctx, s, throughline.CaseFilter{Forces: []string{"13"}, Limit: 1000}, attribution.CPS, 28, asOf, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Case != "13ST0000001/25" || got[0].Quiet != 119 || got[1].Case != "13ST0000002/25" || got[0].Because.Rule != attribution.RuleFile {
			t.Fatalf("stalled with the CPS: %+v", got)
		}
		police, _ := attribution.Stalled(ctx, s, throughline.CaseFilter{Forces: []string{"13"}}, attribution.Police, 28, asOf, nil)
		if len(police) != 1 || police[0].Case != "13ST0000004/25" || police[0].Quiet != 175 {
			t.Fatalf("stalled with the police: %+v", police)
		}
		if none, _ := attribution.Stalled(ctx, s, throughline.CaseFilter{Forces: []string{"13"}}, attribution.CPS, 120, asOf, nil); len(none) != 0 {
			t.Fatalf("quiet 120 days: %+v", none)
		}

		// With a memo: the same answers, and the logs read once a day per
		// version; a case that moves is read again and leaves the list.
		var memo attribution.StallMemo
		counted := &countingSource{CaseSource: s}
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

// countingSource counts the logs read through it.
type countingSource struct {
	attribution.CaseSource
	reads int
}

func (c *countingSource) Events(ctx context.Context, ref string) ([]throughline.Event, error) {
	c.reads++
	return c.CaseSource.Events(ctx, ref)
}
