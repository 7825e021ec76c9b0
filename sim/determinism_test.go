package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
)

// shortBuiltin is a built-in scenario cut to two years, to keep tests quick.
func shortBuiltin(t *testing.T, name string) Scenario {
	t.Helper()
	s, _, err := Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	s.HorizonDays = 730
	return s
}

func resultJSON(t *testing.T, s Scenario, seed uint64, workers int) []byte {
	t.Helper()
	r, err := Run(context.Background(), s, Options{Replications: 6, Seed: seed, Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	checkLittleIdentity(t, r)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSameSeedSameBytes: a run's JSON depends on the seed alone, not on the
// number of workers or on scheduling.
func TestSameSeedSameBytes(t *testing.T) {
	s := shortBuiltin(t, "specialist-courts")
	first := resultJSON(t, s, 5, 1)
	for _, workers := range []int{1, 2, 3, 6} {
		if got := resultJSON(t, s, 5, workers); !bytes.Equal(got, first) {
			t.Fatalf("%d workers gave different JSON from 1 worker", workers)
		}
	}
	if bytes.Equal(resultJSON(t, s, 6, 2), first) {
		t.Fatal("a different seed gave the same JSON")
	}
}

// TestCompareSpecialistCourts runs the two built-ins with the same seed: the
// specialist rooms must shorten waits, and pairing (common random numbers)
// must give a narrower interval for the difference than either scenario's own.
func TestCompareSpecialistCourts(t *testing.T) {
	opts := Options{Replications: 8, Seed: 3}
	a, err := Run(context.Background(), shortBuiltin(t, "today"), opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(context.Background(), shortBuiltin(t, "specialist-courts"), opts)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Compare(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if d.Of != "specialist-courts − today" {
		t.Errorf("Of = %q", d.Of)
	}
	if hi := float64(d.BacklogEnd.CI95[1]); !(hi < 0) {
		t.Errorf("backlog difference %v %v: specialist courts should shrink the backlog", d.BacklogEnd.Mean, d.BacklogEnd.CI95)
	}
	if hi := float64(d.WaitDaysMean.CI95[1]); !(hi < 0) {
		t.Errorf("wait difference %v %v: specialist courts should shorten waits", d.WaitDaysMean.Mean, d.WaitDaysMean.CI95)
	}
	paired := float64(d.BacklogEnd.CI95[1] - d.BacklogEnd.CI95[0])
	own := float64(a.BacklogEnd.CI95[1] - a.BacklogEnd.CI95[0])
	if !(paired < own) {
		t.Errorf("paired interval width %.1f not narrower than today's own %.1f", paired, own)
	}
	if len(d.Backlog) != len(a.Backlog) {
		t.Errorf("backlog difference has %d points, want %d", len(d.Backlog), len(a.Backlog))
	}
	b.Seed++
	if _, err := Compare(a, b); err == nil {
		t.Error("Compare accepted results from different seeds")
	}
}

// TestTodayIsCalibrated keeps the built-in "today" within the published
// orders of magnitude its notes cite.
func TestTodayIsCalibrated(t *testing.T) {
	s, _, err := Builtin("today")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Run(context.Background(), s, Options{Replications: 4, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	checkLittleIdentity(t, r)
	check := func(what string, got, lo, hi float64) {
		if !(got >= lo && got <= hi) {
			t.Errorf("%s = %.4g, want between %g and %g", what, got, lo, hi)
		}
	}
	check("arrivals a year", float64(r.ArrivalsPerYear.Mean), 5300, 5700)
	check("charge→trial mean days", float64(r.ChargeToTrialDays.Mean), 300, 550)
	check("report→trial mean days", float64(r.ReportToTrialDays.Mean), 600, 1000)
	check("ineffective share", float64(r.IneffectiveShare.Mean), 0.22, 0.28)
	check("utilisation", float64(r.Utilisation.Mean), 0.95, 1)
	check("backlog at the end", float64(r.BacklogEnd.Mean), 4000, 9000)
	check("withdrawal share", float64(r.WithdrawalShare.Mean), 0.03, 0.2)
	if len(r.Areas) != 14 {
		t.Errorf("%d areas, want the 14 CPS areas", len(r.Areas))
	}
}
