package observe

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"throughline"
	"throughline/jsonl"
	"throughline/sim"
	"throughline/synth"
)

func TestJourney(t *testing.T) {
	f, err := os.Open("../../testdata/journey.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines, _, _ := jsonl.Read(f)
	var c throughline.Case
	for _, l := range lines {
		c.Apply(l.Event)
	}
	o := New(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	o.Add(&c)
	cal := o.Calibration(3, 1)
	// Sent 14 Nov 2024, within the year before 1 June 2025.
	if want := 1 / 365.0; cal.ArrivalsPerDay < want*0.99 || cal.ArrivalsPerDay > want*1.01 {
		t.Errorf("arrivals %.5f a day, want 1/365", cal.ArrivalsPerDay)
	}
	// Sent 14 Nov, PTPH 12 Dec: 28 days. Trial Mon 12 – Fri 16 May: 5 sitting days.
	if len(cal.PTPHDays) != 1 || cal.PTPHDays[0] != 28 {
		t.Errorf("PTPH days %v, want [28]", cal.PTPHDays)
	}
	if len(cal.TrialDays) != 1 || cal.TrialDays[0] != 5 {
		t.Errorf("trial days %v, want [5]", cal.TrialDays)
	}
	if cal.IneffectiveRate != 0 || cal.CrackedRate != 0 || cal.GeneralRooms != 3 || cal.SpecialistRooms != 1 {
		t.Errorf("rates/rooms: %+v", cal)
	}
}

// Fitted to synthetic data, the rates come back near the generator's.
func TestSyntheticRates(t *testing.T) {
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	o := New(now)
	err := synth.Generate(synth.Options{Cases: 40000, Seed: 4, FromYear: 2019, ToYear: 2026, Now: now}, func(evs []throughline.Event) error {
		var c throughline.Case
		for _, e := range evs {
			c.Apply(e)
		}
		o.Add(&c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	cal := o.Calibration(10, 0)
	if cal.IneffectiveRate < 0.15 || cal.IneffectiveRate > 0.35 {
		t.Errorf("ineffective rate %.2f, want within 0.15–0.35 (the generator's 18%% fixtures, 40%% floaters)", cal.IneffectiveRate)
	}
	if cal.ArrivalsPerDay <= 0 || len(cal.TrialDays) == 0 || len(cal.RelistDelayDays) == 0 || cal.WithdrawalsPerYearWaiting <= 0 {
		t.Errorf("missing facts: %+v", cal)
	}
	s := sim.Calibrate(cal)
	if err := s.Validate(); err != nil {
		t.Fatalf("calibrated scenario is not valid: %v", err)
	}
}

// FromStore is what the CLI's --calibrate-from and the web page share: it
// walks the cases, fits them and adds today's courtrooms scaled to the load.
func TestFromStore(t *testing.T) {
	f, err := os.Open("../../testdata/journey.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines, _, _ := jsonl.Read(f)
	var c throughline.Case
	for _, l := range lines {
		c.Apply(l.Event)
	}
	each := func(ctx context.Context, fn func(*throughline.Case) error) error { return fn(&c) }
	cal, err := FromStore(context.Background(), time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), each)
	if err != nil {
		t.Fatal(err)
	}
	if cal.GeneralRooms < 1 || cal.ArrivalsPerDay <= 0 || cal.Name != "calibrated from the case record" {
		t.Errorf("calibration: %+v", cal)
	}
	if _, err := Scenario(cal); err != nil {
		t.Errorf("scenario: %v", err)
	}
	// A year later the case is no longer an arrival: nothing to fit.
	if _, err := FromStore(context.Background(), time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), each); !errors.Is(err, ErrNoArrivals) {
		t.Errorf("no arrivals: %v", err)
	}
	// The walk's error is returned.
	boom := errors.New("boom")
	if _, err := FromStore(context.Background(), time.Now(), func(context.Context, func(*throughline.Case) error) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("walk error: %v", err)
	}
}
