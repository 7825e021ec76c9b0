package oversight

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"throughline/attribution"
)

// EachKept reads only a record's attribution and quality, and reads them
// right when the record's free text spells the keys; a record without an
// attribution (written before it was kept) is read whole, and keeps none.
func TestEachKeptReadsTheRecordsKeys(t *testing.T) {
	kept := &attribution.Kept{Case: "13RS1/26", Reported: 20000, Force: "13", Area: "yorkshire_humberside",
		Changes: []attribution.Change{{From: 20000, Rule: attribution.RuleInvestigation}, {From: 20030, Rule: attribution.RuleFile}}, Close: 20100}
	trick := `"attribution":{"case":"X","reported":1} "quality":[{"on":1,"what":"acceptable"}]`
	withKept := Facts{Case: "13RS1/26", Force: "13", Area: "yorkshire_humberside", Attribution: kept,
		Trials: []TrialHearing{{On: 20050, Outcome: "ineffective", Reason: trick}}, Quality: []Dated{{On: 20010, What: "not_acceptable"}}}
	before := Facts{Case: "20RS2/26", Force: "20", Area: "west_midlands", Trials: []TrialHearing{{On: 20050, Outcome: "cracked", Reason: trick}}}
	var recs [][]byte
	for _, f := range []Facts{withKept, before} {
		b, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, b)
	}
	var got []KeptFacts
	err := EachKept(func(fn func([]byte) error) error {
		for _, r := range recs {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	}, func(k *KeptFacts) error {
		c := *k
		c.Quality = append([]Dated(nil), k.Quality...)
		got = append(got, c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []KeptFacts{
		{Case: "13RS1/26", Force: "13", Area: "yorkshire_humberside", Attribution: kept, Quality: []Dated{{On: 20010, What: "not_acceptable"}}},
		{Case: "20RS2/26", Force: "20", Area: "west_midlands"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read %+v\nwant %+v", got, want)
	}
	if _, ok := got[1].Result(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC), false); ok {
		t.Error("a record without an attribution answered without its log")
	}
	bad := []byte(`{"case":"X","attribution":{"reported":"soon"}}`)
	if err := EachKept(func(fn func([]byte) error) error { return fn(bad) }, func(*KeptFacts) error { return nil }); err == nil {
		t.Error("a record whose attribution cannot be read was read")
	}
}
