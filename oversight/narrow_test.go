package oversight

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"throughline"
	"throughline/deadline"
	"throughline/synth"
)

// A narrow record reads back to the case's facts but for what Aggregate
// does not read (the reference, the attribution, the file quality), so
// Aggregate gives the same report from either, every way it is broken down.
// A field added to Facts and not to the narrow record fails this test.
func TestNarrowIsWhatAggregateReads(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	var cases [][]throughline.Event
	err := synth.Generate(synth.Options{Cases: 400, Seed: 9, FromYear: 2019, ToYear: 2026, Now: now}, func(evs []throughline.Event) error {
		cases = append(cases, evs)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	cases = append(append(cases, RequestCases(t)...), allCases(t)...)
	var full, narrow []Facts
	var recs [][]byte
	for _, evs := range cases {
		rec, nrec := Records(evs, deadline.Compute(evs))
		f, err := Decode(rec)
		if err != nil {
			t.Fatal(err)
		}
		var n Facts
		if err := DecodeNarrow(nrec, &n); err != nil {
			t.Fatalf("%s: %v", f.Case, err)
		}
		want := f
		want.Case, want.Attribution, want.Quality = "", nil, nil
		if d := cmp.Diff(want, n); d != "" {
			t.Fatalf("%s: the narrow record reads back otherwise (-facts +narrow):\n%s", f.Case, d)
		}
		full, narrow, recs = append(full, f), append(narrow, n), append(recs, nrec)
	}
	for _, by := range append([]string{""}, Breakdowns...) {
		a, err1 := Aggregate(full, Params{By: by})
		b, err2 := Aggregate(narrow, Params{By: by})
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if !bytes.Equal(ja, jb) {
			t.Errorf("by %q: the report from the narrow records differs", by)
		}
		if by == "" && (a.ReportToTrial.N == 0 || a.InformationRequests.Sent == 0 || a.DeviceExtraction.Requested == 0) {
			t.Error("no trials, information or device requests in the data: they prove nothing")
		}
	}
	// AggregateNarrow gives the same reports from the records, though each
	// record is overwritten once it has been handed over (as a store's
	// rows are).
	for _, by := range append([]string{""}, Breakdowns...) {
		p := Params{By: by}
		if by == ByQuarter {
			p.From, p.To = date("2023-04-01"), date("2025-03-31")
		}
		want, err := Aggregate(full, p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := AggregateNarrow(func(fn func([]byte) error) error {
			buf := make([]byte, 0, 4096)
			for _, rec := range recs {
				buf = append(buf[:0], rec...)
				if err := fn(buf); err != nil {
					return err
				}
				clear(buf)
			}
			return nil
		}, p)
		if err != nil {
			t.Fatal(err)
		}
		ja, _ := json.Marshal(want)
		jb, _ := json.Marshal(got)
		if !bytes.Equal(ja, jb) {
			t.Errorf("by %q: AggregateNarrow's report differs from Aggregate's:\n%s", by, cmp.Diff(string(ja), string(jb)))
		}
	}
}

// What Narrow did not write is refused, not read as some other case: a
// record cut short, with more after it, of another form, or not a record.
func TestDecodeNarrowRefusesOtherBytes(t *testing.T) {
	evs := allCases(t)[0]
	_, rec := Records(evs, deadline.Compute(evs))
	bad := [][]byte{nil, {}, rec[:len(rec)-1], rec[:len(rec)/2], append(slices.Clone(rec), 0), append([]byte{narrowForm + 1}, rec[1:]...),
		[]byte(`{"case":"13RS0000001/24"}`)}
	for _, b := range bad {
		var f Facts
		if err := DecodeNarrow(b, &f); err == nil {
			t.Errorf("DecodeNarrow read %q", b)
		}
		if d := cmp.Diff(Facts{}, f); d != "" {
			t.Errorf("DecodeNarrow of %q left facts behind:\n%s", b, d)
		}
		if _, err := AggregateNarrow(func(fn func([]byte) error) error {
			if err := fn(rec); err != nil {
				return err
			}
			return fn(b)
		}, Params{}); err == nil {
			t.Errorf("AggregateNarrow counted %q", b)
		}
	}
}
