package sim

import (
	"errors"
	"fmt"
)

// FieldError is one problem with one field of a scenario. Field is the JSON
// path, such as "areas[2].per_day" or "trial_days.mean".
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

// ErrInvalid is wrapped by every validation error, so callers can tell a bad
// scenario (a usage problem) from a failure to run one.
var ErrInvalid = errors.New("invalid scenario")

// Limits that keep a scenario within what one machine can simulate. They are
// far above any real court system; a scenario beyond them is a typing error.
const (
	maxRooms          = 100_000
	maxAreas          = 1_000
	maxPerDay         = 100_000.0
	maxCasesPerRun    = 10_000_000 // expected arrivals plus initial backlog, per replication
	maxHorizonDays    = 1e7        // long runs are for validating the engine; cases are what cost
	maxSamples        = 100_000
	maxNameLen        = 200
	defaultSampleDays = 30
)

// Validate checks a scenario and returns every problem found, each naming its
// field, joined into one error that wraps ErrInvalid.
func (s Scenario) Validate() error {
	var v validator
	v.scenario(&s)
	if len(v.errs) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrInvalid, errors.Join(v.errs...))
}

type validator struct{ errs []error }

func (v *validator) add(field, format string, args ...any) {
	v.errs = append(v.errs, &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
}

func (v *validator) dist(field string, d *Dist, required bool) {
	if d == nil {
		if required {
			v.add(field, "required")
		}
		return
	}
	if err := d.check(field); err != nil {
		v.errs = append(v.errs, err)
	}
}

// number checks lo ≤ x ≤ hi (and that x is finite).
func (v *validator) number(field string, x, lo, hi float64) {
	if !isFinite(x) || x < lo || x > hi {
		v.add(field, "must be between %g and %g, got %g", lo, hi, x)
	}
}

func (v *validator) count(field string, n, hi int) {
	if n < 0 || n > hi {
		v.add(field, "must be between 0 and %d, got %d", hi, n)
	}
}

func (v *validator) scenario(s *Scenario) {
	switch {
	case s.Name == "":
		v.add("name", "required")
	case len(s.Name) > maxNameLen:
		v.add("name", "at most %d characters", maxNameLen)
	}
	if !isFinite(s.HorizonDays) || s.HorizonDays <= 0 || s.HorizonDays > maxHorizonDays {
		v.add("horizon_days", "must be greater than 0 and at most %g, got %g", maxHorizonDays, s.HorizonDays)
	} else if !isFinite(s.WarmupDays) || s.WarmupDays < 0 || s.WarmupDays >= s.HorizonDays {
		v.add("warmup_days", "must be at least 0 and less than horizon_days (%g), got %g", s.HorizonDays, s.WarmupDays)
	} else if s.SampleEveryDays != 0 {
		if !isFinite(s.SampleEveryDays) || s.SampleEveryDays <= 0 {
			v.add("sample_every_days", "must be greater than 0, got %g", s.SampleEveryDays)
		} else if (s.HorizonDays-s.WarmupDays)/s.SampleEveryDays > maxSamples {
			v.add("sample_every_days", "gives more than %d samples; sample less often", maxSamples)
		}
	}
	v.arrivals(s)
	v.courtrooms(s.Courtrooms, len(s.Areas) > 0)

	if s.Stages != nil {
		v.dist("stages.ptph_days", s.Stages.PTPHDays, false)
		v.dist("stages.readiness_days", s.Stages.ReadinessDays, false)
	}
	v.dist("charge_to_sending_days", s.ChargeToSendingDays, false)
	v.dist("report_to_charge_days", s.ReportToChargeDays, false)
	v.dist("trial_days", s.TrialDays, true)
	v.outcomes(s)
	if w := s.Withdrawal; w != nil {
		v.number("withdrawal.hazard_per_year", w.HazardPerYear, 0, 100)
		v.number("withdrawal.rise_per_year", w.RisePerYear, 0, 100)
	}
	if x := s.S28; x != nil {
		v.number("s28.share", x.Share, 0, 1)
		v.dist("s28.days_after_ptph", x.DaysAfterPTPH, false)
		if x.WithdrawalHazardFactor != nil {
			v.number("s28.withdrawal_hazard_factor", *x.WithdrawalHazardFactor, 0, 10)
		}
	}
}

func (v *validator) arrivals(s *Scenario) {
	if a := s.Arrivals; a != nil {
		if a.Process != "" && a.Process != "poisson" {
			v.add("arrivals.process", "unknown process %q (only \"poisson\")", a.Process)
		}
		v.number("arrivals.per_day", a.PerDay, 0, maxPerDay)
	}
	v.count("initial_backlog", s.InitialBacklog, maxCasesPerRun)
	total := float64(s.InitialBacklog)
	if len(s.Areas) == 0 {
		if s.Arrivals == nil {
			v.add("arrivals", "required (or give per_day in areas)")
		} else {
			total += s.Arrivals.PerDay * s.HorizonDays
		}
	} else {
		if s.Arrivals != nil && s.Arrivals.PerDay != 0 {
			v.add("arrivals.per_day", "give per_day in each area, not at the top level as well")
		}
		if s.InitialBacklog != 0 {
			v.add("initial_backlog", "give initial_backlog in each area, not at the top level as well")
		}
		if len(s.Areas) > maxAreas {
			v.add("areas", "at most %d areas, got %d", maxAreas, len(s.Areas))
		}
		seen := make(map[string]bool, len(s.Areas))
		for i, a := range s.Areas {
			f := fmt.Sprintf("areas[%d]", i)
			switch {
			case a.ID == "":
				v.add(f+".id", "required")
			case len(a.ID) > maxNameLen:
				v.add(f+".id", "at most %d characters", maxNameLen)
			case seen[a.ID]:
				v.add(f+".id", "duplicate area %q", a.ID)
			}
			seen[a.ID] = true
			v.number(f+".per_day", a.PerDay, 0, maxPerDay)
			v.count(f+".general", a.General, maxRooms)
			v.count(f+".specialist", a.Specialist, maxRooms)
			v.count(f+".initial_backlog", a.InitialBacklog, maxCasesPerRun)
			if isFinite(a.PerDay) && a.PerDay > 0 {
				total += a.PerDay * s.HorizonDays
			}
			total += float64(max(a.InitialBacklog, 0))
		}
	}
	if total > maxCasesPerRun {
		v.add("arrivals", "about %.3g cases per replication; at most %d can be simulated (shorten horizon_days or lower per_day)", total, maxCasesPerRun)
	}
}

func (v *validator) courtrooms(c *Courtrooms, areas bool) {
	if c == nil {
		if !areas {
			v.add("courtrooms", "required (or give rooms in areas)")
		}
		return
	}
	v.count("courtrooms.general", c.General, maxRooms)
	v.count("courtrooms.specialist", c.Specialist, maxRooms)
	if areas && (c.General != 0 || c.Specialist != 0) {
		v.add("courtrooms", "give general and specialist rooms in each area, not at the top level as well")
	}
	if c.GeneralRASSOShare != nil {
		if x := *c.GeneralRASSOShare; !isFinite(x) || x <= 0 || x > 1 {
			v.add("courtrooms.general_rasso_share", "must be greater than 0 and at most 1, got %g", x)
		}
	}
	switch {
	case c.SittingDaysPerWeek != nil && c.SittingDaysPerYear != nil:
		v.add("courtrooms", "give sitting_days_per_week or sitting_days_per_year, not both")
	case c.SittingDaysPerWeek != nil:
		if x := *c.SittingDaysPerWeek; !isFinite(x) || x <= 0 || x > 7 {
			v.add("courtrooms.sitting_days_per_week", "must be greater than 0 and at most 7, got %g", x)
		}
	case c.SittingDaysPerYear != nil:
		if x := *c.SittingDaysPerYear; !isFinite(x) || x <= 0 || x > 365 {
			v.add("courtrooms.sitting_days_per_year", "must be greater than 0 and at most 365, got %g", x)
		}
	}
}

func (v *validator) outcomes(s *Scenario) {
	v.number("cracked_probability", s.CrackedProbability, 0, 1)
	v.number("ineffective_probability", s.IneffectiveProbability, 0, 1)
	v.number("floater_share", s.FloaterShare, 0, 1)
	v.number("floater_ineffective_probability", s.FloaterIneffectiveProbability, 0, 1)
	v.number("ineffective_room_days", s.IneffectiveRoomDays, 0, 365)
	if s.CrackedProbability+s.IneffectiveProbability > 1 {
		v.add("ineffective_probability", "cracked_probability + ineffective_probability must be at most 1, got %g", s.CrackedProbability+s.IneffectiveProbability)
	}
	if s.CrackedProbability+s.FloaterIneffectiveProbability > 1 {
		v.add("floater_ineffective_probability", "cracked_probability + floater_ineffective_probability must be at most 1, got %g", s.CrackedProbability+s.FloaterIneffectiveProbability)
	}
	if s.FloaterIneffectiveProbability != 0 && s.FloaterShare == 0 {
		v.add("floater_ineffective_probability", "has no effect without floater_share")
	}
	ineffective := s.IneffectiveProbability > 0 || (s.FloaterShare > 0 && s.FloaterIneffectiveProbability > 0)
	v.dist("relist_delay_days", s.RelistDelayDays, ineffective)
}
