package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"throughline/identity"
	"throughline/internal/testwait"
	"throughline/sqlstore/storetest"
	webpage "throughline/web/page"
)

// End-to-end journeys in real headless Chromium, with axe-core checking
// every page visited against WCAG 2.2 A and AA. Chromium is Debian's
// (scripts/test.sh installs it); axe-core comes from node_modules (make
// assets) and is injected by the test, never served by the app.

const chromium = "/usr/bin/chromium"

func requireAll() bool { return os.Getenv("THROUGHLINE_REQUIRE_ALL") != "" || os.Getenv("CI") != "" }

// e2e is a browser session against a site.
type e2e struct {
	t     *testing.T
	s     *site
	ctx   context.Context
	axe   string
	shots string
	pages int
	// narrowToo checks every page at 320 pixels wide as well.
	narrowToo bool
	// loaded receives when a page has loaded (the load event).
	loaded chan struct{}
}

func newE2E(t *testing.T) *e2e {
	t.Helper()
	missing := func(what string) *e2e {
		if requireAll() {
			t.Fatalf("%s: the end-to-end tests need it (make test installs it)", what)
		}
		t.Skipf("end-to-end journeys left out: %s (make test provides it; CI=true or THROUGHLINE_REQUIRE_ALL=1 fails instead)", what)
		return nil
	}
	if _, err := os.Stat(chromium); err != nil {
		return missing("no " + chromium)
	}
	axe, err := os.ReadFile(filepath.Join("..", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		return missing("no node_modules/axe-core (make assets)")
	}
	if !webpage.VendorAssets() {
		return missing("the GOV.UK Frontend assets are not embedded (make assets, then rebuild)")
	}
	shots := os.Getenv("THROUGHLINE_ARTIFACTS")
	if shots == "" {
		shots = filepath.Join(t.TempDir(), "artifacts")
	}
	shots = filepath.Join(shots, strings.ReplaceAll(t.Name(), "/", "_"))
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1024),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	// No deadline of our own: a loaded machine makes the journey slower,
	// never wrong. The test binary's -timeout is the safety net.
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	s := newSite(t, storetest.DSNs(t)["sqlite"])
	loaded := make(chan struct{}, 1)
	if err := chromedp.Listen(ctx, func(ev any) {
		if _, ok := ev.(*cdppage.EventLoadEventFired); ok {
			select {
			case loaded <- struct{}{}:
			default:
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	e := &e2e{t: t, s: s, ctx: ctx, axe: string(axe), shots: shots, loaded: loaded}
	e.validateHTML()
	return e
}

// fail takes a screenshot and fails the test.
func (e *e2e) fail(format string, args ...any) {
	e.t.Helper()
	if err := os.MkdirAll(e.shots, 0o755); err == nil {
		// The test has already failed; the bound only keeps a hung
		// browser from holding the failure back. Nothing passes or fails on it.
		ctx, cancel := context.WithTimeout(e.ctx, 10*time.Second)
		defer cancel()
		if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			name := filepath.Join(e.shots, fmt.Sprintf("failure-%02d.png", e.pages))
			os.WriteFile(name, png, 0o644)
			e.t.Logf("screenshot: %s", name)
		}
		if html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html"))); err == nil {
			os.WriteFile(filepath.Join(e.shots, fmt.Sprintf("failure-%02d.html", e.pages)), []byte(html), 0o644)
		}
	}
	e.t.Fatalf(format, args...)
}

func (e *e2e) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	e.t.Helper()
	if err := chromedp.Do(e.ctx, actions...); err != nil {
		e.fail("%s: %v", what, err)
	}
}

// page waits for a page whose h1 contains heading, then checks it with axe.
func (e *e2e) page(heading string) {
	e.t.Helper()
	e.do("wait for "+heading, chromedp.WaitVisible(chromedp.CSS("h1")))
	h1, err := chromedp.Run(e.ctx, chromedp.Text(chromedp.CSS("h1")))
	if err != nil || !strings.Contains(h1, heading) {
		e.fail("expected a page headed %q, got %q (%v)", heading, h1, err)
	}
	e.pages++
	e.checkAxe(heading)
	if e.narrowToo {
		e.checkNarrow(heading)
	}
	// THROUGHLINE_SCREENSHOTS=1 keeps a picture of every page, for review.
	if os.Getenv("THROUGHLINE_SCREENSHOTS") != "" {
		if png, err := chromedp.Run(e.ctx, chromedp.FullScreenshot(100)); err == nil && os.MkdirAll(e.shots, 0o755) == nil {
			os.WriteFile(filepath.Join(e.shots, fmt.Sprintf("%02d-%s.png", e.pages, strings.Map(func(r rune) rune {
				if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
					return r
				}
				return '-'
			}, heading))), png, 0o644)
		}
	}
}

type axeResult struct {
	Violations []struct {
		ID    string `json:"id"`
		Help  string `json:"help"`
		Nodes []struct {
			Target  []any  `json:"target"`
			Summary string `json:"failureSummary"`
		} `json:"nodes"`
	} `json:"violations"`
	Passes []struct{} `json:"passes"`
}

// checkAxe injects axe-core into the page and runs the WCAG 2.x A and AA
// rules; any violation fails the test.
func (e *e2e) checkAxe(page string) {
	e.t.Helper()
	if _, err := chromedp.Run(e.ctx, chromedp.Evaluate[chromedp.Void](e.axe)); err != nil {
		e.fail("inject axe-core: %v", err)
	}
	raw, err := chromedp.Run(e.ctx, chromedp.Evaluate[[]byte](`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}, resultTypes: ['violations']})`, chromedp.EvalAwaitPromise))
	if err != nil {
		e.fail("run axe-core on %s: %v", page, err)
	}
	var res axeResult
	if err := json.Unmarshal(raw, &res); err != nil {
		e.fail("axe result: %v", err)
	}
	if len(res.Passes) == 0 {
		e.fail("axe-core checked nothing on %q", page)
	}
	if len(res.Violations) > 0 {
		var b strings.Builder
		for _, v := range res.Violations {
			fmt.Fprintf(&b, "\n  %s: %s", v.ID, v.Help)
			for _, n := range v.Nodes {
				fmt.Fprintf(&b, "\n    %v: %s", n.Target, strings.ReplaceAll(n.Summary, "\n", " "))
			}
		}
		e.fail("axe-core: %d accessibility violations on %q:%s", len(res.Violations), page, b.String())
	}
}

// forms opens each event form (type: heading) of the case at casePath and
// checks it with axe-core at 1280 pixels wide and again at 320 (reflow).
func (e *e2e) forms(casePath string, forms map[string]string) {
	e.t.Helper()
	for _, typ := range slices.Sorted(maps.Keys(forms)) {
		e.visit(casePath+"/record/"+typ, forms[typ])
		e.reflow(forms[typ])
	}
}

func (e *e2e) visit(path, heading string) {
	e.t.Helper()
	e.do("go to "+path, chromedp.Navigate(e.s.srv.URL+path))
	e.page(heading)
}

// click clicks and waits for the next page: on each load event it asks
// whether the page is a new one (the mark set on the old one is gone); the
// deadline is only a safety net for a page that never loads.
func (e *e2e) click(sel, heading string) {
	e.t.Helper()
	// The mark, then a settled layout before the click: the web fonts
	// loaded and two frames painted, so that the pointer lands on the
	// element where it now is (a late font can move a small link).
	e.do("mark the page", chromedp.Evaluate[chromedp.Void](`window.__tlOld = true; document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))`, chromedp.EvalAwaitPromise))
	// A load event still buffered is the old page's (a visit does not take
	// it): drop it, or the new page's event could find the buffer full and
	// be lost, and the wait below never end.
	select {
	case <-e.loaded:
	default:
	}
	e.do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
	safety := testwait.Deadline(e.t)
	for {
		select {
		case <-e.loaded:
		case <-safety:
			e.fail("clicking %s did not load a new page", sel)
		}
		fresh, err := chromedp.Run(e.ctx, chromedp.Evaluate[bool](`typeof window.__tlOld === 'undefined' && document.readyState === 'complete'`))
		if err == nil && fresh {
			break
		}
	}
	e.page(heading)
}

func (e *e2e) typeIn(id, value string) {
	e.t.Helper()
	e.do("type in #"+id, chromedp.Evaluate[chromedp.Void](`document.getElementById(`+strconvQuote(id)+`).value = ''`), chromedp.SendKeys(chromedp.ID(id), value))
}

func (e *e2e) choose(name, value string) {
	e.t.Helper()
	e.do("choose "+name+"="+value, chromedp.Click(chromedp.CSS(`input[name="`+name+`"][value="`+value+`"]`)))
}

func (e *e2e) signIn(key string) {
	e.t.Helper()
	p := e.s.people[key]
	e.visit("/sign-in", "Sign in")
	e.typeIn("login", p.login)
	e.typeIn("password", p.password)
	e.click("main form button", "Enter your security code")
	e.s.clock.Advance(30 * time.Second)
	e.typeIn("code", identity.TOTP(p.secret, e.s.clock.Now()))
	e.click("main form button", "Today")
}

func (e *e2e) signOut() {
	e.t.Helper()
	e.click(".app-user-bar__form button", "Sign in")
}

func (e *e2e) bodyText() string {
	e.t.Helper()
	s, err := chromedp.Run(e.ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		e.fail("read the page: %v", err)
	}
	return s
}

func (e *e2e) see(texts ...string) {
	e.t.Helper()
	body := e.bodyText()
	for _, want := range texts {
		if !strings.Contains(body, want) {
			e.fail("the page does not say %q:\n%s", want, body)
		}
	}
}

// The main journey: an officer records a charge, a prosecutor sends the
// case and lists the PTPH and the trial, and the Witness Care officer sees
// the dates; every page passes axe-core.
func TestJourneyChargeToVerdictInChromium(t *testing.T) {
	e := newE2E(t)
	if e == nil {
		return
	}
	casePath := "/cases/" + url.PathEscape(testRef)

	// The harness itself: axe-core finds a known violation.
	e.do("open a bad page", chromedp.Navigate("data:text/html,<html lang=en><title>bad</title><main><img src=x></main></html>"))
	if _, err := chromedp.Run(e.ctx, chromedp.Evaluate[chromedp.Void](e.axe)); err != nil {
		e.fail("inject axe-core: %v", err)
	}
	raw, err := chromedp.Run(e.ctx, chromedp.Evaluate[[]byte](`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a']}})`, chromedp.EvalAwaitPromise))
	if err != nil || !strings.Contains(string(raw), `"image-alt"`) {
		e.fail("axe-core did not report a missing alt text: %v", err)
	}

	// The officer in the case records the charge.
	e.signIn("officer")
	e.see(testRef)
	e.click(`a[href="`+casePath+`"]`, testRef)
	e.see("Amelia Hart", "Daniel Ross", "With the CPS for a charging decision")
	e.click(`a[href="`+casePath+`/record"]`, "What do you want to record?")
	e.click(`a[href="`+casePath+`/record/charged"]`, "Record a charge")
	// Leave out how they were charged: the error summary says so.
	e.click("main form button", "Record a charge")
	e.see("There is a problem", "Select how they were charged")
	e.choose("method", "custody")
	e.click("main form button", testRef)
	e.see("Charged", "Daniel Ross was charged in custody")
	e.forms(casePath, map[string]string{
		"police_no_further_action":     "Record a police decision of no further action",
		"information_notice_exception": "Record why notice of an information request was not given by the request",
		"review_requested":             "Record a request for a Victims' Right to Review",
		"review_decided":               "Record a Victims' Right to Review decision",
		"victim_personal_statement":    "Record the victim's personal statement",
	})
	e.signOut()

	// The prosecutor sends the case to the Crown Court and lists the PTPH
	// and the trial.
	e.signIn("prosecutor")
	e.visit(casePath+"/record/sent_to_crown_court", "Record a sending to the Crown Court")
	e.do("choose the court", chromedp.Evaluate[chromedp.Void](`document.getElementById('court').value = 'leeds'`))
	e.click("main form button", testRef)
	e.see("Daniel Ross was sent to Leeds Crown Court for trial")
	for _, h := range []struct{ kind, day, month, year, time, want string }{
		{"ptph", "8", "1", "2027", "10:00", "Plea and trial preparation hearing (PTPH) at Leeds Crown Court on 8 January 2027 at 10:00am"},
		{"trial", "14", "6", "2027", "10am", "Trial at Leeds Crown Court on 14 June 2027 at 10:00am"},
	} {
		e.visit(casePath+"/record/hearing_listed", "Record a hearing listed")
		e.choose("kind", h.kind)
		e.do("choose the court", chromedp.Evaluate[chromedp.Void](`document.getElementById('court').value = 'leeds'`))
		e.typeIn("starts_at-day", h.day)
		e.typeIn("starts_at-month", h.month)
		e.typeIn("starts_at-year", h.year)
		e.typeIn("starts_at-time", h.time)
		e.choose("listing", "fixture")
		e.click("main form button", testRef)
		e.see(h.want)
	}
	e.signOut()

	// Witness Care sees the dates.
	e.signIn("witness")
	e.visit(casePath, testRef)
	e.see("8 January 2027 at 10:00am", "14 June 2027 at 10:00am", "Trial listed for")
	e.forms(casePath, map[string]string{
		"news_received":               "Record news received from the court or the CPS",
		"witness_requirement_decided": "Record whether the victim is required to give evidence",
		"bail_conditions_changed":     "Record a change to bail conditions",
		"warrant_issued":              "Record a warrant for arrest",
	})
	e.visit("/cases?sort=ref", "Your cases")
	e.visit("/search?q=hart", "Search")
	e.see(testRef)
	e.visit("/account", "Your account")
	// The work lists: deadlines and the victim-contact queues.
	e.visit("/deadlines", "Your deadlines")
	e.see(testRef, "Victim told the date, time and place of a hearing")
	e.visit("/deadlines?due=soon", "Your deadlines")
	e.visit("/deadlines/team", "Team deadlines")
	e.visit("/failed-deliveries", "Victim contact")
	e.visit("/not-updated", "Victims not updated")

	e.signOut()

	// The prosecutor records the trial starting on its listed day and the
	// verdict: one case worked from charge to verdict by three agencies.
	// They are recorded once they have happened (a time in the future is
	// refused), so the clock moves on to the week after the trial.
	e.s.clock.Advance(time.Date(2027, 6, 21, 9, 0, 0, 0, time.UTC).Sub(e.s.clock.Now()))
	e.signIn("prosecutor")
	for _, step := range []struct{ typ, day, month, year string }{
		{"trial_started", "14", "6", "2027"},
		{"verdict", "18", "6", "2027"},
	} {
		e.visit(casePath+"/record/"+step.typ, map[string]string{"trial_started": "Record a trial started", "verdict": "Record a verdict or plea"}[step.typ])
		e.typeIn("occurred_at-day", step.day)
		e.typeIn("occurred_at-month", step.month)
		e.typeIn("occurred_at-year", step.year)
		if step.typ == "verdict" {
			e.choose("result", "guilty")
		}
		e.click("main form button", testRef)
	}
	e.see("Verdict recorded", "Daniel Ross found guilty", "Convicted, awaiting sentence")
	e.signOut()
	e.signIn("witness")

	// Any member of staff can compare backlog scenarios; a bad number is
	// caught first.
	e.visit("/simulate", "Compare backlog scenarios")
	e.typeIn("replications", "5")
	e.click("main form button", "Compare backlog scenarios")
	e.see("There is a problem", "Replications must be a whole number from 20 to 200")
	e.typeIn("replications", "20")
	e.typeIn("specialist", "2")
	e.click("main form button", "Compare backlog scenarios")
	e.see("Results:", "Difference (B − A)", "Backlog over time", "2 specialist rooms in each area")
	e.signOut()

	// The supervisor reads who looked, and the error pages pass too.
	e.signIn("supervisor")
	e.visit(casePath+"/access-log", "Who has looked at this case")
	e.see("Gwen Price", "Ruth Adeyemi", "Priya Shah")
	e.visit("/access-review", "Emergency access to review")
	e.visit("/cases/NO-SUCH-CASE", "Page not found")
	e.visit("/deadlines/team", "Team deadlines")
	e.see(testRef)
	e.signOut()

	// The officer records the victim's consent to share with her ISVA; the
	// ISVA then sees the victim-facing parts.
	e.s.store.SetCaseMember(context.Background(), "test", testRef, "user", e.s.people["isva"].ID, true)
	e.s.store.SetCaseMember(context.Background(), "test", testRef, "user", e.s.people["inspector"].ID, true)
	e.signIn("officer")
	e.visit(casePath+"/consent", "Victim's consent to share with their ISVA")
	e.do("choose the ISVA organisation", chromedp.Evaluate[chromedp.Void](`document.getElementById('isva_agency').value = 'isva:rape-crisis-leeds'`))
	e.choose("given", "yes")
	e.click("main form button", "Victim's consent to share with their ISVA")
	e.see("Given", "Rape Crisis Leeds")
	e.signOut()
	e.signIn("isva")
	e.visit(casePath, testRef)
	e.see("victim-facing", "Amelia Hart", "14 June 2027 at 10:00am")
	e.signOut()
	e.signIn("inspector")
	e.visit(casePath, testRef)
	e.see("pseudonyms")
	e.signOut()

	// A colleague off the team breaks the glass, proving who she is first.
	e.signIn("colleague")
	e.s.clock.Advance(6 * time.Minute)
	e.visit("/break-glass?ref="+url.QueryEscape(testRef), "Emergency access to a case")
	e.typeIn("reason", "Suspect arrested overnight on a new allegation; checking bail conditions")
	e.click("main form button", "Confirm it is you")
	p := e.s.people["colleague"]
	e.typeIn("password", p.password)
	e.s.clock.Advance(30 * time.Second)
	e.typeIn("code", identity.TOTP(p.secret, e.s.clock.Now()))
	e.click("main form button", "Emergency access to a case")
	e.click("main form button", testRef)
	e.see("You are using emergency access")
	e.signOut()

	// The administrator's pages.
	e.signIn2("admin", "Today")
	e.visit("/admin/users", "Users")
	e.visit("/admin/users/new", "Add a user")
	e.visit("/admin/teams", "Teams")
	e.visit("/admin/case-teams", "Case teams")
	e.visit(casePath+"/team", "Case team")
	e.signOut()

	// An administrator's addition waits for a second person, who is told.
	if _, err := e.s.store.RequestCaseMember(context.Background(), e.s.people["admin"].ID, testRef, "user", e.s.people["outsider"].ID); err != nil {
		t.Fatal(err)
	}
	e.signIn("officer")
	e.visit("/cases", "Your cases")
	e.see("1 request to join a case team is waiting for your decision")
	e.visit("/team-requests", "Case team requests waiting for you")
	e.see(testRef, "Jo Bloggs", "Ada Admin")
	e.visit(casePath+"/team/requests", "Case team requests")
	e.click("main form button", "Case team requests")
	e.see("Nothing is waiting for approval")
	t.Logf("%d pages checked with axe-core", e.pages)
}

// signIn2 signs in a user whose first page is not "Your cases".
func (e *e2e) signIn2(key, heading string) {
	e.t.Helper()
	p := e.s.people[key]
	e.visit("/sign-in", "Sign in")
	e.typeIn("login", p.login)
	e.typeIn("password", p.password)
	e.click("main form button", "Enter your security code")
	e.s.clock.Advance(30 * time.Second)
	e.typeIn("code", identity.TOTP(p.secret, e.s.clock.Now()))
	e.click("main form button", heading)
}

func strconvQuote(s string) string { return strconv.Quote(s) }
