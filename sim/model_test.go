package sim

import (
	"context"
	"math"
	"testing"
)

// Tests of the model's mechanisms, each in a setting where the answer is
// known exactly or nearly so.

func run(t *testing.T, s Scenario, reps int) *Result {
	t.Helper()
	r, err := Run(context.Background(), s, Options{Replications: reps, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	checkLittleIdentity(t, r)
	return r
}

// within fails unless the estimate's mean is within tol of want or within
// twice its 95% half-width (about 4 standard errors: a correct model fails
// such a check once in 15,000 times, and the seeds are fixed).
func within(t *testing.T, what string, e Estimate, want, tol float64) {
	t.Helper()
	m, lo, hi := float64(e.Mean), float64(e.CI95[0]), float64(e.CI95[1])
	if d := math.Abs(m - want); d > tol && !(d <= hi-lo) {
		t.Errorf("%s = %.6g [%.6g, %.6g], want %.6g ± %.3g", what, m, lo, hi, want, tol)
	}
}

func base(perDay float64, rooms int, trial *Dist) Scenario {
	return Scenario{Name: "test", HorizonDays: 2000, WarmupDays: 200,
		Arrivals: &Arrivals{PerDay: perDay}, Courtrooms: &Courtrooms{General: rooms}, TrialDays: trial}
}

func TestCrackedTrialsUseNoRoom(t *testing.T) {
	s := base(2, 1, Exponential(5))
	s.CrackedProbability = 1
	r := run(t, s, 20)
	within(t, "cracked share", r.CrackedShare, 1, 0)
	within(t, "utilisation", r.Utilisation, 0, 0)
	within(t, "trials a year", r.TrialsPerYear, 0, 0)
	within(t, "backlog at the end", r.BacklogEnd, 0, 0)
	if !math.IsNaN(float64(r.WaitDays.Mean)) {
		t.Errorf("no trial started but the mean wait is %v", r.WaitDays.Mean)
	}
}

// TestIneffectiveTrialsRelist uses rooms so plentiful that nobody queues: a
// case's wait is then the sum of its relisting delays, and the number of
// ineffective listings before an effective one is geometric, so the mean wait
// is p/(1−p) · mean delay.
func TestIneffectiveTrialsRelist(t *testing.T) {
	s := base(1, 200, Constant(1))
	s.IneffectiveProbability = 0.3
	s.RelistDelayDays = Exponential(50)
	r := run(t, s, 40)
	within(t, "ineffective share", r.IneffectiveShare, 0.3, 0.005)
	within(t, "mean wait", Estimate{Mean: r.WaitDays.Mean, CI95: r.WaitDays.CI95}, 0.3/0.7*50, 0.2)
}

// TestFloatersOnlyInGeneralRooms: specialist rooms list fixtures, so only
// general rooms see the floater ineffective rate.
func TestFloatersOnlyInGeneralRooms(t *testing.T) {
	s := base(0.5, 0, Constant(1))
	s.FloaterShare = 1
	s.FloaterIneffectiveProbability = 0.5
	s.RelistDelayDays = Constant(10)
	s.Courtrooms = &Courtrooms{Specialist: 3}
	within(t, "ineffective share, specialist rooms", run(t, s, 10).IneffectiveShare, 0, 0)
	s.Courtrooms = &Courtrooms{General: 3}
	within(t, "ineffective share, general rooms", run(t, s, 10).IneffectiveShare, 0.5, 0.01)
}

// TestSpecialistRoomsFirst: at low load a case finds both kinds free and takes
// the specialist room, so specialist rooms are busier.
func TestSpecialistRoomsFirst(t *testing.T) {
	s := base(0.5, 0, Exponential(1))
	s.Courtrooms = &Courtrooms{General: 2, Specialist: 2}
	r := run(t, s, 10)
	if g, sp := float64(r.UtilisationGeneral.Mean), float64(r.UtilisationSpecialist.Mean); !(sp > 2*g) {
		t.Errorf("specialist utilisation %.3f, general %.3f: specialist rooms should take cases first", sp, g)
	}
}

// TestWithdrawalWithoutRooms: with no rooms nobody is tried, so every case
// leaves by withdrawal, and the expected number of withdrawals by the horizon
// is λ ∫₀^H (1 − exp(−Λ(H − a))) da, Λ the cumulative hazard.
func TestWithdrawalWithoutRooms(t *testing.T) {
	s := base(3, 0, Exponential(1))
	s.WarmupDays = 0
	s.HorizonDays = 1500
	s.Withdrawal = &Withdrawal{HazardPerYear: 0.4, RisePerYear: 0.5}
	r := run(t, s, 100)
	z := s.Withdrawal.hazard(1)
	var want float64
	const steps = 100000
	for i := range steps {
		age := (float64(i) + 0.5) / steps * s.HorizonDays
		want += -math.Expm1(-z.cum(age))
	}
	want *= 3 * s.HorizonDays / steps / (s.HorizonDays / daysPerYear)
	within(t, "withdrawals a year", r.WithdrawalsPerYear, want, 0)
	within(t, "trials a year", r.TrialsPerYear, 0, 0)
}

// TestS28StopsWithdrawal: with every case having an s.28 hearing at sending
// and a hazard factor of 0 afterwards, nobody withdraws.
func TestS28StopsWithdrawal(t *testing.T) {
	s := base(3, 0, Exponential(1))
	s.Withdrawal = &Withdrawal{HazardPerYear: 2}
	zero := 0.0
	s.S28 = &S28{Share: 1, WithdrawalHazardFactor: &zero}
	within(t, "withdrawals a year", run(t, s, 5).WithdrawalsPerYear, 0, 0)
	// Half the cases with s.28 and the default factor, a hazard low enough
	// that many are still waiting at the horizon: about a quarter fewer
	// withdrawals than without s.28.
	s.Withdrawal = &Withdrawal{HazardPerYear: 0.2}
	s.S28 = &S28{Share: 0.5, DaysAfterPTPH: Constant(30)}
	with := float64(run(t, s, 20).WithdrawalsPerYear.Mean)
	s.S28 = nil
	without := float64(run(t, s, 20).WithdrawalsPerYear.Mean)
	if !(with < 0.9*without) {
		t.Errorf("withdrawals a year: %.1f with s.28, %.1f without", with, without)
	}
}

// TestCapacityLimits: with far more cases than rooms, trials per year equal
// the rooms' RASSO capacity: rooms × sitting days a year × share / length.
func TestCapacityLimits(t *testing.T) {
	five, quarter := 5.0, 0.25
	for _, c := range []struct {
		name    string
		rooms   Courtrooms
		trial   float64
		perYear float64
	}{
		{"every day", Courtrooms{General: 2}, 1, 2 * daysPerYear},
		{"five days a week", Courtrooms{General: 2, SittingDaysPerWeek: &five}, 1, 2 * daysPerYear * 5 / 7},
		{"a quarter of general rooms", Courtrooms{General: 2, GeneralRASSOShare: &quarter}, 2, 2 * daysPerYear * 0.25 / 2},
		{"specialist rooms take no share", Courtrooms{Specialist: 2, GeneralRASSOShare: &quarter}, 2, 2 * daysPerYear / 2},
	} {
		s := base(10, 0, Constant(c.trial))
		s.Courtrooms = &c.rooms
		s.HorizonDays, s.WarmupDays = 7*400, 7*20
		r := run(t, s, 4)
		within(t, c.name+": trials a year", r.TrialsPerYear, c.perYear, 0.005*c.perYear)
		within(t, c.name+": utilisation", r.Utilisation, 1, 0.002)
	}
}

// TestAreasAreSeparate: an area's cases are heard only in its own rooms.
func TestAreasAreSeparate(t *testing.T) {
	s := Scenario{Name: "areas", HorizonDays: 500, Courtrooms: &Courtrooms{}, TrialDays: Constant(1),
		Areas: []Area{{ID: "busy", PerDay: 2}, {ID: "empty", General: 5}}}
	r := run(t, s, 4)
	within(t, "trials a year", r.TrialsPerYear, 0, 0)
	within(t, "busy: backlog at the end", r.Areas[0].BacklogEnd, float64(r.Runs[0].Arrivals), 200)
	within(t, "empty: utilisation", r.Areas[1].Utilisation, 0, 0)
}

// TestInitialBacklogDrains: 100 cases waiting, no arrivals, one room hearing
// one case a day: the backlog falls by one a day. A sample at day d sees the
// system before the events later scheduled for the same instant (the trial
// starting at day d), as events at equal times run in scheduling order.
func TestInitialBacklogDrains(t *testing.T) {
	s := Scenario{Name: "drain", HorizonDays: 60, SampleEveryDays: 10, InitialBacklog: 100,
		Arrivals: &Arrivals{}, Courtrooms: &Courtrooms{General: 1}, TrialDays: Constant(1)}
	r := run(t, s, 2)
	for i, want := range []float64{99, 90, 80, 70, 60, 50, 40} {
		if got := float64(r.Backlog[i].Mean); got != want {
			t.Errorf("day %v: backlog %v, want %v", r.Backlog[i].Day, got, want)
		}
	}
}

// TestStagesAndOffsets: with plentiful rooms the wait is the stages, and the
// charge→trial and report→trial figures add the offsets.
func TestStagesAndOffsets(t *testing.T) {
	s := base(1, 100, Constant(1))
	s.Stages = &Stages{PTPHDays: Constant(28), ReadinessDays: Constant(30)}
	s.ChargeToSendingDays = Constant(10)
	s.ReportToChargeDays = Exponential(100)
	r := run(t, s, 10)
	if m, med := float64(r.WaitDays.Mean), float64(r.WaitDays.Median); m != 58 || math.Abs(med-58) > 0.5 {
		t.Errorf("wait mean %v median %v, want 58", m, med)
	}
	if m := float64(r.ChargeToTrialDays.Mean); m != 68 {
		t.Errorf("charge→trial mean %v, want 68", m)
	}
	within(t, "report→trial", Estimate{Mean: r.ReportToTrialDays.Mean, CI95: r.ReportToTrialDays.CI95}, 168, 0)
}

// TestNoAllocationPerEvent: once a worker's slices have grown, a replication
// allocates a fixed handful of objects (its backlog samples), however many
// events it processes.
func TestNoAllocationPerEvent(t *testing.T) {
	s, _, err := Builtin("today")
	if err != nil {
		t.Fatal(err)
	}
	p, err := compile(s)
	if err != nil {
		t.Fatal(err)
	}
	m := newModel(p)
	m.run(1, 0)
	var events int64
	allocs := testing.AllocsPerRun(3, func() { events = m.run(1, 0).Events })
	if allocs > 10 {
		t.Errorf("%v allocations for a replication of %d events", allocs, events)
	}
}
