package sim

import (
	"fmt"
	"math"
	"slices"
)

// Calibration holds facts fitted from real cases (the case store, for
// `throughline simulate --calibrate-from`), from which Calibrate writes a
// scenario. Zero values mean "not known": the matching mechanism is left out
// (a stage takes no time, nobody withdraws) or takes its default.
type Calibration struct {
	Name  string   // default "calibrated"
	Notes []string // where the facts came from, copied into the scenario

	ArrivalsPerDay float64 // cases sent to the Crown Court for trial, per day
	InitialBacklog int     // cases awaiting trial now

	GeneralRooms       int
	SpecialistRooms    int
	GeneralRASSOShare  float64 // share of general rooms' sitting days for RASSO; 0 means 1
	SittingDaysPerYear float64 // 0 means every day

	TrialDays       []float64 // observed lengths of effective trials, sitting days
	CrackedRate     float64   // cracked listings / all trial listings
	IneffectiveRate float64   // ineffective listings / all trial listings
	RelistDelayDays []float64 // observed days from an ineffective trial to the next listing

	// WithdrawalsPerYearWaiting is complainant withdrawals per case-year of
	// waiting (withdrawals divided by the years cases spent waiting): a
	// constant hazard, the maximum-likelihood fit when the rise is unknown.
	WithdrawalsPerYearWaiting float64

	PTPHDays            []float64 // observed sending → PTPH
	ReadinessDays       []float64 // observed PTPH → ready for trial
	ChargeToSendingDays []float64
	ReportToChargeDays  []float64

	HorizonDays float64 // default ten years
}

// maxCalibrationValues is the largest list Calibrate keeps as an empirical
// distribution; a longer one is summarised by a lognormal with the same mean
// and standard deviation, so the scenario stays a readable file.
const maxCalibrationValues = 5000

// Calibrate turns fitted facts into a scenario. Observed durations become
// empirical distributions (each observation equally likely) so the model
// reproduces their shape without assuming one; negative or non-finite values
// are dropped as data errors and counted in the notes. The result is not
// validated: facts that cannot make a scenario (no trial lengths, say) surface
// as Validate's errors naming the field.
func Calibrate(c Calibration) Scenario {
	s := Scenario{
		Name:        c.Name,
		HorizonDays: c.HorizonDays,
		Arrivals:    &Arrivals{Process: "poisson", PerDay: c.ArrivalsPerDay},
		Courtrooms:  &Courtrooms{General: c.GeneralRooms, Specialist: c.SpecialistRooms},

		InitialBacklog:         c.InitialBacklog,
		CrackedProbability:     c.CrackedRate,
		IneffectiveProbability: c.IneffectiveRate,
	}
	if s.Name == "" {
		s.Name = "calibrated"
	}
	if s.HorizonDays == 0 {
		s.HorizonDays = math.Round(10 * daysPerYear)
	}
	if c.GeneralRASSOShare > 0 && c.GeneralRASSOShare < 1 {
		share := c.GeneralRASSOShare
		s.Courtrooms.GeneralRASSOShare = &share
	}
	if c.SittingDaysPerYear > 0 {
		days := c.SittingDaysPerYear
		s.Courtrooms.SittingDaysPerYear = &days
	}
	s.Notes = append(s.Notes, c.Notes...)
	dropped := 0
	fit := func(values []float64) *Dist {
		d, n := observed(values)
		dropped += n
		return d
	}
	s.TrialDays = fit(c.TrialDays)
	s.RelistDelayDays = fit(c.RelistDelayDays)
	s.ChargeToSendingDays = fit(c.ChargeToSendingDays)
	s.ReportToChargeDays = fit(c.ReportToChargeDays)
	if ptph, ready := fit(c.PTPHDays), fit(c.ReadinessDays); ptph != nil || ready != nil {
		s.Stages = &Stages{PTPHDays: ptph, ReadinessDays: ready}
	}
	if c.WithdrawalsPerYearWaiting > 0 {
		s.Withdrawal = &Withdrawal{HazardPerYear: c.WithdrawalsPerYearWaiting}
	}
	if dropped > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("Calibrate dropped %d negative or non-finite durations.", dropped))
	}
	return s
}

// observed turns observed durations into a distribution (nil if there are
// none) and reports how many values it dropped.
func observed(values []float64) (*Dist, int) {
	kept := make([]float64, 0, len(values))
	for _, v := range values {
		if isFinite(v) && v >= 0 {
			kept = append(kept, min(v, maxDays))
		}
	}
	dropped := len(values) - len(kept)
	switch {
	case len(kept) == 0:
		return nil, dropped
	case len(kept) <= maxCalibrationValues:
		slices.Sort(kept) // a stable, readable order whatever the store returned
		return Empirical(kept...), dropped
	}
	var sum, ss float64
	for _, v := range kept {
		sum += v
	}
	mean := sum / float64(len(kept))
	for _, v := range kept {
		ss += (v - mean) * (v - mean)
	}
	sd := math.Sqrt(ss / float64(len(kept)-1))
	if mean == 0 {
		return Constant(0), dropped
	}
	return Lognormal(mean, min(sd, 100*mean)), dropped
}
