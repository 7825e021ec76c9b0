package synth

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"throughline"
)

func generate(t *testing.T, opts Options) [][]throughline.Event {
	t.Helper()
	var out [][]throughline.Event
	if err := Generate(opts, func(evs []throughline.Event) error {
		out = append(out, evs)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// The model reproduces the published figures it is calibrated to, within
// sampling error, when every case has had time to run its course.
func TestCalibration(t *testing.T) {
	far := time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := generate(t, Options{Cases: 30000, Seed: 7, FromYear: 2019, ToYear: 2021, Now: far})
	var charged, trials int
	var toCharge []float64
	var toTrialSum float64
	forces := map[string]int{}
	for _, evs := range cases {
		var c throughline.Case
		for _, e := range evs {
			c.Apply(e)
		}
		forces[c.Force]++
		d := c.Defendants[0]
		if !d.Charged.IsZero() {
			charged++
			toCharge = append(toCharge, d.Charged.Date().Sub(c.Reported.Date()).Hours()/24)
		}
		if !d.TrialStarted.IsZero() {
			trials++
			toTrialSum += d.TrialStarted.Date().Sub(c.Reported.Date()).Hours() / 24
		}
		if c.Stage() != throughline.StageClosed {
			t.Fatalf("case %s not closed by 2040: %s", c.Ref, c.Stage())
		}
	}
	rate := float64(charged) / float64(len(cases))
	if math.Abs(rate-0.06) > 0.006 {
		t.Errorf("charge rate %.3f, want about 0.06", rate)
	}
	slices.Sort(toCharge)
	if med := toCharge[len(toCharge)/2]; math.Abs(med-374) > 30 {
		t.Errorf("median report→charge %.0f days, want about 374", med)
	}
	if mean := toTrialSum / float64(trials); math.Abs(mean-706) > 60 {
		t.Errorf("mean report→trial %.0f days over %d trials, want about 706", mean, trials)
	}
	if len(forces) != 43 {
		t.Errorf("cases in %d forces, want all 43", len(forces))
	}
	if forces["01"] < forces["63"]*3 {
		t.Errorf("the Met (%d) should have several times the cases of Dyfed-Powys (%d)", forces["01"], forces["63"])
	}
}

// The same seed gives the same cases, byte for byte; another seed does not.
func TestDeterministic(t *testing.T) {
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	enc := func(seed uint64) []byte {
		var buf bytes.Buffer
		for _, evs := range generate(t, Options{Cases: 500, Seed: seed, FromYear: 2022, ToYear: 2026, Now: now}) {
			for _, e := range evs {
				b, _ := json.Marshal(e)
				buf.Write(append(b, '\n'))
			}
		}
		return buf.Bytes()
	}
	a, b := enc(1), enc(1)
	if !bytes.Equal(a, b) {
		t.Fatal("same seed, different output")
	}
	if bytes.Equal(a, enc(2)) {
		t.Fatal("different seeds, same output")
	}
}

// No event is generated after now, and recent cases are left open.
func TestNothingInTheFuture(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	open := 0
	for _, evs := range generate(t, Options{Cases: 3000, Seed: 3, FromYear: 2023, ToYear: 2026, Now: now}) {
		var c throughline.Case
		for _, e := range evs {
			if e.OccurredAt.Time().After(now) {
				t.Fatalf("%s %s occurs after now: %s", e.Case, e.Type, e.OccurredAt)
			}
			c.Apply(e)
		}
		if c.Stage() != throughline.StageClosed {
			open++
		}
	}
	if open == 0 {
		t.Fatal("no open cases: recent cases should still be in progress")
	}
}

// Every generated event passes the import edge as it is exported: its JSON
// line is parsed strictly and its times checked (jsonl reads exactly
// these two), so generate, export and import never refuse their own data.
// The options are generate's defaults.
func TestEveryEventPassesTheImportEdge(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	n := 0
	for _, evs := range generate(t, Options{Cases: 20000, Seed: 1, FromYear: 2022, ToYear: 2026, Now: now}) {
		for _, e := range evs {
			b, err := json.Marshal(e)
			if err != nil {
				t.Fatal(err)
			}
			back, err := throughline.ParseEvent(b)
			if err == nil {
				err = throughline.CheckTimes(back, now)
			}
			if err != nil {
				t.Fatalf("%s %s refused at the import edge: %s\n%s", e.Case, e.Type, throughline.ErrorMessage(err), b)
			}
			n++
		}
	}
	if n < 20000 {
		t.Fatalf("only %d events checked", n)
	}
}

// The age drawn is never past the cap, however far its tail reaches, and
// the draw still gives the young-adult ages most complainants are.
func TestComplainantAgeIsCapped(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	young, top := 0, 0
	for range 200000 {
		a := complainantAge(r)
		if a < 16 || a > maxComplainantAge {
			t.Fatalf("age %d outside 16..%d", a, maxComplainantAge)
		}
		if a < 30 {
			young++
		}
		top = max(top, a)
	}
	if top != maxComplainantAge {
		t.Errorf("the largest age in 200,000 draws is %d; the exponential tail should reach the cap %d", top, maxComplainantAge)
	}
	if young < 200000*6/10 {
		t.Errorf("%d of 200,000 under 30; most should be", young)
	}
}
