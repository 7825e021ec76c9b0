package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A day's work per role in real Chromium, every page checked with axe-core
// (WCAG 2.2 AA) at 1280 and at 320 pixels wide: sign in, land on today,
// act on the first item, and see it leave the list.
func TestTodayJourneysInChromium(t *testing.T) {
	e := newE2E(t)
	if e == nil {
		return
	}
	e.narrowToo = true
	e.s.seedToday()
	e.s.seedAdminToday()
	charged, file := url.PathEscape(chargedRef), url.PathEscape(fileRef)

	// The officer tells the victim of the charge, from the overdue duty.
	e.signIn("officer")
	e.see("Victim told of the charge", "Amelia Hart", "Daniel Ross")
	e.click(`main a[href^="/cases/`+charged+`/record/victim_informed?about=charged"]`, "Record that the victim was told")
	e.choose("channel", "phone")
	e.typeIn("called_at", "8:30am")
	e.click("main form button", chargedRef)
	e.visit("/today", "Today")
	e.notSee("Victim told of the charge")
	e.signOut()

	// The prosecutor decides on the file that has waited longest.
	e.signIn("prosecutor")
	e.see("Files waiting for the CPS", "Daniel Ross")
	e.click(`main a[href^="/cases/`+file+`/record/charging_decision"]`, "Record a charging decision")
	e.choose("decision", "charge")
	e.click("main form button", fileRef)
	e.visit("/today", "Today")
	e.see("No file is waiting for early advice or a charging decision.")
	e.signOut()

	// Witness Care calls the victim back at the time she asked for, then
	// tells her of the hearing.
	e.signIn("witness")
	e.see("The victim asked to be called back: tomorrow after 5pm", "Amelia Hart: not told yet; prefers email; safe times weekdays after 6pm")
	e.click(`main a[href^="/cases/`+charged+`/tasks/"]`, "The victim asked to be called back")
	e.see("tomorrow after 5pm", "weekdays after 6pm")
	e.click(`main a[href^="/cases/`+charged+`/record/callback_made"]`, "Record a call-back made")
	e.choose("reached", "yes")
	e.typeIn("note", "She asked whether the PTPH is going ahead: it is, and she need not attend")
	e.typeIn("called_at", "8:40am")
	e.click("main form button", chargedRef)
	e.see("Call-back recorded", "Amelia Hart was called back and reached.")
	e.visit("/today", "Today")
	e.see("No call to make and no message waiting for a person.")
	e.click(`main a[href*="about=hearing_listed"]`, "Record that the victim was told")
	e.choose("channel", "phone")
	e.typeIn("called_at", "8:50am")
	e.click("main form button", chargedRef)
	e.visit("/today", "Today")
	e.see("Amelia Hart: told")
	e.signOut()

	// The supervisor reviews the emergency access taken on her force's
	// case; the action her officer let pass its due date is hers to chase.
	e.signIn("supervisor")
	e.see("Emergency access to review", "Kim Lee", "Workload", "Priya Shah",
		"Action plan items overdue: yours to chase", "Obtain the taxi firm's CCTV", "DC Priya Shah, Police")
	e.click(`main a[href="/access-review"]`, "Emergency access to review")
	e.choose("outcome", "justified")
	e.click("main form button", "Emergency access to review")
	e.visit("/today", "Today")
	e.see("Every emergency access has been reviewed.")
	e.signOut()

	// The CPS manager sees the area's overdue work and each prosecutor's
	// load; an action the CPS let pass its due date has escalated to her.
	// She records the first done, and it leaves her list.
	const cpsAction = "Review third-party material request"
	e.signIn("manager")
	e.see("Overdue across your agency", "Workload", "Ruth Adeyemi", "Action plan items overdue: yours to chase", cpsAction)
	before := e.count(cpsAction)
	e.click(`main a[href*="/record/action_item_completed"]`, "Record an action done")
	e.click("main form button", "13RS")
	e.visit("/today", "Today")
	if n := e.count(cpsAction); n != before-1 {
		e.fail("after recording one done, the manager's list names the action %d times; want %d", n, before-1)
	}
	e.click(`main table a[href^="/cases/"]`, "13RS")
	e.signOut()

	// The paralegal records a CPS action done from her own cases' list;
	// the police's action stays, theirs to do.
	e.signIn("paralegal")
	e.see("Open action plan items", cpsAction, "Obtain the taxi firm's CCTV")
	before = e.count(cpsAction)
	e.click(`main a[href*="/record/action_item_completed"]`, "Record an action done")
	e.click("main form button", "13RS")
	e.visit("/today", "Today")
	if n := e.count(cpsAction); n != before-1 {
		e.fail("after recording one done, the paralegal's list names the action %d times; want %d", n, before-1)
	}
	e.see("Obtain the taxi firm's CCTV")
	e.signOut()

	// The ISVA sees the dates of the victim she supports, and no more. The
	// victim asks her for a call; she passes it on in the record (ADR
	// 0322), and Witness Care has it on their list.
	e.signIn("isva")
	e.see("Hearings in the next 14 days", chargedRef, "Messages sent to the victims you support")
	e.notSee(fileRef, "Daniel Ross")
	e.click(`main a[href="/cases/`+charged+`"]`, chargedRef)
	e.click(`main a[href="/cases/`+charged+`/record"]`, "What do you want to record?")
	e.notSee("Record that the victim was told", "Record a charge")
	e.click(`main a[href="/cases/`+charged+`/record/callback_requested"]`, "Record that the victim asked to be called back")
	e.choose("complainant_id", "C1")
	e.typeIn("when", "Friday after 4pm")
	e.click("main form button", chargedRef)
	e.signOut()
	e.signIn("witness")
	e.see("The victim asked to be called back: Friday after 4pm")
	e.signOut()

	// The inspector's today names no one.
	e.signIn("inspector")
	e.see(chargedRef)
	e.notSee("Amelia Hart", "Daniel Ross")
	e.signOut()
	// The administrator lifts the lock on a colleague's sign-in, from the
	// first list, and she leaves it.
	e.signIn("admin")
	e.see("Sign-ins locked after failed attempts", "Kim Lee", "Accounts not set up yet", "Lee Grant", "Case team requests waiting for a second person", "Jo Bloggs")
	e.click(`main table a[href^="/admin/users/"]`, "Change Kim Lee")
	e.see("Sign-in locked")
	e.click("main form button", "Change Kim Lee")
	e.see("Kim Lee can sign in again")
	e.notSee("Unlock their sign-in")
	e.visit("/admin/today", "Today")
	e.see("No one is locked out.", "Lee Grant")
	e.signOut()
	t.Logf("%d pages checked with axe-core at two widths", e.pages)
}

// count is how many times the page's main part says text.
func (e *e2e) count(text string) int { return strings.Count(e.bodyText(), text) }

// notSee fails if the page's main part says any of texts.
func (e *e2e) notSee(texts ...string) {
	e.t.Helper()
	body := e.bodyText()
	for _, no := range texts {
		if strings.Contains(body, no) {
			e.fail("the page says %q:\n%s", no, body)
		}
	}
}

// checkNarrow checks the page with axe-core at 320 pixels wide, then
// returns to 1280.
func (e *e2e) checkNarrow(heading string) {
	e.t.Helper()
	e.do("narrow to 320px", chromedp.EmulateViewport(320, 800))
	e.checkAxe(heading + " at 320px")
	e.do("back to 1280px", chromedp.EmulateViewport(1280, 1024))
}
