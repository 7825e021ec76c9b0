package sim

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"throughline/refdata"
)

const minimalScenario = `{
  "name": "minimal",
  "horizon_days": 3650,
  "warmup_days": 365,
  "arrivals": {"process": "poisson", "per_day": 8},
  "courtrooms": {"general": 40, "specialist": 0},
  "trial_days": {"dist": "exponential", "mean": 4},
  "ineffective_probability": 0.25,
  "relist_delay_days": {"dist": "lognormal", "mean": 120, "sd": 60},
  "withdrawal": {"hazard_per_year": 0.1}
}`

func TestParseMinimalScenario(t *testing.T) {
	s, err := ParseScenario([]byte(minimalScenario))
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "minimal" || s.Arrivals.PerDay != 8 || s.Courtrooms.General != 40 || *s.TrialDays.Mean != 4 ||
		s.IneffectiveProbability != 0.25 || *s.RelistDelayDays.SD != 60 || s.Withdrawal.HazardPerYear != 0.1 {
		t.Errorf("decoded %+v", s)
	}
	// JSON() writes what ParseScenario reads back unchanged.
	b, err := s.JSON()
	if err != nil {
		t.Fatal(err)
	}
	again, err := ParseScenario(b)
	if err != nil {
		t.Fatalf("re-parse: %v\n%s", err, b)
	}
	if !reflect.DeepEqual(s, again) {
		t.Errorf("round trip changed the scenario:\n%+v\n%+v", s, again)
	}
}

func TestNotesStringOrList(t *testing.T) {
	for _, notes := range []string{`"one note"`, `["one note"]`} {
		s, err := ParseScenario([]byte(strings.Replace(minimalScenario, `"name": "minimal",`, `"name": "minimal", "notes": `+notes+`,`, 1)))
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Notes) != 1 || s.Notes[0] != "one note" {
			t.Errorf("notes %s decoded as %q", notes, s.Notes)
		}
	}
	if _, err := ParseScenario([]byte(strings.Replace(minimalScenario, `"name": "minimal",`, `"name": "minimal", "notes": 3,`, 1))); err == nil {
		t.Error("numeric notes accepted")
	}
}

// TestParseScenarioErrors checks that decoding is strict and that every
// validation error names its field.
func TestParseScenarioErrors(t *testing.T) {
	replace := func(old, new string) string {
		if !strings.Contains(minimalScenario, old) {
			t.Fatalf("test bug: %q not in the scenario", old)
		}
		return strings.Replace(minimalScenario, old, new, 1)
	}
	cases := []struct {
		name, json, want string
	}{
		{"unknown field", replace(`"ineffective_probability"`, `"ineffective_probabilty"`), `unknown field "ineffective_probabilty"`},
		{"unknown nested field", replace(`"per_day": 8`, `"per_day": 8, "rate": 3`), `unknown field "rate"`},
		{"wrong type", replace(`"per_day": 8`, `"per_day": "8"`), `line 5: field "arrivals.per_day"`},
		{"syntax", replace(`"per_day": 8}`, `"per_day": 8`), "line "},
		{"trailing data", minimalScenario + `{}`, "after the JSON object"},
		{"empty", ``, "empty input"},
		{"no name", replace(`"name": "minimal"`, `"name": ""`), "name: required"},
		{"horizon", replace(`"horizon_days": 3650`, `"horizon_days": -1`), "horizon_days: must be greater than 0"},
		{"warm-up", replace(`"warmup_days": 365`, `"warmup_days": 4000`), "warmup_days: must be at least 0 and less than horizon_days"},
		{"process", replace(`"poisson"`, `"batch"`), `arrivals.process: unknown process "batch"`},
		{"rate", replace(`"per_day": 8`, `"per_day": -8`), "arrivals.per_day: must be between 0"},
		{"rooms", replace(`"general": 40`, `"general": -1`), "courtrooms.general: must be between 0"},
		{"probability", replace(`"ineffective_probability": 0.25`, `"ineffective_probability": 1.5`), "ineffective_probability: must be between 0 and 1"},
		{"relist needed", replace(`"relist_delay_days": {"dist": "lognormal", "mean": 120, "sd": 60},`, ``), "relist_delay_days: required"},
		{"trial dist", replace(`"mean": 4}`, `"mean": 0}`), `trial_days: "mean" must be greater than 0`},
		{"lognormal pairs", replace(`"mean": 120, "sd": 60`, `"mean": 120, "sigma": 0.5`), "relist_delay_days: lognormal takes either"},
		{"hazard", replace(`"hazard_per_year": 0.1`, `"hazard_per_year": -0.1`), "withdrawal.hazard_per_year: must be between 0"},
		{"too many cases", replace(`"per_day": 8`, `"per_day": 90000`), "arrivals: about"},
		{"sitting both", replace(`"specialist": 0}`, `"specialist": 0, "sitting_days_per_week": 5, "sitting_days_per_year": 230}`), "not both"},
		{"share", replace(`"specialist": 0}`, `"specialist": 0, "general_rasso_share": 0}`), "courtrooms.general_rasso_share"},
		{"areas and top-level rate", replace(`"withdrawal"`, `"areas": [{"id": "a", "per_day": 1}], "withdrawal"`), "arrivals.per_day: give per_day in each area"},
		{"floater without share", replace(`"ineffective_probability": 0.25`, `"ineffective_probability": 0.25, "floater_ineffective_probability": 0.5`), "floater_ineffective_probability: has no effect"},
	}
	for _, c := range cases {
		_, err := ParseScenario([]byte(c.json))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.name, err, c.want)
		}
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	s := Scenario{HorizonDays: 10, Arrivals: &Arrivals{PerDay: -1}, Courtrooms: &Courtrooms{}, CrackedProbability: 2}
	err := s.Validate()
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("error %v does not wrap ErrInvalid", err)
	}
	for _, field := range []string{"name:", "arrivals.per_day:", "trial_days:", "cracked_probability:"} {
		if !strings.Contains(err.Error(), field) {
			t.Errorf("error does not mention %s:\n%v", field, err)
		}
	}
}

func TestAreasScenario(t *testing.T) {
	s, err := ParseScenario([]byte(`{"name": "areas", "horizon_days": 100,
		"courtrooms": {"sitting_days_per_week": 5},
		"areas": [{"id": "south_east", "per_day": 1, "general": 3, "specialist": 4},
		          {"id": "wessex", "per_day": 0.5, "general": 2, "initial_backlog": 30}],
		"trial_days": {"dist": "constant", "value": 3}}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Areas) != 2 || s.Areas[0].Specialist != 4 || s.Areas[1].InitialBacklog != 30 {
		t.Errorf("areas decoded as %+v", s.Areas)
	}
	dup := `{"name": "x", "horizon_days": 100, "courtrooms": {}, "trial_days": {"dist": "constant", "value": 3},
		"areas": [{"id": "a", "per_day": 1}, {"id": "a", "per_day": 1}]}`
	if _, err := ParseScenario([]byte(dup)); err == nil || !strings.Contains(err.Error(), `areas[1].id: duplicate area "a"`) {
		t.Errorf("duplicate area: %v", err)
	}
}

func TestBuiltins(t *testing.T) {
	names := Builtins()
	if !reflect.DeepEqual(names, []string{"specialist-courts", "today"}) {
		t.Fatalf("Builtins() = %v", names)
	}
	for _, name := range names {
		s, data, err := Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		if s.Name != name || len(s.Notes) == 0 || len(data) == 0 {
			t.Errorf("%s: name %q, %d notes", name, s.Name, len(s.Notes))
		}
	}
	if _, _, err := Builtin("../today"); err == nil {
		t.Error("path accepted as a built-in name")
	}
	if _, _, err := Builtin("tomorrow"); err == nil || !strings.Contains(err.Error(), "specialist-courts, today") {
		t.Errorf("unknown built-in: %v", err)
	}
}

// TestBuiltinAreasAreCPSAreas keeps the built-ins' area ids in step with the
// reference data, so results join to the rest of Throughline.
func TestBuiltinAreasAreCPSAreas(t *testing.T) {
	for _, name := range Builtins() {
		s, _, _ := Builtin(name)
		for _, a := range s.Areas {
			if _, ok := refdata.LookupCPSArea(a.ID); !ok {
				t.Errorf("%s: area %q is not a CPS area in refdata", name, a.ID)
			}
		}
	}
}
