package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"throughline/sqlstore/storetest"
	"throughline/web"
)

// An administrator keeps the directory in the pages: a bad entry is shown
// again with what is wrong and changes nothing; a good one reaches the
// victim, whose portal names her Witness Care officer with number and
// hours and lists the services of her area, filtered by whom they are for.
// Nobody else may change it.
func TestAdministratorsKeepTheDirectory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		ctx := context.Background()
		codes := make(chan string, 4)
		s.configure(func(w *web.Server) {
			w.PortalSend = func(ctx context.Context, channel, to, subject, body string) error {
				codes <- sixDigits.FindString(body)
				return nil
			}
		})
		admin := s.signIn("admin")
		if r := admin.get("/admin/directory"); r.status != 200 || !strings.Contains(r.body, "Contacts and support services") {
			t.Fatalf("directory page: %d %s", r.status, text(r.body))
		}
		contact := url.Values{"role": {"witness_care"}, "name": {"Gwen Price"}, "team": {"West Yorkshire Witness Care Unit"}, "agency": {"wcu:13"},
			"user_id": {s.people["witness"].ID}, "phone": {"0113 496 0201"}, "email": {"not an address"}, "hours": {""}}
		r := admin.post("/admin/directory/contacts/new", contact)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Enter an email address in the right format") || !strings.Contains(r.body, "Enter the hours") || !strings.Contains(r.body, `value="0113 496 0201"`) {
			t.Fatalf("a bad contact: %d %s", r.status, text(r.body))
		}
		if cs, _ := s.store.StaffContacts(ctx); len(cs) != 0 {
			t.Fatalf("a bad contact was saved: %+v", cs)
		}
		contact.Set("email", "gwen.price@witness-care.example.org")
		contact.Set("hours", "Monday to Friday, 9am to 5pm")
		if r := admin.post("/admin/directory/contacts/new", contact); r.status != http.StatusSeeOther {
			t.Fatalf("a good contact: %d %s", r.status, text(r.body))
		}
		service := url.Values{"name": {"Example Sisters' Project (fictional)"}, "offers": {"A by and for service."}, "for": {"black_minoritised", "women"},
			"areas": {"13"}, "phone": {"0113 496 0320"}, "checked_on": {"keep"}}
		if r := admin.post("/admin/directory/services/new", service); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Enter the date the details were last checked") {
			t.Fatalf("a new service never checked: %d %s", r.status, text(r.body))
		}
		service.Set("checked_on", "today")
		if r := admin.post("/admin/directory/services/new", service); r.status != http.StatusSeeOther {
			t.Fatalf("a good service: %d %s", r.status, text(r.body))
		}
		for _, v := range []url.Values{
			{"name": {"Example Helpline (fictional)"}, "offers": {"Someone to listen."}, "for": {"all"}, "areas": {"national"}, "web": {"https://example.org/help"}, "checked_on": {"today"}},
			{"name": {"Example Cardiff Line (fictional)"}, "offers": {"Support in Cardiff."}, "for": {"all"}, "areas": {"62"}, "phone": {"029 2018 0000"}, "checked_on": {"today"}},
		} {
			if r := admin.post("/admin/directory/services/new", v); r.status != http.StatusSeeOther {
				t.Fatalf("service %s: %d %s", v.Get("name"), r.status, text(r.body))
			}
		}
		vs, _ := s.store.SupportServices(ctx)
		if len(vs) != 3 || vs[2].CheckedOn != "2026-11-25" {
			t.Fatalf("services: %+v", vs)
		}
		officer := s.signIn("officer")
		if r := officer.get("/admin/directory"); r.status != http.StatusForbidden {
			t.Errorf("an officer sees the directory: %d", r.status)
		}
		if r := officer.post("/admin/directory/services/"+vs[0].ID+"/remove", nil); r.status != http.StatusForbidden {
			t.Errorf("an officer removes a service: %d", r.status)
		}

		// Witness Care designate her on the case (ADR 0326: the log names
		// the contact; the directory says how to reach her).
		s.appendAs(testRef, s.people["witness"].ID, "wcu:13", `{"type":"case_team_changed","occurred_at":"2026-11-24","data":{"role":"witness_care_officer","name":"Gwen Price","handover":"First designation"}}`)

		// The victim signs in to the portal.
		victim := s.browser()
		victim.post("/victim/sign-in", url.Values{"ref": {testRef}})
		if r := victim.post("/victim/code", url.Values{"ref": {testRef}, "code": {<-codes}}); r.status != http.StatusSeeOther {
			t.Fatalf("victim sign-in: %d %s", r.status, text(r.body))
		}
		cp := text(victim.get("/victim/case").body)
		for _, want := range []string{"Your Witness Care officer Name Gwen Price West Yorkshire Witness Care Unit Phone 0113 496 0201", "When to call Monday to Friday, 9am to 5pm", "See the 2 support services for your area"} {
			if !strings.Contains(cp, want) {
				t.Errorf("her case page lacks %q:\n%s", want, cp)
			}
		}
		// She asks for a call back; the Witness Care officer sees when.
		if r := victim.post("/victim/callback", url.Values{"when": {"weekday evenings"}}); r.status != http.StatusSeeOther {
			t.Fatalf("call back: %d", r.status)
		}
		if r := s.signIn("witness").get("/cases/" + url.PathEscape(testRef)); !strings.Contains(text(r.body), "When suits them: weekday evenings") {
			t.Errorf("the case page does not show the call-back time:\n%s", text(r.body))
		}
		all := html.UnescapeString(text(victim.get("/victim/support").body))
		if !strings.Contains(all, "Example Sisters' Project (fictional)") || !strings.Contains(all, "Example Helpline (fictional)") || strings.Contains(all, "Cardiff") {
			t.Errorf("the services of West Yorkshire and national ones, not South Wales':\n%s", all)
		}
		byAndFor := html.UnescapeString(text(victim.get("/victim/support?for=black_minoritised").body))
		if !strings.Contains(byAndFor, "Services found: 1.") || !strings.Contains(byAndFor, "Example Sisters' Project") || strings.Contains(byAndFor, "Example Helpline") {
			t.Errorf("filtered for Black and minoritised survivors:\n%s", byAndFor)
		}
	})
}
