package main

import (
	"strings"
	"testing"
)

// The count after a run: acknowledged appends must be in the log at their
// version; unanswered ones may or may not be; anything else there fails it.
func TestTally(t *testing.T) {
	outcomes := []outcome{
		{ref: "A", version: 5, status: 201}, // #0 acknowledged, present
		{ref: "A", version: 6, status: 201}, // #1 acknowledged, present
		{ref: "B", status: 0},               // #2 no answer, recorded anyway
		{ref: "C", status: 0},               // #3 no answer, not recorded
		{ref: "D", status: 409},             // #4 refused, not recorded
		{status: -1},                        // #5 not sent: no write case free
	}
	found := map[int][]at{0: {{"A", 5}}, 1: {{"A", 6}}, 2: {{"B", 9}}}
	c := tally(outcomes, found)
	if !c.ok() || c.sent != 6 || c.acked != 2 || c.present != 2 || c.unanswered != 2 || c.unansweredHeld != 1 || c.refused != 1 || c.notSent != 1 {
		t.Fatalf("a clean run counted as %+v", c)
	}
	if !strings.Contains(c.String(), "nothing lost, nothing extra") {
		t.Fatalf("a clean run reported as:\n%s", c)
	}

	bad := map[string]map[int][]at{
		"lost":                 {1: {{"A", 6}}},
		"moved":                {0: {{"A", 7}}, 1: {{"A", 6}}},
		"refused but recorded": {0: {{"A", 5}}, 1: {{"A", 6}}, 4: {{"D", 3}}},
		"never sent":           {0: {{"A", 5}}, 1: {{"A", 6}}, 9: {{"E", 2}}},
		"not sent, recorded":   {0: {{"A", 5}}, 1: {{"A", 6}}, 5: {{"E", 2}}},
		"recorded twice":       {0: {{"A", 5}, {"A", 7}}, 1: {{"A", 6}}},
	}
	for name, f := range bad {
		c := tally(outcomes, f)
		if c.ok() || !strings.Contains(c.String(), "FAILED") {
			t.Errorf("%s: passed the count: %+v", name, c)
		}
	}
}
