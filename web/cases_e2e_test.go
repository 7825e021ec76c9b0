package web_test

import (
	"testing"
)

// The case list fits a 320-pixel screen (WCAG 1.4.10 Reflow) without
// scrolling sideways, for an officer's full columns and for an ISVA's, and
// passes axe-core at both widths.
func TestCaseListReflowsInChromium(t *testing.T) {
	e := newE2E(t)
	if e == nil {
		return
	}
	e.s.seedToday()
	// The list names whom the log designates (ADR 0326).
	e.s.appendAs(chargedRef, e.s.people["officer"].ID, "police:13", `{"type":"case_team_changed","occurred_at":"2026-11-24","data":{"role":"officer_in_case","name":"DC Priya Shah","handover":"First designation"}}`)
	e.signIn("officer")
	e.visit("/cases", "Your cases")
	e.see(chargedRef, "Amelia Hart", "Officer in the case", "Priya Shah")
	e.reflow("the officer's case list")
	e.signOut()

	e.signIn("isva")
	e.visit("/cases", "Your cases")
	e.see(chargedRef)
	e.notSee("Officer in the case")
	e.reflow("the ISVA's case list")
}
