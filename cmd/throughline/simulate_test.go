package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"throughline/internal/validatortest"
	"throughline/sim"
)

// runSimulateCmd runs `throughline simulate` in-process with a fixed clock.
func runSimulateCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Now: func() time.Time { return now }, Getenv: func(string) string { return "" }}
	code = m.Run(context.Background(), append([]string{"simulate"}, args...))
	return code, out.String(), errb.String()
}

// writeScenario writes a small scenario file and returns its path.
func writeScenario(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "scenario.json")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const smallScenario = `{
  "name": "small",
  "horizon_days": 730,
  "warmup_days": 100,
  "arrivals": {"process": "poisson", "per_day": 2},
  "courtrooms": {"general": 10, "specialist": 1},
  "trial_days": {"dist": "exponential", "mean": 4},
  "ineffective_probability": 0.25,
  "relist_delay_days": {"dist": "lognormal", "mean": 120, "sd": 60},
  "withdrawal": {"hazard_per_year": 0.1}
}`

// TestSimulateJSONIsDeterministic: with the clock fixed, the same seed gives
// byte-identical JSON whatever the number of workers.
func TestSimulateJSONIsDeterministic(t *testing.T) {
	args := []string{"--scenario", "today", "--replications", "4", "--seed", "9", "--json"}
	code, first, errs := runSimulateCmd(t, append(args, "--workers", "1")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, w := range []string{"2", "3"} {
		if _, again, _ := runSimulateCmd(t, append(args, "--workers", w)...); again != first {
			t.Fatalf("--workers %s changed the JSON", w)
		}
	}
	var out struct {
		Seed         uint64 `json:"seed"`
		Replications int    `json:"replications"`
		Events       int64  `json:"events"`
		WaitDays     struct {
			Mean, Median, P90 float64
			CI95              [2]float64
		} `json:"wait_days"`
		Scenarios []json.RawMessage `json:"scenarios"`
	}
	if err := json.Unmarshal([]byte(first), &out); err != nil {
		t.Fatal(err)
	}
	w := out.WaitDays
	if out.Seed != 9 || out.Replications != 4 || out.Events < 100000 || len(out.Scenarios) != 1 ||
		!(w.CI95[0] < w.Mean && w.Mean < w.CI95[1] && w.Median > 0 && w.P90 > w.Median) {
		t.Errorf("unexpected output: %+v", out)
	}
	for _, key := range []string{`"events_per_second": null`, `"wait_days": {`, `"ci95": [`, `"backlog": [`, `"areas": [`} {
		if !strings.Contains(first, key) {
			t.Errorf("JSON lacks %s", key)
		}
	}
}

func TestSimulateCompareAndPlot(t *testing.T) {
	path := writeScenario(t, smallScenario)
	svg := filepath.Join(t.TempDir(), "backlog.svg")
	code, out, errs := runSimulateCmd(t, "--scenario", path, "--compare", path, "--replications", "5", "--json", "--plot", svg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var res struct {
		Scenarios  []*sim.Result   `json:"scenarios"`
		Difference *sim.Difference `json:"difference"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Scenarios) != 2 || res.Difference == nil {
		t.Fatalf("want two scenarios and a difference: %s", out)
	}
	// The same scenario twice with the same seeds: every paired difference is 0.
	if d := res.Difference; d.WaitDaysMean.Mean != 0 || d.BacklogEnd.Mean != 0 {
		t.Errorf("a scenario compared with itself differs: %+v", d)
	}
	b, err := os.ReadFile(svg)
	if err != nil || !bytes.Contains(b, []byte("<svg")) || !bytes.Contains(b, []byte("<title")) {
		t.Errorf("plot: %v, %.100s", err, b)
	}
	validatortest.VNU(t, svg) // the Nu checker's SVG schema, as for the dashboards' charts
}

func TestSimulateTable(t *testing.T) {
	code, out, errs := runSimulateCmd(t, "--scenario", writeScenario(t, smallScenario), "--replications", "3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"small", "wait, sending → trial (days)", "backlog at the end", "3 replications (seed 1)"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestSimulateErrors(t *testing.T) {
	bad := strings.Replace(smallScenario, `"ineffective_probability": 0.25`, `"ineffective_probability": 2`, 1)
	typo := strings.Replace(smallScenario, `"warmup_days"`, `"warm_up_days"`, 1)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "--scenario is required"},
		{[]string{"--scenario", "tomorrow"}, 2, `no built-in scenario or file "tomorrow"`},
		{[]string{"--scenario", "today", "--replications", "0"}, 2, "--replications must be between"},
		{[]string{"--scenario", "today", "--workers", "-1"}, 2, "--workers"},
		{[]string{"--scenario", "/no/such/file.json"}, 1, "no such file"},
		{[]string{"--scenario", writeScenario(t, bad)}, 1, "ineffective_probability: must be between 0 and 1"},
		{[]string{"--scenario", writeScenario(t, typo)}, 1, `unknown field "warm_up_days"`},
		{[]string{"--scenario", "today", "extra"}, 2, "unexpected argument"},
	} {
		code, _, errs := runSimulateCmd(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("simulate %v: exit %d, stderr %q; want exit %d with %q", c.args, code, errs, c.code, c.want)
		}
	}
}

// TestSimulateCalibrateHook: when a calibration source is installed, the
// --calibrate-from flag appears and its facts become the scenario.
func TestSimulateCalibrateHook(t *testing.T) {
	defer func(old func(context.Context, *Main, string) (sim.Calibration, error)) { simCalibrationSource = old }(simCalibrationSource)
	simCalibrationSource = nil
	if code, _, errs := runSimulateCmd(t, "--calibrate-from", "x"); code != 2 || !strings.Contains(errs, "flag provided but not defined") {
		t.Fatalf("without a source: exit %d, %q", code, errs)
	}
	var got string
	simCalibrationSource = func(_ context.Context, _ *Main, source string) (sim.Calibration, error) {
		got = source
		return sim.Calibration{Name: "fitted", ArrivalsPerDay: 1, GeneralRooms: 5, TrialDays: []float64{2, 3, 4},
			HorizonDays: 365, IneffectiveRate: 0.2, RelistDelayDays: []float64{60, 90}}, nil
	}
	code, out, errs := runSimulateCmd(t, "--calibrate-from", "sqlite:cases.db", "--replications", "3", "--json")
	if code != 0 || got != "sqlite:cases.db" || !strings.Contains(out, `"name": "fitted"`) {
		t.Errorf("exit %d, source %q, stderr %q, output %.200s", code, got, errs, out)
	}
	if code, _, errs := runSimulateCmd(t, "--calibrate-from", "x", "--scenario", "today"); code != 2 || !strings.Contains(errs, "not both") {
		t.Errorf("both: exit %d, %q", code, errs)
	}
	if _, err := simScenarioFromCalibration(sim.Calibration{ArrivalsPerDay: 1}); err == nil || !strings.Contains(err.Error(), "trial_days") {
		t.Errorf("calibration without trial lengths: %v", err)
	}
}
