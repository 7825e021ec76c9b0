package oversight_test

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"throughline"
	"throughline/oversight"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
	"throughline/synth"
	"throughline/wire"
)

// The roll-up the store keeps in the append transaction (case_facts, from
// oversight.Record) agrees exactly with the reference recomputation from
// the raw events, whether the cases came by live appends or by import, and
// a rebuild from the log writes it again byte for byte.
func TestRollupAgreesWithTheReference(t *testing.T) {
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
		s.Now = func() time.Time { return time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC) }
		// 160 cases of 2019–2026: every third appended live, event by
		// event, the rest imported.
		var batch []throughline.Proposed
		n := 0
		err = synth.Generate(synth.Options{Cases: 160, Seed: 11, FromYear: 2019, ToYear: 2026, Now: s.Now()}, func(evs []throughline.Event) error {
			n++
			if n%3 != 0 {
				for _, e := range evs {
					batch = append(batch, throughline.Proposed{Event: e})
				}
				return nil
			}
			for _, e := range evs {
				if _, _, err := s.Append(ctx, e, e.Version-1); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// Two cases with information requests and device extraction (the
		// generator makes none): the first appended live, the second
		// imported.
		for i, evs := range oversight.RequestCases(t) {
			for _, e := range evs {
				if i == 0 {
					if _, _, err := s.Append(ctx, e, e.Version-1); err != nil {
						t.Fatal(err)
					}
					continue
				}
				batch = append(batch, throughline.Proposed{Event: e})
			}
		}
		if _, err := s.Import(ctx, batch, false); err != nil {
			t.Fatal(err)
		}

		rolled := rollup(t, s)
		var c oversight.Collector
		if err := s.EachEvent(ctx, c.Add); err != nil {
			t.Fatal(err)
		}
		ref := map[string]oversight.Facts{}
		for _, f := range c.Facts() {
			ref[f.Case] = f
		}
		if len(rolled) != 162 || len(ref) != 162 {
			t.Fatalf("%d cases in the roll-up, %d in the log; want 162", len(rolled), len(ref))
		}
		if d := cmp.Diff(ref, rolled); d != "" {
			t.Fatalf("the roll-up differs from the reference (-reference +roll-up):\n%s", d)
		}
		// The same figures, every way the dashboards read them.
		var a, b []oversight.Facts
		for k := range ref {
			a, b = append(a, ref[k]), append(b, rolled[k])
		}
		for _, by := range []string{"", oversight.ByQuarter, oversight.ByForce, oversight.ByAge} {
			ra, err1 := oversight.Aggregate(a, oversight.Params{By: by})
			rb, err2 := oversight.Aggregate(b, oversight.Params{By: by})
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			ja, _ := json.Marshal(ra)
			jb, _ := json.Marshal(rb)
			if string(ja) != string(jb) {
				t.Errorf("by %q: the roll-up's report differs from the reference's", by)
			}
			if ra.ReportToTrial.N == 0 {
				t.Errorf("by %q: no report→trial figure: the data prove nothing", by)
			}
			if ir := ra.InformationRequests; ir.Sent == 0 || ir.Notice[oversight.NoticeBefore] == 0 || ra.DeviceExtraction.Refused == 0 {
				t.Errorf("by %q: no information request figures (%+v): the data prove nothing of them", by, ir)
			}
		}

		// The narrow records (what metrics reads) are the reference's
		// facts but for what Aggregate does not read, one per case.
		var want []string
		for _, f := range ref {
			f.Case, f.Attribution, f.Quality = "", nil, nil
			b, _ := json.Marshal(f)
			want = append(want, string(b))
		}
		var got []string
		for _, rec := range narrowRecords(t, s) {
			var f oversight.Facts
			if err := oversight.DecodeNarrow([]byte(rec), &f); err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(f)
			got = append(got, string(b))
		}
		slices.Sort(want)
		slices.Sort(got)
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("the narrow records differ from the reference (-reference +narrow):\n%s", d)
		}

		// A rebuild from the log writes the same records.
		before, beforeNarrow := records(t, s), narrowRecords(t, s)
		if _, err := s.Rebuild(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(before, records(t, s)); d != "" {
			t.Fatalf("rebuild changed the roll-up:\n%s", d)
		}
		if d := cmp.Diff(beforeNarrow, narrowRecords(t, s)); d != "" {
			t.Fatalf("rebuild changed the narrow records:\n%s", d)
		}
		// Each case's version is its number of events, and its record
		// read by name is the one read whole (the dashboards read again
		// only the cases whose version moved).
		events := map[string]int64{}
		if err := s.EachEvent(ctx, func(e throughline.Event) error { events[e.Case]++; return nil }); err != nil {
			t.Fatal(err)
		}
		versions := map[string]int64{}
		if err := s.CaseVersions(ctx, func(ref string, v int64) error { versions[ref] = v; return nil }); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(events, versions); d != "" {
			t.Errorf("case versions (-events +versions):\n%s", d)
		}
		var named []string
		refs := append(slices.Sorted(maps.Keys(versions)), "99RS9999999/26")
		if err := s.CaseFactsOf(ctx, refs, func(rec []byte) error { named = append(named, string(rec)); return nil }); err != nil {
			t.Fatal(err)
		}
		slices.Sort(named)
		if d := cmp.Diff(slices.Sorted(slices.Values(before)), named); d != "" {
			t.Errorf("records read by name (-whole +by name):\n%s", d)
		}
		// A narrow record edited behind the log's back (another case's
		// put in its place) is found.
		if _, err := s.DB().ExecContext(ctx, `UPDATE case_facts_narrow SET facts = (SELECT facts FROM case_facts_narrow WHERE case_ref = (SELECT max(case_ref) FROM case_facts_narrow))
			WHERE case_ref = (SELECT min(case_ref) FROM case_facts_narrow)`); err != nil {
			t.Fatal(err)
		}
		problems, err := s.VerifyProjections(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(problems) != 1 || !strings.Contains(problems[0].What, "case_facts_narrow") {
			t.Fatalf("an edited narrow record: VerifyProjections found %v", problems)
		}
		// A record edited behind the log's back is found.
		if _, err := s.DB().ExecContext(ctx, `UPDATE case_facts SET facts = replace(facts, '"outcome":"convicted"', '"outcome":"acquitted"')`); err != nil {
			t.Fatal(err)
		}
		if problems, err = s.VerifyProjections(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if len(problems) < 2 {
			t.Fatal("an edited roll-up went unnoticed by VerifyProjections")
		}
	})
}

// rollup reads every case's facts from the roll-up.
func rollup(t *testing.T, s *sqlstore.Store) map[string]oversight.Facts {
	t.Helper()
	out := map[string]oversight.Facts{}
	for _, rec := range records(t, s) {
		f, err := oversight.Decode([]byte(rec))
		if err != nil {
			t.Fatal(err)
		}
		out[f.Case] = f
	}
	return out
}

// narrowRecords reads every case's narrow record, sorted.
func narrowRecords(t *testing.T, s *sqlstore.Store) []string {
	t.Helper()
	var out []string
	cases, err := s.EachNarrowFacts(context.Background(), func(rec []byte) error {
		out = append(out, string(rec))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != cases {
		t.Fatalf("%d narrow records for %d cases", len(out), cases)
	}
	slices.Sort(out)
	return out
}

func records(t *testing.T, s *sqlstore.Store) []string {
	t.Helper()
	var out []string
	if err := s.EachCaseFacts(context.Background(), func(rec []byte) error {
		out = append(out, string(rec))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}
