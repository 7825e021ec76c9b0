package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"throughline"
	"throughline/deadline"
	"throughline/sqlstore/storetest"
	"throughline/web"
)

// victimBrowser is a browser for the portal's victim of testRef, whose
// sign-in codes the server hands to it.
type victimBrowser struct {
	*browser
	codes chan string
}

// portalVictim configures the server to hand sign-in codes to the browser
// it returns.
func (s *site) portalVictim() *victimBrowser {
	codes := make(chan string, 4)
	s.configure(func(w *web.Server) {
		w.PortalSend = func(ctx context.Context, channel, to, subject, body string) error {
			codes <- sixDigits.FindString(body)
			return nil
		}
	})
	return &victimBrowser{browser: s.browser(), codes: codes}
}

// signInVictim signs the victim of testRef in to the portal.
func (v *victimBrowser) signInVictim() {
	v.s.t.Helper()
	v.post("/victim/sign-in", url.Values{"ref": {testRef}})
	if r := v.post("/victim/code", url.Values{"ref": {testRef}, "code": {<-v.codes}}); r.status != http.StatusSeeOther {
		v.s.t.Fatalf("victim sign-in: %d %s", r.status, text(r.body))
	}
}

// Her Victim Personal Statement and her Victims' Right to Review, from the
// portal: an empty statement is refused and records nothing; asking for
// help opens a call-back task; she changes it and the prosecutor reads the
// latest on the case record, the look in the consultation log, and nobody
// off the case reads it. Once the CPS stops the case she is shown her
// window; past it she may still ask, told it is then for a very good
// reason; her request starts the CPS's clock to decide; she cannot ask
// twice.
func TestStatementAndReviewFromThePortal(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		ctx := context.Background()
		victim := s.portalVictim()
		appendLine(t, s.store.Store, testRef, `{"type":"charged","occurred_at":"2024-11-13T09:30:00Z","data":{"defendant_id":"D1","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"method":"custody"}}`)
		victim.signInVictim()
		cp := victim.get("/victim/case").body
		if !strings.Contains(cp, `href="/victim/statement">Write your Victim Personal Statement`) || strings.Contains(cp, `href="/victim/review"`) {
			t.Fatalf("the case page offers the statement, and no review while the case goes on:\n%s", text(cp))
		}
		evs, _ := s.store.Events(ctx, testRef)
		if r := victim.post("/victim/statement", url.Values{"text": {"  "}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Write your statement, or tick the box to ask for help") {
			t.Fatalf("an empty statement: %d %s", r.status, text(r.body))
		}
		if after, _ := s.store.Events(ctx, testRef); len(after) != len(evs) {
			t.Fatal("an empty statement was recorded")
		}
		if r := victim.post("/victim/statement", url.Values{"text": {"I have not slept"}, "help": {"yes"}}); r.status != http.StatusSeeOther {
			t.Fatalf("help wanted: %d %s", r.status, text(r.body))
		}
		if r := victim.get("/victim/statement"); !strings.Contains(r.body, "You asked for help to write it. Your contact will call you.") || !strings.Contains(r.body, "I have not slept</textarea>") {
			t.Errorf("her statement page does not say she asked for help, with her words so far:\n%s", text(r.body))
		}
		tasks, err := s.store.Tasks(ctx, testRef, true, throughline.ScopeFilter{})
		if err != nil || !slices.ContainsFunc(tasks, func(k throughline.CommsTask) bool {
			return k.Kind == throughline.TaskStatementHelp && strings.Contains(k.Detail, "help to write their Victim Personal Statement")
		}) {
			t.Errorf("asking for help opens no call-back task: %v %+v", err, tasks)
		}
		for _, k := range tasks {
			if k.Kind != throughline.TaskStatementHelp {
				continue
			}
			page := html.UnescapeString(text(s.signIn("witness").get("/cases/" + url.PathEscape(testRef) + "/tasks/" + strconv.FormatInt(k.ID, 10)).body))
			if !strings.Contains(page, "Help the victim write their personal statement") || !strings.Contains(page, "Victim Amelia Hart") || strings.Contains(page, "C1") {
				t.Errorf("Witness Care's task page:\n%s", page)
			}
		}
		for _, words := range []string{"I have not slept properly since.", "I have not slept properly since. I left my job."} {
			r := victim.post("/victim/statement", url.Values{"text": {words}})
			if r.status != http.StatusSeeOther || r.header.Get("Location") != "/victim/case?sent=statement" {
				t.Fatalf("statement: %d %s", r.status, r.header.Get("Location"))
			}
		}
		if r := victim.get("/victim/case?sent=statement"); !strings.Contains(r.body, "We have saved your Victim Personal Statement") || !strings.Contains(r.body, "See or change your Victim Personal Statement") {
			t.Errorf("no confirmation:\n%s", text(r.body))
		}
		if r := victim.get("/victim/statement"); !strings.Contains(r.body, "I left my job.</textarea>") {
			t.Errorf("she does not see her statement to change it:\n%s", r.body)
		}
		var actions []string
		all, _ := s.store.Events(ctx, testRef)
		for _, e := range all[len(evs):] {
			d := e.Data.(*throughline.VictimPersonalStatement)
			actions = append(actions, d.Action)
			if e.Actor != "victim:C1" {
				t.Errorf("statement recorded by %s", e.Actor)
			}
		}
		if want := []string{"help_wanted", "updated", "updated"}; !slices.Equal(actions, want) {
			t.Errorf("recorded %v, want %v", actions, want)
		}

		prosecutor := s.signIn("prosecutor")
		page := html.UnescapeString(text(prosecutor.get("/cases/" + url.PathEscape(testRef)).body))
		if !strings.Contains(page, "Amelia Hart updated their personal statement.") {
			t.Errorf("the timeline does not say she changed her statement:\n%s", page)
		}
		if !strings.Contains(page, "Victim Personal Statement, 25 November 2026 at 9:00am I have not slept properly since. I left my job.") {
			t.Errorf("the prosecutor does not read her latest statement:\n%s", page)
		}
		cs, err := s.store.Consultations(ctx, throughline.ConsultationFilter{CaseRef: testRef, UserID: s.people["prosecutor"].ID})
		if err != nil || len(cs) == 0 || !slices.Contains(cs[0].Parts, throughline.PartVictim) {
			t.Errorf("the prosecutor's look is not logged with the victim's part: %v %+v", err, cs)
		}
		if outsider := text(s.signIn("outsider").get("/cases/" + url.PathEscape(testRef)).body); strings.Contains(outsider, "I left my job") {
			t.Error("someone off the case reads her statement")
		}

		// The CPS stops the case on Friday 20 November 2026.
		appendLine(t, s.store.Store, testRef, `{"type":"prosecution_stopped","occurred_at":"2026-11-20","data":{"defendant_id":"D1","how":"discontinued"}}`)
		if r := victim.get("/victim/case"); !strings.Contains(r.body, `href="/victim/review"`) {
			t.Fatalf("no way to ask for a review once the case is stopped:\n%s", text(r.body))
		}
		rp := html.UnescapeString(text(victim.get("/victim/review").body))
		for _, want := range []string{"On Friday 20 November 2026 the Crown Prosecution Service (CPS) stopped the case against Daniel Ross.",
			"Please ask by Friday 4 December 2026 if you can. We can still look at it if you ask by Saturday 20 February 2027."} {
			if !strings.Contains(rp, want) {
				t.Errorf("the review page lacks %q:\n%s", want, rp)
			}
		}
		// Past her 3 months she may still ask, told it is then only for a
		// very good reason. She comes back on Monday 1 March 2027.
		s.clock.Advance(96 * 24 * time.Hour)
		victim.signInVictim()
		if rp := html.UnescapeString(text(victim.get("/victim/review").body)); !strings.Contains(rp, "The usual time to ask ended on Saturday 20 February 2027. You can still ask.") {
			t.Errorf("the review page after her window:\n%s", rp)
		}
		if r := victim.post("/victim/review", url.Values{"scheme": {"police"}}); r.status != http.StatusUnprocessableEntity {
			t.Errorf("a review by the wrong scheme: %d", r.status)
		}
		if r := victim.post("/victim/review", url.Values{"scheme": {"cps"}}); r.status != http.StatusSeeOther || r.header.Get("Location") != "/victim/case?sent=review" {
			t.Fatalf("review: %d %s", r.status, text(r.body))
		}
		if r := victim.get("/victim/case?sent=review"); !strings.Contains(r.body, "We have your request for a review") || strings.Contains(r.body, `href="/victim/review"`) {
			t.Errorf("no confirmation, or still offered:\n%s", text(r.body))
		}
		if r := victim.post("/victim/review", url.Values{"scheme": {"cps"}}); r.status != http.StatusUnprocessableEntity {
			t.Errorf("asked twice: %d", r.status)
		}
		if r := html.UnescapeString(victim.get("/victim/review").body); !strings.Contains(r, "You asked for a review on Monday 1 March 2027") {
			t.Errorf("the review page does not say she asked:\n%s", text(r))
		}
		ds, err := s.store.Deadlines(ctx, testRef)
		if err != nil || !slices.ContainsFunc(ds, func(d throughline.CaseDeadline) bool {
			return d.Rule == deadline.VRRCPS && d.Starts.Format("2006-01-02") == "2027-03-01"
		}) {
			t.Errorf("her request starts no CPS review deadline: %v", err)
		}
	})
}

// Large print and easy read, as she chooses them on the preferences page:
// every page she sees is then set larger, what happens next and her
// rights come in easy read, and the formats staff recorded with her
// (braille) stay; unticking them brings the standard pages back.
func TestFormatsFromThePortal(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		ctx := context.Background()
		victim := s.portalVictim()
		appendLine(t, s.store.Store, testRef, `{"type":"contact_preferences_set","occurred_at":"2026-11-20","data":{"complainant_id":"C1","channels":["email"],"email":"amelia@example.org","formats":["braille"]}}`)
		victim.signInVictim()
		if r := victim.get("/victim/case"); strings.Contains(r.body, "app-large-print") || strings.Contains(r.body, "app-easy-read") {
			t.Fatal("large print or easy read before she asked")
		}
		prefs := url.Values{"first": {"email"}, "email": {"amelia@example.org"}, "language": {"en"}, "every": {"28"}, "formats": {"large_print", "easy_read"}}
		if r := victim.post("/victim/preferences", prefs); r.status != http.StatusOK || !strings.Contains(r.body, `class="govuk-template app-large-print"`) {
			t.Fatalf("preferences: %d %s", r.status, text(r.body))
		}
		c, _ := s.store.Case(ctx, testRef)
		if got := c.Complainant("C1").Preferences.Formats; !slices.Equal(got, []string{"braille", "large_print", "easy_read"}) {
			t.Errorf("formats recorded %v", got)
		}
		cp := html.UnescapeString(victim.get("/victim/case").body)
		if !strings.Contains(cp, `<ul class="govuk-list app-easy-read"><li>The police are finding out what happened.</li>`) || !strings.Contains(cp, "Easy read") {
			t.Errorf("what happens next is not in easy read:\n%s", text(cp))
		}
		if r := html.UnescapeString(victim.get("/victim/rights").body); !strings.Contains(r, "app-large-print") || !strings.Contains(r, "You can tell the judge how the crime hurt you.") {
			t.Errorf("her rights are not in easy read, large:\n%s", text(r))
		}
		if r := victim.get("/victim/preferences"); !strings.Contains(r.body, `value="large_print" checked`) || !strings.Contains(r.body, `value="easy_read" checked`) {
			t.Error("the preferences page does not show her formats")
		}
		prefs.Del("formats")
		if r := victim.post("/victim/preferences", prefs); strings.Contains(r.body, "app-large-print") || strings.Contains(r.body, "app-easy-read") {
			t.Errorf("still large print or easy read once unticked")
		}
		c, _ = s.store.Case(ctx, testRef)
		if got := c.Complainant("C1").Preferences.Formats; !slices.Equal(got, []string{"braille"}) {
			t.Errorf("formats recorded %v, want braille kept", got)
		}
	})
}

// Where the court is: an administrator adds a court's address (a second
// one for the same court is refused, shown again, and changes nothing),
// and the victim's dates to come give it beside the court's name.
func TestCourtAddressesReachTheVictim(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		ctx := context.Background()
		victim := s.portalVictim()
		admin := s.signIn("admin")
		if r := admin.get("/admin/directory/courts/new"); r.status != http.StatusOK || !strings.Contains(r.body, "Add a court&#39;s address") {
			t.Fatalf("the form: %d %s", r.status, text(r.body))
		}
		address := url.Values{"court": {"leeds"}, "address": {"The Courthouse\r\n1 Oxford Row\r\nLeeds\r\nLS1 3BG"}, "checked_on": {"today"}}
		if r := admin.post("/admin/directory/courts/new", address); r.status != http.StatusSeeOther {
			t.Fatalf("add: %d %s", r.status, text(r.body))
		}
		if r := admin.post("/admin/directory/courts/new", address); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "This court has an address already") {
			t.Errorf("a second address for Leeds: %d %s", r.status, text(r.body))
		}
		if r := admin.post("/admin/directory/courts/new", url.Values{"court": {"atlantis"}, "address": {"1 Sea Row"}, "checked_on": {"today"}}); r.status != http.StatusUnprocessableEntity {
			t.Errorf("a court that is not one: %d", r.status)
		}
		as, err := s.store.CourtAddresses(ctx)
		if err != nil || len(as) != 1 || as[0].Address != "The Courthouse, 1 Oxford Row, Leeds, LS1 3BG" || as[0].CheckedOn != "2026-11-25" {
			t.Fatalf("addresses: %v %+v", err, as)
		}
		if r := admin.get("/admin/directory"); !strings.Contains(r.body, "Leeds Crown Court") || !strings.Contains(r.body, "The Courthouse, 1 Oxford Row, Leeds, LS1 3BG") {
			t.Errorf("the directory does not list the address:\n%s", text(r.body))
		}

		for _, l := range []string{
			`{"type":"charged","occurred_at":"2024-11-13T09:30:00Z","data":{"defendant_id":"D1","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"method":"custody"}}`,
			`{"type":"sent_to_crown_court","occurred_at":"2024-11-14","data":{"defendant_id":"D1","court":"leeds"}}`,
			`{"type":"hearing_listed","occurred_at":"2026-11-20","data":{"hearing_id":"H3","kind":"trial","court":"leeds","starts_at":"2027-03-08T10:00:00Z","listing":"fixture"}}`,
		} {
			appendLine(t, s.store.Store, testRef, l)
		}
		victim.signInVictim()
		if r := html.UnescapeString(text(victim.get("/victim/case").body)); !strings.Contains(r, "Monday 8 March 2027 at 10am : the trial, Leeds Crown Court, The Courthouse, 1 Oxford Row, Leeds, LS1 3BG") {
			t.Errorf("her dates do not say where the court is:\n%s", r)
		}
	})
}
