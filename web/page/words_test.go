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
		"commissioner":             "Commissioner for Rape and Serious Sexual Offences",
		"victim":                   "the victim, in the portal",
		"police:99":                "police:99", // not a force: shown as it is
	} {
		if got := page.AgencyName(id); got != want {
			t.Errorf("AgencyName(%q) = %q, want %q", id, got, want)
		}
	}
}

// An organisation is chosen by its name from the reference data; an ISVA
// organisation, which has none, from those the caller knows, or typed by
// name and kept as the id its name gives back.
func TestAgencyChoices(t *testing.T) {
	cs := page.AgencyChoices("cps:yorkshire_humberside", []string{page.KindPolice, page.KindCPS, page.KindISVA}, []string{"isva:rape-crisis-leeds", "police:13"})
	byValue := map[string]page.Choice{}
	for _, c := range cs {
		byValue[c.Value] = c
	}
	if len(cs) != 1+43+14+1 {
		t.Errorf("%d choices, want a blank, 43 forces, 14 CPS areas and one ISVA organisation", len(cs))
	}
	if c := byValue["police:13"]; c.Text != "West Yorkshire Police" {
		t.Errorf("police:13 is %q", c.Text)
	}
	if c := byValue["cps:yorkshire_humberside"]; c.Text != "CPS Yorkshire and Humberside" || !c.Selected {
		t.Errorf("the chosen CPS area is %+v", c)
	}
	if _, ok := byValue["wcu:13"]; ok {
		t.Error("a Witness Care Unit is offered where none was asked for")
	}
	if c := byValue["isva:rape-crisis-leeds"]; c.Text != "Rape Crisis Leeds" {
		t.Errorf("the ISVA organisation is %+v", c)
	}
	for name, want := range map[string]string{"Rape Crisis Leeds": "isva:rape-crisis-leeds", "  St Mary's  SARC ": "isva:st-mary-s-sarc", " ": ""} {
		if got := page.ISVAAgency(name); got != want {
			t.Errorf("ISVAAgency(%q) = %q, want %q", name, got, want)
		}
	}
}

// A sentence the domain wrote reads its dates as GOV.UK writes them; a
// date-time, or a string that only looks like a date, is left alone.
func TestDatesInWords(t *testing.T) {
	for in, want := range map[string]string{
		"the clock started on 2023-12-05, before the rule came into force on 2026-01-12": "the clock started on 5 December 2023, before the rule came into force on 12 January 2026",
		"due 2026-02-30":          "due 2026-02-30",
		"at 2026-01-12T10:00:00Z": "at 2026-01-12T10:00:00Z",
		"no version was in force": "no version was in force",
	} {
		if got := page.DatesInWords(in); got != want {
			t.Errorf("DatesInWords(%q) = %q, want %q", in, got, want)
		}
	}
}
