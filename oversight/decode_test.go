package oversight

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"throughline"
	"throughline/deadline"
	"throughline/synth"
)

// quickDecode reads every record Record writes as json.Unmarshal does, and
// declines what it does not read (Decode then uses encoding/json), so
// Decode is json.Unmarshal whatever the record.
func TestQuickDecodeIsUnmarshal(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	var recs, olds [][]byte
	var facts []Facts
	err := synth.Generate(synth.Options{Cases: 400, Seed: 9, FromYear: 2019, ToYear: 2026, Now: now}, func(evs []throughline.Event) error {
		recs, facts = append(recs, Record(evs, deadline.Compute(evs))), append(facts, Extract(evs))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, evs := range RequestCases(t) {
		recs, facts = append(recs, Record(evs, deadline.Compute(evs))), append(facts, Extract(evs))
	}
	// A record as it was written before docs/adr/0257: every day, None too.
	for _, f := range facts {
		b, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		olds = append(olds, b)
	}
	quick := 0
	check := func(rec []byte, wantQuick bool) {
		t.Helper()
		var want, got Facts
		if err := json.Unmarshal(rec, &want); err != nil {
			if quickDecode(rec, &got, map[string]string{}) {
				t.Errorf("quickDecode read what json.Unmarshal refuses (%v): %.120s", err, rec)
			}
			if _, err := Decode(rec); err == nil {
				t.Errorf("Decode read what json.Unmarshal refuses: %.120s", rec)
			}
			return
		}
		ok := quickDecode(rec, &got, map[string]string{})
		if ok != wantQuick {
			t.Errorf("quickDecode read %.120s: %v, want %v", rec, ok, wantQuick)
		}
		if ok {
			quick++
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("quickDecode differs from json.Unmarshal (-json +quick):\n%s", d)
			}
		}
		dec, err := Decode(rec)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, dec); d != "" {
			t.Errorf("Decode differs from json.Unmarshal (-json +Decode):\n%s", d)
		}
	}
	for i, rec := range recs {
		check(rec, true)
		check(olds[i], true)
		for _, r := range [][]byte{rec, olds[i]} {
			if got, err := Decode(r); err != nil || !cmp.Equal(got, facts[i]) {
				t.Errorf("Decode(%.120s) is not the case's facts: %v\n%s", r, err, cmp.Diff(facts[i], got))
			}
		}
		var top map[string]any
		if err := json.Unmarshal(rec, &top); err != nil {
			t.Fatal(err)
		}
		for k, v := range top {
			if v == float64(None) {
				t.Errorf("the record keeps %s None: %.200s", k, rec)
			}
		}
		if len(rec) >= len(olds[i]) {
			t.Fatalf("the record is not the smaller one:\n%s\n%s", rec, olds[i])
		}
	}
	if quick != 2*len(recs) || !strings.Contains(string(recs[len(recs)-2]), `"requests":[`) {
		t.Fatalf("%d of %d records read quickly; the data prove nothing of requests", quick, len(recs))
	}
	// What it declines: an escape, a fraction, a name it does not know,
	// a name in another case, trailing text; and null, spaces, an empty
	// array it reads.
	rec := string(recs[len(recs)-2])
	for _, c := range []struct {
		rec   string
		quick bool
	}{
		{strings.Replace(rec, `"force":"13"`, `"force":"1\u0033"`, 1), false},
		{strings.Replace(rec, `"adjournments":0`, `"adjournments":0.0`, 1), false},
		{strings.Replace(rec, `"adjournments":0`, `"adjournments":0,"later":1`, 1), false},
		{strings.Replace(rec, `"force":"13"`, `"Force":"13"`, 1), false},
		{rec + ` x`, false},
		{strings.Replace(rec, `"adjournments":0`, `"adjournments" : 2 , "trials": null, "stops": []`, 1), true},
	} {
		if !strings.Contains(rec, `"force":"13"`) || c.rec == rec {
			t.Fatalf("the record changed nothing: %.200s", rec)
		}
		check([]byte(c.rec), c.quick)
	}
	check([]byte(`{"force":`), false)
}
