package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"throughline/progress"
	"throughline/sim"
	"throughline/sim/observe"
)

func init() {
	register("simulate", "simulate the Crown Court RASSO backlog (what-if scenarios)", runSimulate)
}

const simulateSynopsis = "simulate --scenario FILE.json|today|specialist-courts [--compare FILE2.json|NAME] [--replications N] [--seed S] [--workers W] [--json] [--plot out.svg]"

// simCalibrationSource, when set, loads fitted facts (arrival rate, trial
// lengths, ineffective rate, …) from a case store. It is the hook for
// --calibrate-from: the file that implements it sets this variable from its
// init, and the flag then appears. source is the flag's value (a DSN).
var simCalibrationSource func(ctx context.Context, m *Main, source string) (sim.Calibration, error)

// simScenarioFromCalibration turns fitted facts into a validated scenario.
// --calibrate-from uses it; so can anything else holding a Calibration.
func simScenarioFromCalibration(c sim.Calibration) (sim.Scenario, error) {
	return observe.Scenario(c)
}

// simOutput is the JSON written by --json. The timing fields come from the
// injected clock, so with a fixed clock the output is byte-identical for a
// given seed whatever the number of workers.
type simOutput struct {
	Seed            uint64          `json:"seed"`
	Replications    int             `json:"replications"`
	Events          int64           `json:"events"`
	EventsPerSecond sim.Num         `json:"events_per_second"`
	ElapsedSeconds  sim.Num         `json:"elapsed_seconds"`
	WaitDays        sim.Duration    `json:"wait_days"` // of the first scenario
	Scenarios       []*sim.Result   `json:"scenarios"`
	Difference      *sim.Difference `json:"difference,omitempty"`
}

func runSimulate(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("simulate", simulateSynopsis)
	scenario := fs.String("scenario", "", "scenario: a JSON file or a built-in ("+strings.Join(sim.Builtins(), ", ")+")")
	compare := fs.String("compare", "", "a second scenario to compare with the first, replication by replication")
	reps := fs.Int("replications", sim.DefaultReplications, "Monte Carlo replications per scenario")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same result")
	workers := fs.Int("workers", 0, "parallel workers (default: all CPUs)")
	asJSON := fs.Bool("json", false, "write JSON instead of a table")
	plot := fs.String("plot", "", "also write an SVG chart of the backlog over time to this file")
	var calibrateFrom *string
	if simCalibrationSource != nil {
		calibrateFrom = fs.String("calibrate-from", "", "build the first scenario from the facts of a case store (DSN) instead of --scenario")
	}
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	switch {
	case *reps < 1 || *reps > sim.MaxReplications:
		return usagef("--replications must be between 1 and %d", sim.MaxReplications)
	case *workers < 0:
		return usagef("--workers must not be negative")
	}

	var scenarios []sim.Scenario
	switch {
	case calibrateFrom != nil && *calibrateFrom != "":
		if *scenario != "" {
			return usagef("give --scenario or --calibrate-from, not both")
		}
		cal, err := simCalibrationSource(ctx, m, *calibrateFrom)
		if err != nil {
			return fmt.Errorf("calibrate from %s: %w", *calibrateFrom, err)
		}
		s, err := simScenarioFromCalibration(cal)
		if err != nil {
			return err
		}
		scenarios = append(scenarios, s)
	case *scenario == "":
		return usagef("--scenario is required (a JSON file or one of %s)", strings.Join(sim.Builtins(), ", "))
	default:
		s, err := simLoadScenario(*scenario)
		if err != nil {
			return err
		}
		scenarios = append(scenarios, s)
	}
	if *compare != "" {
		s, err := simLoadScenario(*compare)
		if err != nil {
			return err
		}
		scenarios = append(scenarios, s)
	}

	opts := sim.Options{Replications: *reps, Seed: *seed, Workers: *workers}
	results, elapsed, err := simRunAll(ctx, m, scenarios, opts)
	if err != nil {
		return err
	}
	var diff *sim.Difference
	if len(results) == 2 {
		if diff, err = sim.Compare(results[0], results[1]); err != nil {
			return err
		}
	}
	if *plot != "" {
		if err := simWritePlot(*plot, results); err != nil {
			return err
		}
	}
	var events int64
	for _, r := range results {
		events += r.Events
	}
	eps := math.NaN() // a clock that did not move measured nothing: null in JSON
	if elapsed > 0 {
		eps = float64(events) / elapsed
	}
	if *asJSON {
		out := simOutput{Seed: *seed, Replications: *reps, Events: events, EventsPerSecond: sim.Num(eps),
			ElapsedSeconds: sim.Num(elapsed), WaitDays: results[0].WaitDays, Scenarios: results, Difference: diff}
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			return fmt.Errorf("write JSON: %w", err)
		}
		return nil
	}
	if err := sim.WriteTable(m.Stdout, results, diff); err != nil {
		return err
	}
	nworkers := *workers
	if nworkers == 0 {
		nworkers = runtime.GOMAXPROCS(0)
	}
	fmt.Fprintf(m.Stdout, "\nMeans with 95%% confidence intervals over %d replications (seed %d). %d events in %.2f s: %.3g events/s on %d workers.\n",
		*reps, *seed, events, elapsed, eps, nworkers)
	return nil
}

// simLoadScenario reads a scenario file, or a built-in by name. A name that
// looks like a path (has a separator or ends in .json) is always a file.
func simLoadScenario(name string) (sim.Scenario, error) {
	pathLike := strings.ContainsAny(name, `/\`) || strings.HasSuffix(name, ".json")
	if !pathLike {
		if s, _, err := sim.Builtin(name); err == nil {
			return s, nil
		}
		if _, err := os.Stat(name); err != nil {
			return sim.Scenario{}, usagef("no built-in scenario or file %q (built-ins: %s)", name, strings.Join(sim.Builtins(), ", "))
		}
	}
	f, err := os.Open(name)
	if err != nil {
		return sim.Scenario{}, fmt.Errorf("scenario: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, sim.MaxScenarioBytes+1))
	if err != nil {
		return sim.Scenario{}, fmt.Errorf("scenario %s: %w", name, err)
	}
	s, err := sim.ParseScenario(data)
	if err != nil {
		return sim.Scenario{}, fmt.Errorf("%s: %w", filepath.Base(name), err)
	}
	return s, nil
}

// simRunAll runs each scenario with the same options (so a comparison is
// paired) behind one progress bar, and returns the results and the seconds
// they took by the injected clock.
func simRunAll(ctx context.Context, m *Main, scenarios []sim.Scenario, opts sim.Options) ([]*sim.Result, float64, error) {
	bar := progress.New(m.Stderr, "simulating", int64(len(scenarios)*opts.Replications))
	opts.Progress = func() { bar.Add(1) }
	start := m.Now()
	var results []*sim.Result
	for _, s := range scenarios {
		r, err := sim.Run(ctx, s, opts)
		if err != nil {
			bar.Finish()
			if errors.Is(err, sim.ErrInvalid) {
				return nil, 0, fmt.Errorf("%w: %w", errUsage, err)
			}
			return nil, 0, fmt.Errorf("simulate %s: %w", s.Name, err)
		}
		results = append(results, r)
	}
	bar.Finish()
	return results, m.Now().Sub(start).Seconds(), nil
}

func simWritePlot(path string, results []*sim.Result) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	if err := sim.WriteBacklogSVG(f, results...); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	return nil
}
