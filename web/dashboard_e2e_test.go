package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"throughline"
)

// The dashboards in real Chromium, checked with axe-core (WCAG 2.2 A and
// AA) at 1280 and at 320 CSS pixels wide: the commissioner's, national,
// reached from signing in and changed with the filters; and a police
// supervisor's, their force beside the national figure. The information
// requests' table and charts too.
func TestDashboardsInChromium(t *testing.T) {
	e := newE2E(t)
	e.s.addPerson("commissioner", "Grace Whitfield", throughline.RoleCommissioner, "commissioner")
	e.s.seedCases(300)
	e.s.seedRequests(60)

	e.signIn2("commissioner", "Measures: England and Wales")
	e.see("Time taken, in calendar days", "Report to trial by quarter", "Report to trial by police force", "Download these figures as a spreadsheet (CSV)")
	e.reflow("the commissioner's dashboard")
	// The filters: a GET form, no script needed.
	e.do("choose a measure", chromedp.Evaluate[chromedp.Void](`document.getElementById("measure").value = "charge_rate"`))
	e.do("choose a comparison", chromedp.Evaluate[chromedp.Void](`document.getElementById("by").value = "area"`))
	e.click(".app-dashboard-filters button", "Measures: England and Wales")
	e.see("Charge rate by quarter", "Charge rate by CPS area", "Cases decided, by outcome, England and Wales")
	e.reflow("the commissioner's dashboard, charge rate by CPS area")
	e.visit("/dashboard?from=2026Q1&measure=information_requests", "Measures: England and Wales")
	e.see("Information requests and device extraction", "Victim information requests made by quarter", "Victim information requests made, by when she was told, England and Wales")
	e.reflow("the commissioner's dashboard, information requests")
	e.visit("/dashboard?measure=median_mood", "Measures: England and Wales")
	e.see("There is a problem", "Select a measure in the list")
	e.signOut()

	e.signIn("supervisor")
	e.visit("/dashboard?from=2021Q1&measure=victims_code", "Measures: West Yorkshire Police and England and Wales")
	e.see("Victims' Code duties met on time by quarter", "West Yorkshire Police (yours)", "Victims' Code duties met on time, by duty, West Yorkshire Police")
	e.reflow("a police supervisor's dashboard")
}

// A case-file review in real Chromium, every page through axe-core at 1280
// and 320 pixels: the list and form (and its errors), the review drawn, a
// reviewer's answers about one case, and a case of its sample read
// pseudonymised.
func TestCaseFileReviewInChromium(t *testing.T) {
	e := newE2E(t)
	e.s.seedCases(300)
	e.signIn("inspector")
	e.visit("/reviews", "Case-file reviews")
	e.reflow("the case-file reviews")
	e.typeIn("title", "")
	e.typeIn("days", "400")
	e.click("main form button", "Case-file reviews")
	e.see("There is a problem", "Enter a title for the review", "from 1 to 90")
	e.reflow("the case-file review form with errors")
	e.typeIn("title", "Joint thematic inspection 2026")
	e.typeIn("days", "28")
	e.choose("by", "area")
	e.click("main form button", "Joint thematic inspection 2026")
	e.see("Reviewing inspectors", "Sam Okoro", "Access to the cases", "cases drawn")
	e.reflow("a case-file review")
	e.click(`main table a[href^="/reviews/"]`, "Your answers about")
	e.see("Victim communication", "Read the case")
	e.reflow("a reviewer's answers about a case")
	e.choose("answer-1", "partly")
	e.typeIn("finding-1", "Told of the charge late")
	e.click("main form button", "Joint thematic inspection 2026")
	e.see("Answers so far, all reviewers", "1 of 5")
	e.click(`main table a[href^="/cases/"]`, "")
	e.see("Complainant ")
	e.reflow("a case of the review, pseudonymised")
}
