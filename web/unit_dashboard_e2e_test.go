package web_test

import (
	"testing"

	"throughline"
)

// The unit dashboards in real Chromium, checked with axe-core (WCAG 2.2 A
// and AA) at 1280 and 320 CSS pixels wide: a police supervisor's, reached
// from the navigation, and a CPS manager's over a chosen period.
func TestUnitDashboardsInChromium(t *testing.T) {
	e := newE2E(t)
	e.s.addPerson("lead-cps", "Cal Lead", throughline.RoleCPSManager, "cps:yorkshire_humberside")
	e.s.seedCases(300)

	e.signIn("supervisor")
	e.visit("/dashboard", "Measures: West Yorkshire Police and England and Wales")
	e.click(`a[href="/dashboard/unit"]`, "Your unit: West Yorkshire Police")
	e.see("Action items overdue today on open cases, by owner", "Reasons files were not acceptable", "Who held the cases closed in the period")
	e.reflow("a police supervisor's unit dashboard")
	e.signOut()

	e.signIn("lead-cps")
	e.visit("/dashboard/unit?from=2024Q1&to=2026Q4", "Your unit: CPS Yorkshire and Humberside")
	e.see("Files not acceptable, by quarter", "Download these figures as a spreadsheet (CSV)")
	e.reflow("a CPS manager's unit dashboard")
}
