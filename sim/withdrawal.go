package sim

import "math"

// Withdrawal is the hazard that the complainant withdraws support for the
// prosecution while waiting for trial, which ends the case. It rises with the
// time waited since the case arrived (was sent to the Crown Court):
//
//	hazard(y) = hazard_per_year + rise_per_year · y      (y in years waited)
//
// so a complainant who has waited two years is more likely to withdraw in the
// next month than one who has waited two months, as victims' groups and the
// Victims' Commissioner report. Withdrawal times are drawn exactly, by
// inverting the cumulative hazard H(y) = h·y + r·y²/2 at an exponential
// variate, not by stepping time.
type Withdrawal struct {
	HazardPerYear float64 `json:"hazard_per_year"`
	RisePerYear   float64 `json:"rise_per_year,omitempty"`
}

// daysPerYear converts the scenario's yearly rates to the model's days.
const daysPerYear = 365.25

// hazard is a withdrawal hazard in the model's units (per day, per day²),
// with the s.28 factor applied after the pre-recorded cross-examination.
type hazard struct {
	h, r   float64 // hazard at arrival per day; rise per day per day
	factor float64 // multiplier on the hazard after an s.28 hearing
}

func (w *Withdrawal) hazard(s28Factor float64) hazard {
	if w == nil {
		return hazard{factor: 1}
	}
	return hazard{h: w.HazardPerYear / daysPerYear, r: w.RisePerYear / (daysPerYear * daysPerYear), factor: s28Factor}
}

// none reports whether nobody ever withdraws.
func (z hazard) none() bool { return z.h == 0 && z.r == 0 }

// cum is the cumulative hazard H(t) after t days of waiting.
func (z hazard) cum(t float64) float64 { return t * (z.h + z.r*t/2) }

// inv is H⁻¹(x): the waiting time at which the cumulative hazard reaches x.
// It solves r t²/2 + h t − x = 0 in the form 2x / (h + √(h² + 2rx)), which
// does not cancel when r is small (it tends to x/h as r → 0).
func (z hazard) inv(x float64) float64 {
	if x <= 0 {
		return 0
	}
	d := z.h + math.Sqrt(z.h*z.h+2*z.r*x)
	if d == 0 {
		return math.Inf(1)
	}
	return 2 * x / d
}

// cumS28 is the cumulative hazard of a case whose s.28 hearing is s days after
// arrival (+Inf if it has none): after the hearing the hazard is multiplied by
// factor, so H(t) = H₀(s) + factor·(H₀(t) − H₀(s)) for t > s.
func (z hazard) cumS28(t, s float64) float64 {
	if t <= s {
		return z.cum(t)
	}
	hs := z.cum(s)
	return hs + z.factor*(z.cum(t)-hs)
}

// withdrawAfter returns how many days after arrival the complainant of a case
// withdraws, given an exponential variate e (mean 1), the case's s.28 hearing
// at s days (+Inf if none) and its age in days when the simulation first sees
// it (0 for a new arrival; positive for the initial backlog, which has already
// survived that long). The answer is the t > age with H(t) = H(age) + e, found
// by inverting each piece of H exactly. +Inf means never.
func (z hazard) withdrawAfter(e, s, age float64) float64 {
	if z.none() {
		return math.Inf(1)
	}
	x := z.cumS28(age, s) + e
	if math.IsInf(s, 1) {
		return z.inv(x)
	}
	hs := z.cum(s)
	if x <= hs {
		return z.inv(x)
	}
	if z.factor <= 0 {
		return math.Inf(1)
	}
	return z.inv(hs + (x-hs)/z.factor)
}
