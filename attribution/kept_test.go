package attribution

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"throughline"
)

// counted is what an aggregate reads of a Result.
type counted struct {
	Days                   Days
	ByRule                 RuleDays
	Reported, End          Day
	Closed, Trial, Charged bool
	Force, CPSArea         string
}

func countedOf(r Result) counted {
	return counted{Days: r.Days, ByRule: r.ByRule, Reported: r.Reported, End: r.End, Closed: r.Closed, Trial: r.Trial,
		Charged: r.Charged, Force: r.Force, CPSArea: r.CPSArea}
}

// A case's kept attribution, through its record, gives what its log gives
// — as of every day of its life and beyond, counted to its closing or to
// its first trial — for every generated case, and for logs carrying
// backdated entries, before and after the closing.
func TestKeptIsTheLogsAttribution(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	cases := synthetic(t, 600, 5, now)
	r := rand.New(rand.NewPCG(3, 4))
	// Backdated entries: an event moved before its predecessor, and one
	// appended after the closing dated before it.
	for i := 0; i < 200; i++ {
		evs := append([]throughline.Event{}, cases[r.IntN(len(cases))]...)
		if len(evs) < 4 {
			continue
		}
		j := 2 + r.IntN(len(evs)-2)
		e := evs[j]
		e.OccurredAt = evs[1+r.IntN(j-1)].OccurredAt // after the report, before where it stood
		if i%5 == 0 {
			e.OccurredAt = throughline.At(evs[0].OccurredAt.Date().AddDate(0, 0, -1)) // before the report
		}
		if i%2 == 0 {
			evs[j] = e
		} else {
			e.Version = int64(len(evs) + 1)
			evs = append(evs, e)
		}
		cases = append(cases, evs)
	}
	backdated := 0
	for _, evs := range cases {
		k := Keep(evs)
		b, err := json.Marshal(k)
		if err != nil {
			t.Fatal(err)
		}
		var got Kept
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if got.Backdated {
			backdated++
			continue
		}
		first, last := evs[0].OccurredAt.Date(), evs[0].OccurredAt.Date()
		for _, e := range evs {
			if d := e.OccurredAt.Date(); d.Before(first) {
				first = d
			} else if d.After(last) {
				last = d
			}
		}
		asOfs := []time.Time{now, first, last, last.AddDate(0, 0, 1), first.AddDate(0, 0, -1)}
		for range 6 {
			asOfs = append(asOfs, first.Add(time.Duration(r.Int64N(int64(last.Sub(first))+1))))
		}
		for _, asOf := range asOfs {
			for _, toTrial := range []bool{false, true} {
				want := Spans(evs, asOf)
				if toTrial {
					want = SpansToTrial(evs, asOf)
				}
				if g := got.Result(asOf, toTrial); countedOf(g) != countedOf(want) {
					t.Fatalf("%s as of %s, to trial %v: kept %+v\nlog %+v", evs[0].Case, asOf, toTrial, countedOf(g), countedOf(want))
				}
			}
		}
	}
	if backdated == 0 {
		t.Fatal("no backdated case: the exception was not exercised")
	}
}

// A record no Keep could write is refused.
func TestKeptRecordRefused(t *testing.T) {
	for _, rec := range []string{`{"reported":5,"changes":[6]}`, `{"reported":5,"changes":[6,99]}`, `{"reported":5,"changes":[6,1,6,2]}`, `{"reported":"x"}`} {
		var k Kept
		if err := json.Unmarshal([]byte(rec), &k); err == nil {
			t.Errorf("%s: read as %+v", rec, k)
		}
	}
}

// ReadKept reads what MarshalJSON writes, and leaves any other form —
// spaces, escapes — to encoding/json, which reads it the same.
func TestReadKept(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	var r KeptReader // reads them one after another, as ReadKept but for the case
	for _, evs := range synthetic(t, 200, 9, now) {
		k := Keep(evs)
		b, _ := json.Marshal(k)
		got, n, ok := ReadKept(append(b, `,"more":1}`...))
		if !ok || n != len(b) || !reflect.DeepEqual(got, k) {
			t.Fatalf("%s: read %+v (%d of %d bytes, %v), wrote %+v", b, got, n, len(b), ok, k)
		}
		n, ok = r.Read(b)
		rest, want := r.Kept, k
		rest.Changes, want.Changes, want.Case = nil, nil, ""
		if !ok || n != len(b) || !slices.Equal(r.Kept.Changes, k.Changes) || !reflect.DeepEqual(rest, want) {
			t.Fatalf("%s: the reader read %+v (%d of %d bytes, %v)", b, r.Kept, n, len(b), ok)
		}
	}
	for rec, want := range map[string]Kept{
		`{ "case": "1/26", "reported": 5, "changes": [6, 8] }`: {Case: "1/26", Reported: 5, Changes: []Change{{6, RuleInvestigation}}},
		`{"case":"a\"b","reported":5,"backdated":true}`:        {Case: `a"b`, Reported: 5, Backdated: true, Changes: []Change{}},
	} {
		if _, _, ok := ReadKept([]byte(rec)); ok {
			t.Errorf("%s: read quickly", rec)
		}
		var k Kept
		if err := json.Unmarshal([]byte(rec), &k); err != nil || !reflect.DeepEqual(k, want) {
			t.Errorf("%s: read %+v (%v), want %+v", rec, k, err, want)
		}
	}
}
