package main

import (
	"context"
	"fmt"
	"math"

	"throughline"
	"throughline/sim"
	"throughline/sim/observe"
)

// --calibrate-from DSN: fit the first scenario to a case store.
func init() {
	simCalibrationSource = func(ctx context.Context, m *Main, dsn string) (sim.Calibration, error) {
		s, err := m.openStore(ctx, dsn)
		if err != nil {
			return sim.Calibration{}, err
		}
		defer s.Close()
		o := observe.New(m.Now())
		if err := s.EachCase(ctx, func(c *throughline.Case) error {
			o.Add(c)
			return nil
		}); err != nil {
			return sim.Calibration{}, err
		}
		return withRoomsOfToday(o.Calibration(0, 0))
	}
}

// withRoomsOfToday supplies what the case record cannot: courtrooms, their
// sitting days and the share of general rooms' time for RASSO trials. They
// come from the built-in "today" scenario, with the rooms scaled by the ratio
// of the record's arrivals to today's national arrivals, so that a record
// of part of the country (or a sample) meets the same load per room.
func withRoomsOfToday(c sim.Calibration) (sim.Calibration, error) {
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
		return c, fmt.Errorf("--calibrate-from: no case in the record was sent to the Crown Court in the last year")
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
