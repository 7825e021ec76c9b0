package web_test

import (
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
)

// Restricted material in Chromium (ADR 0402): the police supervisor names
// the disclosure officer and the CPS manager the reviewing prosecutor; the
// disclosure officer stores what the GP sent, opens it with a
// justification, and makes a redacted copy, which the Witness Care officer
// on the team then reads; the supervisor finds each access, with its
// justification, in the case's access log. Every page, and every form with its errors,
// passes axe-core at 1280 pixels and again at 320.
func TestRestrictedMaterialInChromium(t *testing.T) {
	e := newE2E(t)
	casePath := "/cases/" + url.PathEscape(testRef)
	e.s.appendAs(testRef, e.s.people["officer"].ID, "police:13", `{"type":"information_requested","occurred_at":"2026-11-20","data":{"complainant_id":"C1","request_id":"R1","material":"medical","holder":"Her GP",`+
		`"holder_belief":"She said in interview she saw her GP the next day.","line_of_enquiry":"Injuries recorded the next day bear on consent and timing.",`+
		`"necessity":"Only the record of that one visit is sought.","reason":"To see what your GP wrote after the attack.","handling":"Only the officer and the prosecutor will read it."}}`)
	e.s.appendAs(testRef, e.s.people["officer"].ID, "police:13", `{"type":"victim_informed","occurred_at":"2026-11-20","data":{"complainant_id":"C1","about":"information_requested","channel":"email","request_id":"R1"}}`)
	e.s.appendAs(testRef, e.s.people["officer"].ID, "police:13", `{"type":"information_request_sent","occurred_at":"2026-11-21","data":{"complainant_id":"C1","request_id":"R1"}}`)
	selectValue := func(id, value string) {
		t.Helper()
		e.do("select "+id, chromedp.SetValue(chromedp.ID(id), value))
	}

	// The supervisor names the disclosure officer.
	e.signIn("supervisor")
	e.visit(casePath+"/material", "Restricted material")
	e.see("Disclosure officer", "Not named yet")
	e.reflow("the restricted material page, for a supervisor")
	e.click(`a[href$="/material/designations"]`, "Name who may see restricted material")
	e.reflow("the designation form")
	e.click("main form button", "Name who may see restricted material")
	e.see("There is a problem", "Choose a person", "Say why they hold the role")
	e.reflow("the designation form with its errors")
	selectValue("user_id", e.s.people["officer"].ID)
	e.typeIn("reason", "Trained disclosure officer for the RASSO unit")
	e.click("main form button", "Restricted material")
	e.see("Designation recorded", "Priya Shah (since 25 November 2026")
	e.signOut()

	// The CPS manager names the reviewing prosecutor.
	e.signIn("manager")
	e.visit(casePath+"/material/designations", "Name who may see restricted material")
	selectValue("user_id", e.s.people["prosecutor"].ID)
	e.typeIn("reason", "Allocated on the decision to charge")
	e.click("main form button", "Restricted material")
	e.see("Ruth Adeyemi (since 25 November 2026")
	e.signOut()

	// The disclosure officer stores the material, opens it, redacts it.
	e.signIn("officer")
	e.visit(casePath+"/material", "Restricted material")
	e.click(`a[href$="/material/new"]`, "Store material received")
	e.reflow("the form to store material")
	e.click("main form button", "Store material received")
	e.see("There is a problem", "Choose the request the material answers", "Give the material a title", "Give the material's content")
	e.reflow("the form to store material, with its errors")
	selectValue("request_id", "R1")
	e.typeIn("title", "GP record of the visit on 21 November")
	e.typeIn("holder", "Dr Patel, Leeds Road Surgery")
	e.typeIn("content", "Bruising to the left arm. She said she had not slept and was frightened to go home.")
	e.click("main form button", "Restricted material")
	e.see("Material stored, encrypted", "Item M1", "Medical records held by Her GP (request R1, about Amelia Hart)")
	e.reflow("the restricted material page, for the disclosure officer")
	e.click(`a[href$="/material/M1"]`, "Open item M1")
	e.reflow("the justification form")
	e.click("main form button", "Open item M1")
	e.see("There is a problem", "Say why you need the material now")
	e.reflow("the justification form with its error")
	e.typeIn("justification", "Scheduling it on the MG6D for the prosecutor")
	e.click("main form button", "Item M1")
	e.see("GP record of the visit on 21 November", "Dr Patel, Leeds Road Surgery", "frightened to go home", "This is restricted material")
	e.reflow("restricted material, opened")
	e.typeIn("content", "Bruising to the left arm. [redacted]")
	e.typeIn("reason", "Her own words to her GP bear on no issue in the case.")
	e.click(`form[action$="/redactions"] button`, "Restricted material")
	e.see("Redacted copy saved", "Copy M1-R1", "Her own words to her GP bear on no issue in the case.")
	e.signOut()

	// The Witness Care officer on the team reads the redacted copy only.
	e.signIn("witness")
	e.visit(casePath+"/material", "Restricted material")
	e.notSee("Item M1", "Store material received")
	e.click(`a[href$="/material/M1-R1"]`, "Redacted copy M1-R1")
	e.see("Bruising to the left arm. [redacted]", "Her own words to her GP bear on no issue in the case.")
	e.notSee("frightened", "Dr Patel")
	e.reflow("a redacted copy, for the case team")
	e.signOut()

	// Every access by the named two is in the case's access log, with why.
	e.signIn("supervisor")
	e.visit(casePath+"/access-log", "Who has looked at this case")
	e.see("restricted material: view M1", "disclosure officer: Scheduling it on the MG6D for the prosecutor",
		"restricted material: upload M1", "restricted material: redact M1 as M1-R1", "disclosure officer: Her own words to her GP bear on no issue in the case.")
	e.notSee("frightened", "Dr Patel")
	t.Logf("%d pages checked with axe-core", e.pages)
}
