package web_test

import (
	"net/url"
	"regexp"
	"testing"

	"throughline/sqlstore/storetest"
)

// bareIDs are the record's internal ids as a page's words would show
// them: a party (C1, D1), a hearing (H1), an action plan (AP1), a request
// (R1), an agency's code (police:13, cps:yorkshire_humberside). A
// pseudonym's tail ("Complainant K7QF-H5") is not an id.
var bareIDs = regexp.MustCompile(`(?:^|[\s(,;:])(?:C|D|H|AP|R)\d+\b|\b(?:police|cps|wcu|isva):[a-z0-9_-]+`)

// No page shown to staff calls a person, a hearing or an agency by its id
// in the record where it has a name: every page each person can reach
// about the cases of the day, read as words (attributes, where ids belong,
// are not words).
func TestStaffPagesNameNoOneByID(t *testing.T) {
	s := todaySite(t, storetest.DSNs(t)["sqlite"])
	charged := url.PathEscape(chargedRef)
	pages := []string{"/today", "/cases", "/cases?closed=yes", "/search?q=hart", "/deadlines", "/deadlines/team", "/failed-deliveries", "/not-updated",
		"/cases/" + charged, "/cases/" + charged + "/record", "/cases/" + charged + "/victim-view", "/cases/" + charged + "/access-log", "/cases/" + charged + "/team",
		"/access-review", "/account"}
	for _, typ := range []string{"victim_informed", "hearing_listed", "hearing_held", "special_measures_decided", "contact_preferences_set", "charged"} {
		pages = append(pages, "/cases/"+charged+"/record/"+typ)
	}
	for _, who := range []string{"officer", "supervisor", "prosecutor", "witness", "manager", "isva", "inspector"} {
		b := s.signIn(who)
		for _, path := range pages {
			r := b.get(path)
			if r.status != 200 {
				continue // not this person's page
			}
			if ids := bareIDs.FindAllString(text(r.body), -1); len(ids) > 0 {
				t.Errorf("%s, %s: shows %v", who, path, ids)
			}
		}
	}
}
