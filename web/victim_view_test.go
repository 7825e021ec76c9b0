package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"throughline"
	"throughline/sqlstore/storetest"
)

// An ISVA with the victim's consent sees the case as the victim sees it in
// the portal; the consultation is logged; without consent, or off the
// team, the page does not exist.
func TestVictimView(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		ctx := context.Background()
		ref := url.PathEscape(testRef)
		path := "/cases/" + ref + "/victim-view"
		s.store.SetCaseMember(ctx, "test", testRef, "user", s.people["isva"].ID, true)
		isva := s.signIn("isva")
		if r := isva.get(path); r.status != http.StatusNotFound {
			t.Fatalf("ISVA without consent: %d", r.status)
		}
		officer := s.signIn("officer")
		if r := officer.post("/cases/"+ref+"/consent", url.Values{"complainant_id": {"C1"}, "isva_agency": {"isva:rape-crisis-leeds"}, "given": {"yes"}, "note": {"signed form"}}); r.status != http.StatusSeeOther {
			t.Fatalf("consent: %d %s", r.status, text(r.body))
		}
		if r := isva.get("/cases/" + ref); !strings.Contains(r.body, "victim-view") {
			t.Error("the case page does not link to the victim's view")
		}
		r := isva.get(path)
		if r.status != 200 {
			t.Fatalf("ISVA with consent: %d %s", r.status, text(r.body))
		}
		for _, want := range []string{"Where your case is now", "Dates to come", "Exit this page", ref + "/victim-view?lang=cy", "the victim&#39;s own view", `href="/cases/` + ref + `"`, "/assets/portal.js"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("victim's view lacks %q:\n%s", want, text(r.body))
			}
		}
		// The victim's own forms are not the staff's to use.
		for _, hidden := range []string{"/victim/callback", "/victim/sign-out", "/victim/preferences"} {
			if strings.Contains(r.body, hidden) {
				t.Errorf("victim's view has %s", hidden)
			}
		}
		// Logged before it was shown, on the victim's consent.
		cs, err := s.store.Consultations(ctx, throughline.ConsultationFilter{CaseRef: testRef, UserID: s.people["isva"].ID})
		if err != nil || len(cs) == 0 || cs[0].Target != "GET /cases/{ref}/victim-view" || cs[0].Basis != throughline.BasisConsent || !strings.Contains(strings.Join(cs[0].Parts, ","), throughline.PartVictim) {
			t.Fatalf("consultation log: %+v %v", cs, err)
		}
		// Welsh, through the language switch.
		if r := isva.get(path + "?lang=cy"); r.status != 200 || !strings.Contains(r.body, "Ble mae eich achos nawr") {
			t.Errorf("Welsh victim's view: %d", r.status)
		}
		// Only the complainants whose consent stands.
		if r := isva.get(path + "?complainant=C2"); r.status != http.StatusNotFound {
			t.Errorf("another complainant: %d", r.status)
		}
		// The witness care officer on the team keeps the victim informed.
		if r := s.signIn("witness").get(path); r.status != 200 {
			t.Errorf("witness care: %d", r.status)
		}
		// Not the prosecutor, nor an officer of another force.
		if r := s.signIn("prosecutor").get(path); r.status != http.StatusNotFound {
			t.Errorf("prosecutor: %d", r.status)
		}
		if r := s.signIn("outsider").get(path); r.status != http.StatusNotFound {
			t.Errorf("another force's officer: %d", r.status)
		}
		// Withdrawn consent: gone at once.
		officer.post("/cases/"+ref+"/consent", url.Values{"complainant_id": {"C1"}, "isva_agency": {"isva:rape-crisis-leeds"}, "given": {"no"}})
		if r := isva.get(path); r.status != http.StatusNotFound {
			t.Fatalf("ISVA after withdrawal: %d", r.status)
		}
	})
}
