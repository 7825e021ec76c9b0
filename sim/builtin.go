package sim

import (
	"embed"
	"fmt"
	"sort"
	"strings"
)

// The built-in scenarios are the JSON files in sim/scenarios, embedded in the
// binary so the notes that document their sources travel with them; a planner
// copies one and edits the copy.
//
//go:embed scenarios/*.json
var builtinFS embed.FS

// Builtins lists the names of the built-in scenarios, sorted.
func Builtins() []string {
	entries, _ := builtinFS.ReadDir("scenarios")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".json"))
	}
	sort.Strings(names)
	return names
}

// Builtin returns the built-in scenario with the given name and its JSON.
func Builtin(name string) (Scenario, []byte, error) {
	if strings.ContainsAny(name, "/\\.") {
		return Scenario{}, nil, fmt.Errorf("no built-in scenario %q (have %s)", name, strings.Join(Builtins(), ", "))
	}
	data, err := builtinFS.ReadFile("scenarios/" + name + ".json")
	if err != nil {
		return Scenario{}, nil, fmt.Errorf("no built-in scenario %q (have %s)", name, strings.Join(Builtins(), ", "))
	}
	s, err := ParseScenario(data)
	if err != nil {
		return Scenario{}, nil, fmt.Errorf("built-in scenario %q: %w", name, err)
	}
	return s, data, nil
}
