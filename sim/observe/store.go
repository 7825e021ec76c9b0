package observe

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"throughline"
	"throughline/sim"
)

// EachCase walks every case of a store, as sqlstore.Store.EachCase does,
// stopping at the first error fn returns.
type EachCase func(ctx context.Context, fn func(*throughline.Case) error) error

// ErrNoArrivals is returned by FromStore when no case in the record was sent
// to the Crown Court in the year before asOf: there is no load to fit.
var ErrNoArrivals = errors.New("no case in the record was sent to the Crown Court in the last year")

// FromStore fits a calibration to every case each yields, as of asOf, with
// the courtrooms of the built-in "today" scenario scaled to the record's load
// (WithRoomsOfToday). `throughline simulate --calibrate-from` and the web
// page /simulate both call it, so they fit the same scenario from the same
// record. It returns each's error, ErrNoArrivals, or an error loading the
// built-in scenario.
func FromStore(ctx context.Context, asOf time.Time, each EachCase) (sim.Calibration, error) {
	o := New(asOf)
	if err := each(ctx, func(c *throughline.Case) error {
		o.Add(c)
		return nil
	}); err != nil {
		return sim.Calibration{}, err
	}
	return WithRoomsOfToday(o.Calibration(0, 0))
}

// Scenario turns a calibration into a validated scenario.
func Scenario(c sim.Calibration) (sim.Scenario, error) {
	s := sim.Calibrate(c)
	if err := s.Validate(); err != nil {
		return sim.Scenario{}, fmt.Errorf("calibrated scenario: %w", err)
	}
	return s, nil
}

// WithRoomsOfToday supplies what the case record cannot: courtrooms, their
// sitting days and the share of general rooms' time for RASSO trials. They
// come from the built-in "today" scenario, with the rooms scaled by the ratio
// of the record's arrivals to today's national arrivals, so that a record of
// part of the country (or a sample) meets the same load per room. It returns
// ErrNoArrivals when the record has no arrivals to scale by.
func WithRoomsOfToday(c sim.Calibration) (sim.Calibration, error) {
	today, _, err := sim.Builtin("today")
	if err != nil {
		return c, err
	}
	general, specialist, perDay := 0, 0, 0.0
	if today.Courtrooms != nil {
		general, specialist = today.Courtrooms.General, today.Courtrooms.Specialist
		if today.Courtrooms.GeneralRASSOShare != nil {
			c.GeneralRASSOShare = *today.Courtrooms.GeneralRASSOShare
		}
		if today.Courtrooms.SittingDaysPerYear != nil {
			c.SittingDaysPerYear = *today.Courtrooms.SittingDaysPerYear
		}
	}
	if today.Arrivals != nil {
		perDay = today.Arrivals.PerDay
	}
	for _, a := range today.Areas {
		general += a.General
		specialist += a.Specialist
		perDay += a.PerDay
	}
	if perDay <= 0 || c.ArrivalsPerDay <= 0 {
		return c, ErrNoArrivals
	}
	scale := c.ArrivalsPerDay / perDay
	c.GeneralRooms = max(1, int(math.Round(float64(general)*scale)))
	if specialist > 0 {
		c.SpecialistRooms = max(1, int(math.Round(float64(specialist)*scale)))
	}
	c.Notes = append(c.Notes, fmt.Sprintf("Courtrooms: the built-in scenario's %d general and %d specialist rooms scaled by %.4f (the record's %.2f arrivals a day against its %.2f): %d general, %d specialist; sitting days and the RASSO share of general rooms are the built-in scenario's.",
		general, specialist, scale, c.ArrivalsPerDay, perDay, c.GeneralRooms, c.SpecialistRooms))
	return c, nil
}
