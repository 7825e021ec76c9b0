package main

import (
	"context"
	"errors"
	"fmt"

	"throughline/sim"
	"throughline/sim/observe"
)

// --calibrate-from DSN: fit the first scenario to a case store, with the same
// code as the web page /simulate (observe.FromStore).
func init() {
	simCalibrationSource = func(ctx context.Context, m *Main, dsn string) (sim.Calibration, error) {
		s, err := m.openStore(ctx, dsn)
		if err != nil {
			return sim.Calibration{}, err
		}
		defer s.Close()
		c, err := observe.FromStore(ctx, m.Now(), s.EachCase)
		if errors.Is(err, observe.ErrNoArrivals) {
			return c, fmt.Errorf("--calibrate-from: %w", err)
		}
		return c, err
	}
}
