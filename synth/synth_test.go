package synth

import (
	"bytes"
	"encoding/json"
	"math"
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
