package web_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"throughline/internal/validatortest"
)

// displays is the computed display of what a printed case must leave out
// (the service's navigation, the signed-in bar, menus, forms, buttons) and
// of what it must show (the marking, the case's heading), as the page
// stands under the media emulated.
const displays = `JSON.stringify(Object.fromEntries(Object.entries({
	nav: '.govuk-service-navigation', user: '.app-user-bar', skip: '.govuk-skip-link', menus: '.app-no-print',
	forms: 'form', buttons: '.govuk-button', marking: '.app-marking', heading: 'main h1', summary: 'main .govuk-summary-list'
}).map(([k, sel]) => [k, [...document.querySelectorAll(sel)].map(el => getComputedStyle(el).display)])))`

// A case printed for court or a case conference is the record and not the
// app: under print media the navigation, menus, forms and buttons are not
// displayed and the marking OFFICIAL-SENSITIVE is; the PDF Chromium prints
// carries the marking on its pages, the case's summary, its people by name
// and its history, and none of the app's controls.
func TestCasePrintsCleanlyInChromium(t *testing.T) {
	e := newE2E(t)
	if e == nil {
		return
	}
	e.s.seedToday()
	e.signIn("officer")
	e.visit("/cases/"+url.PathEscape(chargedRef), chargedRef)

	shown := func(media string) map[string][]string {
		t.Helper()
		set := func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
			return err
		}
		e.do("emulate "+media+" media", chromedp.Func(set))
		raw, err := chromedp.Run(e.ctx, chromedp.Evaluate[string](displays))
		if err != nil {
			e.fail("read the computed display: %v", err)
		}
		var d map[string][]string
		if err := json.Unmarshal([]byte(raw), &d); err != nil {
			e.fail("computed display %s: %v", raw, err)
		}
		return d
	}
	// On screen the controls are there and the marking is not: so that
	// the print checks below read real elements.
	screen := shown("screen")
	for _, k := range []string{"nav", "user", "menus", "forms", "buttons", "marking", "heading", "summary"} {
		if len(screen[k]) == 0 {
			t.Fatalf("the case page has no %s to check: %v", k, screen)
		}
	}
	if screen["nav"][0] == "none" || screen["marking"][0] != "none" {
		t.Errorf("on screen: navigation %v, marking %v; want the navigation shown and the marking not", screen["nav"], screen["marking"])
	}
	printed := shown("print")
	for _, k := range []string{"nav", "user", "skip", "menus", "forms", "buttons"} {
		for _, d := range printed[k] {
			if d != "none" {
				t.Errorf("printed, the case page shows its %s (display %v)", k, printed[k])
				break
			}
		}
	}
	for _, k := range []string{"marking", "heading", "summary"} {
		if printed[k][0] == "none" {
			t.Errorf("printed, the case page hides its %s", k)
		}
	}

	pdf, err := chromedp.Run(e.ctx, func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, tg, cdppage.PrintToPDF, cdppage.PrintToPDFParams{PreferCSSPageSize: new(true)})
		return res.Data, err
	})
	if err != nil || len(pdf) == 0 {
		e.fail("print to PDF: %v", err)
	}
	text := validatortest.Poppler(t, pdf, "pdftotext", "-enc", "UTF-8", "%pdf", "-") // pages ended by form feeds
	for _, want := range []string{chargedRef, "Summary", "Amelia Hart", "Daniel Ross", "What has happened", "Page 1 of"} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed case does not say %q:\n%s", want, text)
		}
	}
	pages := strings.Count(text, "\f")
	if n := strings.Count(text, "OFFICIAL-SENSITIVE"); n < 2*pages {
		t.Errorf("the marking is printed %d times on %d pages; want it at the head and foot of each:\n%s", n, pages, text)
	}
	for _, not := range []string{"Sign out", "Skip to main content", "Your cases", "Compare backlog scenarios", "Signed in as"} {
		if strings.Contains(text, not) {
			t.Errorf("the printed case shows the app's %q:\n%s", not, text)
		}
	}
}

// The pages whose tables are newly in focusable regions pass axe-core at
// 1280 and at 320 pixels wide. (Whether every table is in such a region is
// TestTablesScrollInFocusableRegions: axe flags a region only when it does
// scroll, which depends on the data of the day.)
func TestNarrowTablesInChromium(t *testing.T) {
	e := newE2E(t)
	if e == nil {
		return
	}
	e.narrowToo = true
	e.s.seedToday()
	charged := url.PathEscape(chargedRef)
	e.signIn("officer")
	e.visit("/search?q=hart", "Search your cases")
	e.visit("/cases/"+charged+"/consent", "Victim's consent to share with their ISVA")
	e.visit("/account", "Your account")
	e.signOut()
	e.signIn2("admin", "Today")
	e.visit("/cases/"+charged+"/team", "Case team")
	e.visit("/admin/teams", "Teams")
}
