package web_test

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"throughline/sqlstore/storetest"
)

var (
	menuLinkRE = regexp.MustCompile(`<a class="govuk-service-navigation__link" href="([^"]+)"[^>]*>\s*([^<]+?)\s*</a>`)
	titleRE    = regexp.MustCompile(`<title>([^<]*)</title>`)
)

// Every page the menu leads to is titled as the menu calls it (GOV.UK: the
// page title matches the link that led there), for every role.
func TestMenuLabelsAreThePageTitles(t *testing.T) {
	s := todaySite(t, storetest.DSNs(t)["sqlite"])
	for _, who := range staffRoles {
		b := s.signIn(who)
		links := menuLinkRE.FindAllStringSubmatch(b.get("/account").body, -1)
		if len(links) < 2 {
			t.Fatalf("%s: no menu found", who)
		}
		for _, l := range links {
			href, label := html.UnescapeString(l[1]), html.UnescapeString(l[2])
			r := b.get(href)
			title := titleRE.FindStringSubmatch(r.body)
			if r.status != 200 || title == nil {
				t.Errorf("%s: %s answers %d", who, href, r.status)
				continue
			}
			if got := html.UnescapeString(title[1]); !strings.HasPrefix(got, label+" – ") {
				t.Errorf("%s: the menu's %q leads to a page titled %q", who, label, got)
			}
		}
	}
}
