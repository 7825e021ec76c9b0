package sim

import (
	"bytes"
	"context"
	"math"
	"testing"
)

// FuzzParseScenario feeds arbitrary bytes to ParseScenario. Whatever it
// accepts must be valid, must survive a JSON round trip unchanged, and must
// simulate without panicking and with consistent bookkeeping (run briefly).
// The seed corpus (the f.Add calls and testdata/fuzz/FuzzParseScenario) runs
// in every go test.
func FuzzParseScenario(f *testing.F) {
	f.Add([]byte(minimalScenario))
	for _, name := range Builtins() {
		_, data, err := Builtin(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"name":"x","horizon_days":50,"arrivals":{"per_day":2},"courtrooms":{"general":1,"specialist":1,"sitting_days_per_week":4.5,"general_rasso_share":0.3},"trial_days":{"dist":"empirical","values":[0,1,2.5]},"cracked_probability":0.2,"floater_share":0.5,"floater_ineffective_probability":0.8,"ineffective_room_days":0.5,"relist_delay_days":{"dist":"constant","value":0},"withdrawal":{"hazard_per_year":5,"rise_per_year":20},"s28":{"share":1,"withdrawal_hazard_factor":0}}`))
	f.Add([]byte(`{"name":"y","horizon_days":1e400}`))
	f.Add([]byte(`{"name":"z","horizon_days":10,"areas":[{"id":"a","per_day":0,"initial_backlog":20}],"courtrooms":{},"trial_days":{"dist":"lognormal","mu":-3,"sigma":5}}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"name":"\u0000","notes":null,"horizon_days":1,"arrivals":{},"courtrooms":{},"trial_days":{"dist":"constant","value":0}}`))

	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseScenario(data)
		if err != nil {
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("accepted an invalid scenario: %v", err)
		}
		b, err := s.JSON()
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseScenario(b)
		if err != nil {
			t.Fatalf("round trip rejected: %v\n%s", err, b)
		}
		b2, _ := again.JSON()
		if !bytes.Equal(b, b2) {
			t.Fatalf("round trip changed the scenario:\n%s\n%s", b, b2)
		}
		simulateBriefly(t, s)
	})
}

// simulateBriefly runs one short replication of a small enough scenario and
// checks Little's bookkeeping identity.
func simulateBriefly(t *testing.T, s Scenario) {
	s.HorizonDays = math.Min(s.HorizonDays, 60)
	s.WarmupDays = math.Min(s.WarmupDays, s.HorizonDays/2)
	s.SampleEveryDays = 0
	cases, rooms := float64(s.InitialBacklog), 0
	if s.Arrivals != nil {
		cases += s.Arrivals.PerDay * s.HorizonDays
	}
	if s.Courtrooms != nil {
		rooms += s.Courtrooms.General + s.Courtrooms.Specialist
	}
	for _, a := range s.Areas {
		cases += a.PerDay*s.HorizonDays + float64(a.InitialBacklog)
		rooms += a.General + a.Specialist
	}
	if cases > 20000 || rooms > 5000 {
		return
	}
	r, err := Run(context.Background(), s, Options{Replications: 1, Seed: 1, Workers: 1})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	checkLittleIdentity(t, r)
}

// checkLittleIdentity checks, on every replication, that the area under the
// number in the system equals the sum of the cases' times in the system
// within the window: two independent ways of counting the same thing.
func checkLittleIdentity(t *testing.T, r *Result) {
	t.Helper()
	for _, run := range r.Runs {
		l := run.Little
		sum := l.SojournNew + l.SojournOld
		if math.Abs(l.Area-sum) > 1e-9*math.Max(1, l.Area) {
			t.Fatalf("%s replication %d: ∫n dt = %v but the cases' times sum to %v", r.Name, run.Index, l.Area, sum)
		}
	}
}
