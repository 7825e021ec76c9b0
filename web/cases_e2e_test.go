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
