package web_test

import (
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
)

// The journey in Chromium: the prosecutor issues a plan, the
// officer does one action and disputes the other, a police supervisor and
// a CPS manager settle the dispute, and the case page shows the plan
// complete and who the case waited on, day by day; every page passes
// axe-core, and the plan form and the case page reflow at 320 pixels.
func TestCollaborationInChromium(t *testing.T) {
	e := newE2E(t)
	casePath := "/cases/" + url.PathEscape(testRef)

	e.signIn("prosecutor")
	// The other forms of the joint work, each through axe-core.
	e.visit(casePath+"/record/file_quality_assessed", "Record a file-quality assessment")
	e.reflow("the file-quality form")
	e.visit(casePath+"/record/case_conference_held", "Record a case conference")
	e.reflow("the case conference form")
	e.visit(casePath+"/record/case_team_changed", "Change the officer, prosecutor or Witness Care officer")
	e.visit(casePath+"/record/action_plan_issued", "Issue an action plan")
	e.reflow("the action plan form")
	e.do("choose categories", chromedp.Evaluate[chromedp.Void](`document.getElementById('item1-category').value = 'digital'; document.getElementById('item2-category').value = 'third_party_material'`))
	for _, it := range []struct{ n, what, who, day string }{{"1", "Download the complainant's phone", "DC Priya Shah", "18"}, {"2", "Obtain the counselling records", "", "21"}} {
		e.typeIn("item"+it.n+"-description", it.what)
		e.choose("item"+it.n+"-owner", "police")
		if it.who != "" {
			e.typeIn("item"+it.n+"-owner_name", it.who)
		}
		e.typeIn("item"+it.n+"-due-day", it.day)
		e.typeIn("item"+it.n+"-due-month", "12")
		e.typeIn("item"+it.n+"-due-year", "2026")
	}
	e.click("main form button", testRef)
	e.see("Action plan issued", "Action plan issued 25 November 2026 by the CPS", "Download the complainant's phone", "Police: DC Priya Shah")
	e.signOut()

	e.signIn("officer")
	e.visit(casePath+"/record/file_submitted", "Record a file sent to the CPS")
	e.reflow("the file form")
	e.visit(casePath+"/record/file_quality_answered", "Answer a file-quality reason")
	e.visit(casePath+"/record/action_item_completed", "Record an action done")
	e.choose("plan_id", "P1|1")
	e.click("main form button", testRef)
	e.visit(casePath+"/record/action_item_disputed", "Dispute an action")
	e.choose("plan_id", "P1|2")
	e.typeIn("reason", "Not a reasonable line of enquiry: nothing suggests the records bear on an issue")
	e.click("main form button", testRef)
	e.see("Disputed", "Not a reasonable line of enquiry")
	e.signOut()

	for _, key := range []string{"supervisor", "manager"} {
		e.signIn(key)
		e.visit(casePath+"/record/dispute_resolved", "Settle a dispute")
		e.choose("dispute", "p:P1|2")
		e.choose("outcome", "withdrawn")
		e.typeIn("note", "Agreed on the phone: the request is withdrawn")
		e.click("main form button", testRef)
		e.signOut()
	}

	e.signIn("officer")
	e.visit(casePath, testRef)
	e.see("(complete)", "Cancelled", "Withdrawn when the dispute was settled", "Who the case has waited on", "Of its 1045 days: ")
	// The days each party held the case add up to its age (15 January 2024
	// to 25 November 2026).
	held := regexp.MustCompile(`Of its (\d+) days: ([^.]*)\.`).FindStringSubmatch(e.bodyText())
	sum := 0
	for _, n := range regexp.MustCompile(`(\d+) days?`).FindAllStringSubmatch(held[2], -1) {
		d, _ := strconv.Atoi(n[1])
		sum += d
	}
	if held[1] != "1045" || sum != 1045 {
		e.fail("the days held (%s) add up to %d, not the case's age %s", held[2], sum, held[1])
	}
	e.reflow("the case page")
	t.Logf("%d pages checked with axe-core", e.pages)
}
