package web_test

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"throughline"
	"throughline/refdata"
	"throughline/sqlstore/storetest"
)

// bareIDs are the record's internal ids as a page's words would show
// them: a party (C1, D1), a hearing (H1), an action plan (AP1), a request
// (R1), an agency's code (police:13, cps:yorkshire_humberside), an event
// by its place in the log ("event 9"), or a byline that names no one
// ("imported record"). A pseudonym's tail ("Complainant K7QF-H5") is not
// an id.
var bareIDs = regexp.MustCompile(`(?:^|[\s(,;:])(?:C|D|H|AP|R)\d+\b|\b(?:police|cps|wcu|isva):[a-z0-9_-]+|\bevent \d+\b|(?i:imported record)`)

// isoDates are dates as a machine writes them (2023-12-05): a person reads
// "5 December 2023".
var isoDates = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)

// courtIDs are the reference data's court ids ("leeds",
// "leeds_magistrates") as words: a court has a name ("Leeds Crown Court").
var courtIDs = func() *regexp.Regexp {
	var ids []string
	for _, c := range refdata.CrownCourts() {
		ids = append(ids, regexp.QuoteMeta(c.ID))
	}
	for _, m := range refdata.MagistratesCourts() {
		ids = append(ids, regexp.QuoteMeta(m.ID))
	}
	return regexp.MustCompile(`\b(?:` + strings.Join(ids, "|") + `)\b`)
}()

// No page shown to staff calls a person, a hearing or an agency by its id
// in the record where it has a name: every page each person can reach
// about the cases of the day, read as words (attributes, where ids belong,
// are not words).
func TestStaffPagesNameNoOneByID(t *testing.T) {
	s := todaySite(t, storetest.DSNs(t)["sqlite"])
	pages := s.staffPages()
	seen := map[string]bool{}
	for _, who := range staffRoles {
		b := s.signIn(who)
		for _, path := range pages {
			r := b.get(path)
			if r.status != 200 {
				continue // not this person's page
			}
			seen[path] = true
			if ids := bareIDs.FindAllString(text(r.body), -1); len(ids) > 0 {
				t.Errorf("%s, %s: shows %v", who, path, ids)
			}
			// Dates as GOV.UK writes them ("5 December 2023"), never ISO.
			if ds := isoDates.FindAllString(text(r.body), -1); len(ds) > 0 {
				t.Errorf("%s, %s: shows dates as %v", who, path, ds)
			}
			if ids := courtIDs.FindAllString(text(r.body), -1); len(ids) > 0 {
				t.Errorf("%s, %s: shows courts by their ids %v", who, path, ids)
			}
		}
	}
	// Who recorded what, by name: the victim in the portal, an import by
	// the organisation it came from.
	timeline := text(s.signIn("officer").get("/cases/" + url.PathEscape(chargedRef)).body)
	for _, by := range []string{"Amelia Hart, the victim, in the portal", "CPS Yorkshire and Humberside, imported from its records"} {
		if !strings.Contains(timeline, by) {
			t.Errorf("the timeline does not say it was recorded by %q:\n%s", by, timeline)
		}
	}
	// A page no one could open would pass without being read.
	for _, path := range pages {
		if !seen[path] {
			t.Errorf("%s: no one could open it", path)
		}
	}
}

// appendAs appends one event (JSON without its case) to case ref as actor
// of agency: the victim in the portal is "victim:<party>" of "victim".
func (s *site) appendAs(ref, actor, agency, raw string) {
	s.t.Helper()
	e, err := throughline.ParseEvent([]byte(`{"case":"` + ref + `",` + raw[1:]))
	if err != nil {
		s.t.Fatal(err)
	}
	e.Actor, e.Agency = actor, agency
	if _, _, err := s.store.Append(context.Background(), e, throughline.AnyVersion); err != nil {
		s.t.Fatalf("%s: %v", raw, err)
	}
}

// staffPages adds to the today site a task of each kind a person does and
// a preference the victim set herself, and returns every page staff reach
// about its cases and its administration: the today lists, the case, each
// task, every form the record menu offers, consent, the administrators'.
func (s *site) staffPages() []string {
	t := s.t
	t.Helper()
	// News a person must tell her opens a task; a preference she set in
	// the portal is recorded as hers.
	s.appendRaw(chargedRef, `{"type":"witness_requirement_decided","occurred_at":"2026-11-25","data":{"complainant_id":"C1","requirement":"required"}}`)
	s.appendAs(chargedRef, "victim:C1", "victim", `{"type":"callback_requested","occurred_at":"2026-11-25T09:00:00Z","data":{"complainant_id":"C1","when":"Friday morning"}}`)
	charged := url.PathEscape(chargedRef)
	tasks := regexp.MustCompile(`/cases/`+regexp.QuoteMeta(charged)+`/tasks/\d+`).FindAllString(s.signIn("witness").get("/today").body, -1)
	if len(tasks) < 2 {
		t.Fatalf("the charged case shows tasks %v, want the call-backs and the news to tell", tasks)
	}
	pages := append(tasks, "/cases/"+charged+"/consent",
		"/admin/users", "/admin/users/new", "/admin/users/"+url.PathEscape(s.people["isva"].ID), "/admin/teams", "/admin/case-teams",
		"/admin/directory", "/admin/directory/contacts/new", "/admin/directory/courts/new", "/admin/directory/services/new")
	pages = append(pages, []string{"/today", "/cases", "/cases?closed=yes", "/search?q=hart", "/deadlines", "/deadlines/team", "/failed-deliveries", "/not-updated",
		"/cases/" + charged, "/cases/" + charged + "/record", "/cases/" + charged + "/victim-view", "/cases/" + charged + "/access-log", "/cases/" + charged + "/team",
		"/access-review", "/account"}...)
	// Every form the record menu offers anyone, as well as those named.
	forms := regexp.MustCompile(`/cases/` + regexp.QuoteMeta(charged) + `/record/[a-z0-9_]+`)
	for _, typ := range []string{"victim_informed", "hearing_listed", "hearing_held", "special_measures_decided", "contact_preferences_set", "charged"} {
		pages = append(pages, "/cases/"+charged+"/record/"+typ)
	}
	for _, who := range []string{"officer", "prosecutor", "witness"} {
		for _, f := range forms.FindAllString(s.signIn(who).get("/cases/"+charged+"/record").body, -1) {
			if !slices.Contains(pages, f) {
				pages = append(pages, f)
			}
		}
	}
	return pages
}

// staffRoles are the people of the today site who see its pages.
var staffRoles = []string{"officer", "supervisor", "prosecutor", "witness", "manager", "isva", "inspector", "admin"}

// Special measures and the material a request seeks are named in words,
// on the case's summary and in its timeline, never as the record's codes
// ("s28 pre recorded cross examination", "request for medical").
func TestCasePageNamesMeasuresAndMaterial(t *testing.T) {
	s := todaySite(t, storetest.DSNs(t)["sqlite"])
	s.appendRaw(chargedRef, `{"type":"special_measures_applied","occurred_at":"2026-11-25","data":{"complainant_id":"C1","measures":["screens","s28_pre_recorded_cross_examination"]}}`)
	s.appendRaw(chargedRef, `{"type":"special_measures_decided","occurred_at":"2026-11-26","data":{"complainant_id":"C1","granted":["s28_pre_recorded_cross_examination"],"refused":["screens"]}}`)
	body := text(s.signIn("officer").get("/cases/" + url.PathEscape(chargedRef)).body)
	for _, want := range []string{"Special measures granted Section 28 pre-recorded cross-examination", "Granted: Section 28 pre-recorded cross-examination", "Refused: Screens"} {
		if !strings.Contains(body, want) {
			t.Errorf("the case page does not say %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "pre recorded") || strings.Contains(body, "refused 0") {
		t.Errorf("the case page shows a measure by its code:\n%s", body)
	}
}
