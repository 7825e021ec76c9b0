package sim

import (
	"context"
	"math"
	"strings"
	"testing"
)

func TestCalibrate(t *testing.T) {
	trial := []float64{5, 3, 4, 4, 6, 2, 8, 3, 4, 5}
	c := Calibration{
		Name:                      "from the store",
		Notes:                     []string{"Fitted from 1,234 cases, 2023-2025."},
		ArrivalsPerDay:            2,
		GeneralRooms:              12,
		SpecialistRooms:           1,
		GeneralRASSOShare:         0.5,
		SittingDaysPerYear:        230,
		TrialDays:                 trial,
		CrackedRate:               0.1,
		IneffectiveRate:           0.2,
		RelistDelayDays:           []float64{90, 120, math.NaN(), -3, 200},
		WithdrawalsPerYearWaiting: 0.15,
		PTPHDays:                  []float64{28, 30, 26},
		InitialBacklog:            50,
	}
	s := Calibrate(c)
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if s.Name != "from the store" || s.HorizonDays != 3653 || s.Arrivals.PerDay != 2 || s.InitialBacklog != 50 ||
		s.Courtrooms.General != 12 || s.Courtrooms.Specialist != 1 || *s.Courtrooms.GeneralRASSOShare != 0.5 ||
		*s.Courtrooms.SittingDaysPerYear != 230 || s.Withdrawal.HazardPerYear != 0.15 || s.Withdrawal.RisePerYear != 0 {
		t.Errorf("calibrated scenario %+v", s)
	}
	if s.TrialDays.Dist != DistEmpirical || len(s.TrialDays.Values) != len(trial) || s.TrialDays.Values[0] != 2 {
		t.Errorf("trial days %+v, want the sorted observations", s.TrialDays)
	}
	if len(s.RelistDelayDays.Values) != 3 || !strings.Contains(strings.Join(s.Notes, " "), "dropped 2") {
		t.Errorf("relist delays %v, notes %q: want the two bad values dropped and noted", s.RelistDelayDays.Values, s.Notes)
	}
	if s.Stages == nil || s.Stages.PTPHDays == nil || s.Stages.ReadinessDays != nil {
		t.Errorf("stages %+v, want PTPH only", s.Stages)
	}
	// Simulated, the scenario reproduces the facts it was fitted from.
	r, err := Run(context.Background(), s, Options{Replications: 20, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	within(t, "arrivals a year", r.ArrivalsPerYear, 2*daysPerYear, 0)
	within(t, "cracked share", r.CrackedShare, 0.1, 0.005)
	within(t, "ineffective share", r.IneffectiveShare, 0.2, 0.005)

	// Facts that cannot make a scenario surface as validation errors.
	err = Calibrate(Calibration{ArrivalsPerDay: 1}).Validate()
	if err == nil || !strings.Contains(err.Error(), "trial_days: required") {
		t.Errorf("no trial lengths: %v", err)
	}
}

// TestCalibrateLongLists summarises a long list by a lognormal of the same
// mean and standard deviation, so the scenario stays readable.
func TestCalibrateLongLists(t *testing.T) {
	values := make([]float64, maxCalibrationValues+1)
	for i := range values {
		values[i] = float64(1 + i%7)
	}
	d, _ := observed(values)
	if d.Dist != DistLognormal || math.Abs(*d.Mean-4) > 0.01 || math.Abs(*d.SD-2) > 0.01 {
		t.Errorf("got %+v (mean %v sd %v), want lognormal mean 4 sd 2", d, *d.Mean, *d.SD)
	}
	if d, n := observed([]float64{math.Inf(1)}); d != nil || n != 1 {
		t.Errorf("only bad values: %v, %d dropped", d, n)
	}
}
