package web_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"throughline"
	"throughline/internal/testwait"
	"throughline/web"
)

// A victim's journey in real Chromium, from sign-in to sentence, as the
// issue asks: at each stage her case page says what happens next; her
// contacts have names and numbers; the services shown are her area's and
// the filter works; she writes and changes her Victim Personal Statement,
// which the prosecutor then reads (logged), and which is closed after the
// sentence; she asks for easy read and large print; on a second case the
// prosecution is stopped and she asks for a review. Every page passes
// axe-core (WCAG 2.2 AA) at 1280 pixels and at 320 (400% zoom), some in
// Welsh.
func TestVictimJourneyInChromium(t *testing.T) {
	e := newE2E(t)
	if e == nil {
		return
	}
	codes := make(chan string, 10)
	e.s.configure(func(ws *web.Server) {
		ws.PortalSend = func(ctx context.Context, channel, to, subject, body string) error {
			if channel == "email" {
				codes <- sixDigits.FindString(body)
			}
			return nil
		}
	})
	seedVictimDirectory(t, e.s)
	signIn := func(ref string) {
		t.Helper()
		e.visit("/victim?lang=en", "Sign in to see your case")
		e.typeIn("ref", ref)
		e.click("main form button", "Enter your code")
		select {
		case c := <-codes:
			e.typeIn("code", c)
		case <-testwait.Deadline(t):
			e.fail("no sign-in code was sent")
		}
		e.click("main form button", "Your case")
	}
	record := func(lines ...string) {
		t.Helper()
		for _, l := range lines {
			appendLine(t, e.s.store.Store, testRef, l)
		}
	}
	casePage := func(what string, see ...string) {
		t.Helper()
		e.visit("/victim/case", "Your case")
		e.see(see...)
		e.reflow(what)
	}

	// Charged: who to call, and what happens next.
	record(`{"type":"charged","occurred_at":"2026-11-02T09:30:00Z","data":{"defendant_id":"D1","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"method":"custody"}}`)
	signIn(testRef)
	e.see("Daniel Ross has been charged", "Your Witness Care officer", "Gwen Price", "0113 496 0201", "Monday to Friday, 9am to 5pm")
	e.reflow("case, charged")
	e.click(`main a[href="/victim/support"]`, "Support for you")
	e.see("Example Sisters' Project (fictional)", "Example Helpline (fictional)")
	if strings.Contains(e.bodyText(), "Example Valleys Line") {
		e.fail("a service of another area is shown")
	}
	e.choose("for", throughline.ForByAndFor)
	e.click(`form[action="/victim/support"] button`, "Support for you")
	e.see("Services found: 1.", "Example Sisters' Project (fictional)")
	e.reflow("support, by and for")

	// Sent to the Crown Court: waiting for a trial date.
	record(`{"type":"hearing_listed","occurred_at":"2026-11-02","data":{"hearing_id":"H1","kind":"first_appearance","court":"leeds_magistrates","starts_at":"2026-11-03T10:00:00Z","listing":"fixture"}}`,
		`{"type":"hearing_held","occurred_at":"2026-11-03","data":{"hearing_id":"H1","outcome":"effective"}}`,
		`{"type":"sent_to_crown_court","occurred_at":"2026-11-03","data":{"defendant_id":"D1","court":"leeds"}}`)
	casePage("case, waiting for a trial", "It is waiting for a trial date", "It is not because of anything you did")

	// The trial is listed, with the measures granted her: where the court is.
	record(`{"type":"special_measures_applied","occurred_at":"2026-11-10","data":{"complainant_id":"C1","measures":["screens","s28_pre_recorded_cross_examination"]}}`,
		`{"type":"special_measures_decided","occurred_at":"2026-11-20","data":{"complainant_id":"C1","granted":["screens","s28_pre_recorded_cross_examination"]}}`,
		`{"type":"hearing_listed","occurred_at":"2026-11-20","data":{"hearing_id":"H3","kind":"trial","court":"leeds","starts_at":"2027-03-08T10:00:00Z","listing":"fixture"}}`)
	casePage("case, before the trial", "The trial is set for Monday 8 March 2027 at 10am, at Leeds Crown Court", "A screen, so that you do not see",
		"recorded on video before the trial", "Leeds Crown Court, The Courthouse, 1 Oxford Row, Leeds, LS1 3BG")

	// Her Victim Personal Statement: nothing written is an error; then
	// written, and changed.
	e.click(`main a[href="/victim/statement"]`, "Your Victim Personal Statement")
	e.reflow("statement")
	e.click(`form[action="/victim/statement"] button`, "Your Victim Personal Statement")
	e.see("There is a problem", "Write your statement, or tick the box to ask for help")
	e.reflow("statement error")
	e.typeIn("text", "I have not slept properly since.")
	e.click(`form[action="/victim/statement"] button`, "Your case")
	e.see("We have saved your Victim Personal Statement")
	e.click(`main a[href="/victim/statement"]`, "Your Victim Personal Statement")
	e.typeIn("text", "I have not slept properly since. I left my job.")
	e.click(`form[action="/victim/statement"] button`, "Your case")
	e.click(`nav a[hreflang="cy"]`, "Eich achos")
	e.click(`main a[href="/victim/statement"]`, "Eich Datganiad Personol Dioddefwr")
	e.reflow("statement in Welsh")
	e.click(`nav a[hreflang="en"]`, "Your Victim Personal Statement")

	// A guilty plea; the sentence is listed. The prosecutor reads her
	// statement on the case record, and the look is logged.
	record(`{"type":"verdict","occurred_at":"2026-11-24","data":{"defendant_id":"D1","result":"guilty_plea"}}`,
		`{"type":"hearing_vacated","occurred_at":"2026-11-24","data":{"hearing_id":"H3","reason":"guilty plea"}}`,
		`{"type":"hearing_listed","occurred_at":"2026-11-24","data":{"hearing_id":"H4","kind":"sentence","court":"leeds","starts_at":"2026-12-18T10:00:00Z","listing":"fixture"}}`)
	casePage("case, before the sentence", "Daniel Ross is guilty", "the sentence on Friday 18 December 2026, at Leeds Crown Court", "Victim Personal Statement")
	e.signIn("prosecutor")
	e.visit("/cases/"+url.PathEscape(testRef), testRef)
	e.see("Victim Personal Statement, 25 November 2026", "I have not slept properly since. I left my job.")
	cs, err := e.s.store.Consultations(context.Background(), throughline.ConsultationFilter{CaseRef: testRef, UserID: e.s.people["prosecutor"].ID})
	if err != nil || len(cs) == 0 || !slices.Contains(cs[0].Parts, throughline.PartVictim) {
		e.fail("the prosecutor's reading of her statement is not logged: %v %+v", err, cs)
	}
	e.signOut()

	// Sentenced: she comes back; the statement can no longer change.
	e.s.clock.Advance(24 * 24 * time.Hour)
	record(`{"type":"sentenced","occurred_at":"2026-12-18","data":{"defendant_id":"D1","custodial_months":96}}`)
	signIn(testRef)
	e.see("Daniel Ross has been sentenced", "Victim Contact Scheme")
	e.reflow("case, sentenced")
	e.click(`main a[href="/victim/statement"]`, "Your Victim Personal Statement")
	e.see("The sentence has been passed, so your statement can no longer be changed.", "I left my job.")
	e.reflow("statement, after the sentence")

	// Easy read and large print, as she asks for them.
	e.click(`nav a[href="/victim/preferences"]`, "How we contact you")
	e.choose("formats", "easy_read")
	e.choose("formats", "large_print")
	e.click(`form[action="/victim/preferences"] button`, "Your case")
	e.see("Easy read", "The judge has decided the punishment.")
	e.reflow("case in easy read and large print")
	e.click(`main a[href="/victim/rights"]`, "Your rights as a victim")
	e.see("You can be told when they leave prison.")
	e.reflow("rights in easy read and large print")
	e.visit("/victim/case", "Your case")
	e.click(`form[action="/victim/sign-out"] button`, "Sign in to see your case")

	// A second case: the CPS stops it, and she asks for a review.
	const stopped = "13RS0000300/26"
	for _, l := range []string{
		`{"type":"case_opened","occurred_at":"2025-03-10","data":{"force":"13","cps_area":"yorkshire_humberside","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"Leah Morgan","language":"en"}],"suspects":[{"id":"D1","name":"Owen Pike"}]}}`,
		`{"type":"contact_preferences_set","occurred_at":"2025-03-11","data":{"complainant_id":"C1","channels":["email"],"email":"leah@example.org"}}`,
		`{"type":"file_submitted","occurred_at":"2026-07-01","data":{"suspect_id":"D1","purpose":"charging_decision"}}`,
		`{"type":"charging_decision","occurred_at":"2026-08-28","data":{"suspect_id":"D1","decision":"charge"}}`,
		`{"type":"charged","occurred_at":"2026-09-01T09:30:00Z","data":{"defendant_id":"D1","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"method":"bail"}}`,
		`{"type":"prosecution_stopped","occurred_at":"2026-12-11","data":{"defendant_id":"D1","how":"discontinued"}}`,
	} {
		appendLine(t, e.s.store.Store, stopped, l)
	}
	signIn(stopped)
	e.see("The CPS stopped the case against Owen Pike", "Please ask by")
	e.reflow("case, stopped")
	e.click(`main a[href="/victim/rights"]`, "Your rights as a victim")
	e.see("You can ask for a decision in your case to be looked at again.")
	e.click(`main .govuk-inset-text a[href="/victim/review"]`, "Ask for a decision to be looked at again")
	e.visit("/victim/case", "Your case")
	e.click(`main a[href="/victim/review"]`, "Ask for a decision to be looked at again")
	e.see("On Friday 11 December 2026 the Crown Prosecution Service (CPS) stopped the case against Owen Pike.",
		// 10 working days: Christmas Day and Monday 28 December (the Boxing Day holiday) are not.
		"Please ask by Tuesday 29 December 2026 if you can. We can still look at it if you ask by Thursday 11 March 2027.")
	e.reflow("review")
	e.click(`nav a[hreflang="cy"]`, "Gofyn i rywun edrych ar benderfyniad eto")
	e.reflow("review in Welsh")
	e.click(`nav a[hreflang="en"]`, "Ask for a decision to be looked at again")
	e.click(`form[action="/victim/review"] button`, "Your case")
	e.see("We have your request for a review", "You asked for this decision to be looked at again")
	e.reflow("review asked")
	evs, err := e.s.store.Events(context.Background(), stopped)
	if err != nil || evs[len(evs)-1].Type != throughline.TypeReviewRequested || evs[len(evs)-1].Actor != "victim:C1" {
		e.fail("her request for a review is not recorded: %v", err)
	}
}

// The staff side of the victim's pages in Chromium, axe-core at 1280 and
// 320 pixels: a police supervisor's victims' feedback with what victims
// wrote; an administrator's directory and its forms, a court's address
// refused then added.
func TestFeedbackAndDirectoryInChromium(t *testing.T) {
	e := newE2E(t)
	if e == nil {
		return
	}
	ctx := context.Background()
	seedVictimDirectory(t, e.s)
	for _, f := range []throughline.Feedback{
		{CaseRef: testRef, ComplainantID: "C1", Stage: "charge", Rating: 2, Comment: "Nobody told me about the hearing."},
		{CaseRef: testRef, ComplainantID: "C1", Stage: "verdict", Rating: 5},
	} {
		if err := e.s.store.GiveFeedback(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	e.signIn("supervisor")
	e.visit("/dashboard/feedback", "Victims' feedback: West Yorkshire Police and England and Wales")
	e.see("After the charge", "What victims wrote: West Yorkshire Police", "Nobody told me about the hearing.")
	e.reflow("victims' feedback")
	e.signOut()

	e.signIn2("admin", "Today")
	e.visit("/admin/directory", "Contacts and support services")
	e.see("Courts' addresses", "Leeds Crown Court", "The Courthouse, 1 Oxford Row, Leeds, LS1 3BG")
	e.reflow("the directory")
	e.visit("/admin/directory/contacts/new", "Add a contact")
	e.reflow("add a contact")
	e.visit("/admin/directory/services/new", "Add a support service")
	e.reflow("add a support service")
	e.visit("/admin/directory/courts/new", "Add a court's address")
	e.do("choose Leeds Crown Court", chromedp.Evaluate[chromedp.Void](`document.getElementById("court").value = "leeds"`))
	e.typeIn("address", "Somewhere else")
	e.choose("checked_on", "today")
	e.click(`main form button`, "Add a court's address")
	e.see("There is a problem", "This court has an address already")
	e.reflow("a court's address refused")
	e.do("choose Leeds Magistrates' Court", chromedp.Evaluate[chromedp.Void](`document.getElementById("court").value = "leeds_magistrates"`))
	e.click(`main form button`, "Contacts and support services")
	e.see("Court's address saved", "Leeds Magistrates' Court", "Somewhere else")
}
