package web_test

import (
	"context"
	"net/url"
	"testing"

	"throughline"
	"throughline/notify"

	"github.com/chromedp/chromedp"

	"throughline/internal/testwait"
	"throughline/web"
)

// The victim portal in real headless Chromium: every page passes axe-core
// (WCAG 2.x A and AA) and, at 320 CSS pixels wide (WCAG 1.4.10 Reflow),
// does not scroll sideways; GOV.UK Frontend's script starts, so "Exit this
// page" has its keyboard shortcut.
func TestVictimPortalInChromium(t *testing.T) {
	e := newE2E(t)
	if e == nil {
		return
	}
	codes := make(chan string, 10)
	outbox := &notify.DemoOutbox{}
	e.s.configure(func(ws *web.Server) {
		ws.Demo = &web.Demo{Outbox: outbox, Victim: testRef}
		ws.PortalSend = func(ctx context.Context, channel, to, subject, body string) error {
			if channel == "email" {
				codes <- sixDigits.FindString(body)
			}
			return nil
		}
	})
	code := func() string {
		t.Helper()
		select {
		case c := <-codes:
			return c
		case <-testwait.Deadline(t):
			e.fail("no sign-in code was sent")
			return ""
		}
	}

	ctx := context.Background()
	seedVictimDirectory(t, e.s)

	// Charged: the portal asks for feedback.
	appendLine(t, e.s.store.Store, testRef, `{"type":"charged","occurred_at":"2024-11-13T09:30:00Z","data":{"defendant_id":"D1","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"method":"custody"}}`)

	e.visit("/victim", "Sign in to see your case")
	e.reflow("sign-in")
	// The script has started Exit this page: it adds its indicator, which
	// shows the keyboard shortcut's progress.
	e.do("wait for GOV.UK Frontend", chromedp.WaitReady(chromedp.CSS(".govuk-frontend-supported .govuk-exit-this-page__indicator")))

	// A blank reference: the error summary passes too.
	e.click("main form button", "Sign in to see your case")
	e.see("There is a problem")
	e.reflow("sign-in error")

	e.typeIn("ref", testRef)
	e.click("main form button", "Enter your code")
	e.reflow("code")
	e.typeIn("code", "000000")
	e.click("main form button", "Enter your code")
	e.reflow("code error")
	e.typeIn("code", code())
	e.click("main form button", "Your case")
	e.see("Where your case is now", "Your Witness Care officer", "Gwen Price", "0113 496 0201", "Monday to Friday, 9am to 5pm")
	e.reflow("case")

	// What happens next, and her rights, those that matter now marked.
	e.see("What happens next", "Daniel Ross has been charged")
	e.click(`main a[href="/victim/rights"]`, "Your rights as a victim")
	e.see("7. To make a Victim Personal Statement", "12. To complain if these rights are not met", "Matters now")
	e.reflow("rights")
	e.click(`nav a[hreflang="cy"]`, "Eich hawliau fel dioddefwr")
	e.reflow("rights in Welsh")
	e.click(`nav a[hreflang="en"]`, "Your rights as a victim")
	e.click(`main a[href="/victim/case"]`, "Your case")

	// Support for her: her area's services, then those "by and for".
	e.click(`main a[href="/victim/support"]`, "Support for you")
	e.see("Example Sisters' Project (fictional)", "Example Helpline (fictional)")
	e.reflow("support services")
	e.choose("for", throughline.ForByAndFor)
	e.click(`form[action="/victim/support"] button`, "Support for you")
	e.see("Services found: 1.")
	e.reflow("support services, by and for")
	e.click(`nav a[hreflang="cy"]`, "Cymorth i chi")
	e.reflow("support services in Welsh")
	e.click(`nav a[hreflang="en"]`, "Support for you")
	e.click(`main a[href="/victim/case"]`, "Your case")

	// The feedback survey: the error, then the answer.
	e.click(`form[action="/victim/feedback"] button`, "Your case")
	e.see("There is a problem", "Choose how well we have kept you informed")
	e.reflow("feedback error")
	e.choose("rating", "4")
	e.typeIn("comment", "Kept well informed")
	e.click(`form[action="/victim/feedback"] button`, "Your case")
	e.see("Thank you for your feedback.")
	e.reflow("feedback thanks")

	e.typeIn("when", "Weekday evenings")
	e.click(`form[action="/victim/callback"] button`, "Your case")
	e.see("Thank you. We will call you back.")
	e.reflow("call-back confirmation")
	// The language switch on the answer to a form leads to the page itself.
	e.click(`nav a[hreflang="cy"]`, "Eich achos")
	e.reflow("case in Welsh, after the call back")
	e.click(`nav a[hreflang="en"]`, "Your case")

	e.click(`main a[href="/victim/preferences"]`, "How we contact you")
	e.reflow("preferences")

	// The language switch: Welsh from here on.
	e.click(`nav a[hreflang="cy"]`, "Sut rydym yn cysylltu â chi")
	e.reflow("preferences in Welsh")
	e.click(`main a[href="/victim/case"]`, "Eich achos")
	e.see("Ble mae eich achos nawr")
	e.reflow("case in Welsh")
	e.click(`form[action="/victim/sign-out"] button`, "Mewngofnodi i weld eich achos")
	e.reflow("sign-in in Welsh")
	e.typeIn("ref", testRef)
	e.click("main form button", "Rhowch eich cod")
	e.reflow("code in Welsh")

	// The demo outbox of a demonstration.
	if _, err := outbox.For("sms").Send(ctx, notify.Delivery{To: "07700 900123", Body: "Your sign-in code is 123456."}); err != nil {
		t.Fatal(err)
	}
	e.visit("/demo/outbox", "Demo outbox")
	e.see("Nothing on this page was sent to anyone", testRef, "Your sign-in code is 123456.")
	e.reflow("demo outbox")

	// The ISVA, with the victim's consent, sees the same page from the
	// staff app.
	if err := e.s.store.SetCaseMember(ctx, "test", testRef, "user", e.s.people["isva"].ID, true); err != nil {
		t.Fatal(err)
	}
	if err := e.s.store.RecordConsent(ctx, throughline.Consent{CaseRef: testRef, ComplainantID: "C1", ISVAAgency: "isva:rape-crisis-leeds", Given: true, RecordedBy: e.s.people["officer"].ID}); err != nil {
		t.Fatal(err)
	}
	e.signIn("isva")
	e.visit("/cases/"+url.PathEscape(testRef)+"/victim-view?lang=en", "Your case")
	e.see("the victim's own view", "Where your case is now")
	e.reflow("the victim's view, for the ISVA")
}

// reflow narrows the viewport to 320 CSS pixels, checks that the page does
// not scroll sideways and still passes axe-core, then widens it again.
func (e *e2e) reflow(page string) {
	e.t.Helper()
	// Back to the size it was, not the browser's default (EmulateReset):
	// wide pages after this one are checked at the width they were.
	size, err := chromedp.Run(e.ctx, chromedp.Evaluate[[]int64](`[window.innerWidth, window.innerHeight]`))
	if err != nil || len(size) != 2 {
		e.fail("measure the viewport: %v", err)
	}
	e.do("narrow the viewport", chromedp.EmulateViewport(320, 800))
	defer e.do("widen the viewport", chromedp.EmulateViewport(size[0], size[1]))
	if vw, err := chromedp.Run(e.ctx, chromedp.Evaluate[int](`window.innerWidth`)); err != nil || vw != 320 {
		e.fail("the viewport is %d pixels wide, not 320 (%v)", vw, err)
	}
	w, err := chromedp.Run(e.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		e.fail("measure %s: %v", page, err)
	}
	if w > 320 {
		wide, _ := chromedp.Run(e.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('body *')).filter(el => el.getBoundingClientRect().right > 320).slice(0, 10).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''))`))
		e.fail("%s scrolls sideways at 320px: scrollWidth %d; too wide: %v", page, w, wide)
	}
	e.checkAxe(page + " at 320px")
}

// seedVictimDirectory designates the victim's Witness Care officer on the
// test case and gives the directory how to reach her, a "by and for"
// service of her area, a national helpline, one of another area, and the
// address of Leeds Crown Court.
func seedVictimDirectory(t *testing.T, s *site) {
	t.Helper()
	ctx := context.Background()
	s.appendAs(testRef, s.people["witness"].ID, "wcu:13", `{"type":"case_team_changed","occurred_at":"2024-11-12","data":{"role":"witness_care_officer","name":"Gwen Price","handover":"First designation"}}`)
	if _, err := s.store.SaveStaffContact(ctx, "test", throughline.StaffContact{Name: "Gwen Price", Role: throughline.ContactWitnessCare, Team: "West Yorkshire Witness Care Unit",
		Agency: "wcu:13", UserID: s.people["witness"].ID, Phone: "0113 496 0201", Email: "gwen.price@witness-care.example.org", Hours: "Monday to Friday, 9am to 5pm"}); err != nil {
		t.Fatal(err)
	}
	for _, v := range []throughline.SupportService{
		{Name: "Example Sisters' Project (fictional)", Offers: "A by and for service.", For: []string{throughline.ForByAndFor, throughline.ForWomen}, Areas: []string{"13"}, Phone: "0113 496 0320", Web: "https://example.org/sisters", Hours: "Monday to Friday", CheckedOn: "2026-11-01"},
		{Name: "Example Helpline (fictional)", Offers: "Someone to listen.", For: []string{throughline.ForAll}, Areas: []string{throughline.AreaNational}, Phone: "0808 157 0900", CheckedOn: "2026-11-01"},
		{Name: "Example Valleys Line (fictional)", Offers: "Support in Gwent.", For: []string{throughline.ForAll}, Areas: []string{"62"}, Phone: "01632 960 300", CheckedOn: "2026-11-01"},
	} {
		if _, err := s.store.SaveSupportService(ctx, "test", v); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.store.SaveCourtAddress(ctx, "test", throughline.CourtAddress{Court: "leeds", Address: "The Courthouse, 1 Oxford Row, Leeds, LS1 3BG", CheckedOn: "2026-11-01"}); err != nil {
		t.Fatal(err)
	}
}
