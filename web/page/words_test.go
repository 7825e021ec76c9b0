package page_test

import (
	"testing"

	"throughline/web/page"
)

// Organisations appear by name, never by their ids.
func TestAgencyName(t *testing.T) {
	for id, want := range map[string]string{
		"police:13":                "West Yorkshire Police",
		"wcu:13":                   "Witness Care Unit (West Yorkshire Police)",
		"cps:yorkshire_humberside": "CPS Yorkshire and Humberside",
		"isva:rape-crisis-leeds":   "Rape Crisis Leeds",
		"isva:ölwen-support":       "Ölwen Support",
		"inspectorate":             "HM Inspectorate",
		"police:99":                "police:99", // not a force: shown as it is
	} {
		if got := page.AgencyName(id); got != want {
			t.Errorf("AgencyName(%q) = %q, want %q", id, got, want)
		}
	}
}
