package sim

import "math"

// plan is a validated Scenario compiled for simulation: plain numbers and
// samplers the event loop can use without checking for nil or defaults.
type plan struct {
	name                    string
	horizon, warmup, sample float64

	areas   []areaPlan // at least one; a scenario without areas has one, ""
	perDay  float64    // total arrival rate
	cal     calendar
	share   float64 // general rooms' share of sitting days for RASSO
	initial bool    // any initial backlog

	ptph, readiness, chargeToSending, reportToCharge sampler
	trial, relist, s28Delay                          sampler
	noStages                                         bool

	cracked, ineffective             float64
	floaterShare, floaterIneffective float64
	ineffectiveRoomDays              float64

	haz      hazard
	s28Share float64
}

type areaPlan struct {
	id                  string
	perDay              float64
	general, specialist int
	initial             int
}

// compile validates s and turns it into a plan.
func compile(s Scenario) (*plan, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	p := &plan{
		name:    s.Name,
		horizon: s.HorizonDays,
		warmup:  s.WarmupDays,
		sample:  s.SampleEveryDays,
		share:   1,

		chargeToSending: s.ChargeToSendingDays.compile(),
		reportToCharge:  s.ReportToChargeDays.compile(),
		trial:           s.TrialDays.compile(),
		relist:          s.RelistDelayDays.compile(),

		cracked:             s.CrackedProbability,
		ineffective:         s.IneffectiveProbability,
		floaterShare:        s.FloaterShare,
		floaterIneffective:  s.FloaterIneffectiveProbability,
		ineffectiveRoomDays: s.IneffectiveRoomDays,
	}
	if p.sample == 0 {
		p.sample = defaultSampleDays
	}
	if s.Stages != nil {
		p.ptph = s.Stages.PTPHDays.compile()
		p.readiness = s.Stages.ReadinessDays.compile()
	}
	p.noStages = p.ptph.zero() && p.readiness.zero()

	k := 7.0
	if c := s.Courtrooms; c != nil {
		if c.GeneralRASSOShare != nil {
			p.share = *c.GeneralRASSOShare
		}
		switch {
		case c.SittingDaysPerWeek != nil:
			k = *c.SittingDaysPerWeek
		case c.SittingDaysPerYear != nil:
			k = *c.SittingDaysPerYear * 7 / 365
		}
	}
	p.cal = newCalendar(k)

	factor := 1.0
	if x := s.S28; x != nil {
		p.s28Share = x.Share
		p.s28Delay = x.DaysAfterPTPH.compile()
		factor = DefaultS28HazardFactor
		if x.WithdrawalHazardFactor != nil {
			factor = *x.WithdrawalHazardFactor
		}
	}
	p.haz = s.Withdrawal.hazard(factor)

	if len(s.Areas) == 0 {
		a := areaPlan{initial: s.InitialBacklog}
		if s.Arrivals != nil {
			a.perDay = s.Arrivals.PerDay
		}
		if c := s.Courtrooms; c != nil {
			a.general, a.specialist = c.General, c.Specialist
		}
		p.areas = []areaPlan{a}
	}
	for _, a := range s.Areas {
		p.areas = append(p.areas, areaPlan{id: a.ID, perDay: a.PerDay, general: a.General,
			specialist: a.Specialist, initial: a.InitialBacklog})
	}
	for _, a := range p.areas {
		p.perDay += a.perDay
		p.initial = p.initial || a.initial > 0
	}
	return p, nil
}

// samples is the number of backlog samples: at warm-up, then every sample
// days up to the horizon.
func (p *plan) samples() int {
	return int(math.Floor((p.horizon-p.warmup)/p.sample+1e-9)) + 1
}

// sampleDay is the day of sample i.
func (p *plan) sampleDay(i int) float64 { return p.warmup + float64(i)*p.sample }
