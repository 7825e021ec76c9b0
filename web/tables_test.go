package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"throughline/sqlstore/storetest"
)

// scrollRegion is the element a wide table scrolls sideways in on a narrow
// screen: a region named for the table, which the keyboard can focus so it
// can scroll it (WCAG 2.1.1; axe's scrollable-region-focusable at 320 px).
var scrollRegion = regexp.MustCompile(`<div (?:[a-z-]+="[^"]*" ?)+>\s*$`)

// Every table on every staff page sits, and sits alone, in a focusable
// region named for it: at 320 px any table may be wider than the screen.
func TestTablesScrollInFocusableRegions(t *testing.T) {
	s := todaySite(t, storetest.DSNs(t)["sqlite"])
	pages := append(s.staffPages(), "/account", "/cases/"+url.PathEscape(chargedRef)+"/team/requests", "/team-requests", "/dashboard/unit")
	read := 0
	for _, who := range staffRoles {
		b := s.signIn(who)
		for _, path := range pages {
			r := b.get(path)
			if r.status != 200 {
				continue
			}
			for i := strings.Index(r.body, "<table"); i >= 0; i = next(r.body, i) {
				read++
				div := scrollRegion.FindString(r.body[max(0, i-400):i])
				if !strings.Contains(div, "app-table-wrapper") || !strings.Contains(div, `tabindex="0"`) || !strings.Contains(div, `role="region"`) ||
					strings.Contains(div, `aria-label=""`) || !strings.Contains(div, `aria-label="`) {
					t.Errorf("%s, %s: a table not in a focusable, named region: %q", who, path, r.body[max(0, i-200):min(len(r.body), i+120)])
				}
			}
		}
	}
	if read < 20 {
		t.Errorf("read only %d tables: the pages did not show theirs", read)
	}
}

// next is the index of the table after the one at i, or -1.
func next(body string, i int) int {
	j := strings.Index(body[i+1:], "<table")
	if j < 0 {
		return -1
	}
	return i + 1 + j
}
