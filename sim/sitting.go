package sim

import "math"

// calendar maps between calendar days (the model's clock) and sitting time.
// Courts sit on some days only: with k sitting days per week, the first k days
// of every 7-day week (day 0 is a Monday) are sitting time and the rest are not.
// k may be fractional: sitting days per year N are spread evenly as
// k = N·7/365 days a week, so 230 days a year is about 4.41 days a week.
// Sitting time is continuous, like trial lengths, so a trial of 3.5 sitting
// days that starts on a Thursday morning with k = 5 ends on Tuesday at noon.
//
// Trial lengths and the days an ineffective trial holds a room are in sitting
// days; every other duration (stages, relisting, withdrawal) is in calendar
// days. A room that frees on a non-sitting day takes its next case on the next
// sitting day; a case that becomes ready on one waits for it too.
//
// With the default of every day (k = 7) both maps are the identity and cost
// nothing, so the M/M/c check is exact.
type calendar struct {
	k     float64 // sitting days per week, 0 < k ≤ 7
	daily bool    // k == 7
}

func newCalendar(k float64) calendar { return calendar{k: k, daily: k >= 7} }

// sitting returns the sitting time elapsed from day 0 to calendar time t.
func (c calendar) sitting(t float64) float64 {
	if c.daily {
		return t
	}
	w := math.Floor(t / 7)
	return w*c.k + min(t-7*w, c.k)
}

// next returns the first sitting moment at or after t.
func (c calendar) next(t float64) float64 {
	if c.daily {
		return t
	}
	w := math.Floor(t / 7)
	if t-7*w < c.k {
		return t
	}
	return 7 * (w + 1)
}

// after returns the calendar time at which d sitting days have passed since the
// sitting moment t: the earliest time, so a trial that fills the last sitting
// day of a week ends that evening, not the next Monday.
func (c calendar) after(t, d float64) float64 {
	if c.daily {
		return t + d
	}
	s := c.sitting(t) + d
	w := math.Floor(s / c.k)
	r := s - w*c.k
	if r == 0 && w > 0 {
		return 7*(w-1) + c.k
	}
	return 7*w + r
}
