package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"throughline"
	"throughline/sqlstore/storetest"
)

// ADR 0322: an ISVA records one thing, through the one policy: that a
// victim who consented to her support asks to be called back, and when.
// The record menu offers her that and nothing else; the form names only
// that victim; a call-back for the other complainant, or from an ISVA
// whose victim has not consented, is refused with nothing recorded; what
// she records is an event like any other (actor, agency), and opens the
// call-back task Witness Care sees on their today page.
func TestISVARelaysACallback(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		ctx := context.Background()
		const ref = "13RS0000201/24"
		s.appendAs(ref, "import", "police:13", `{"type":"case_opened","occurred_at":"2026-10-01","data":{"force":"13","cps_area":"yorkshire_humberside","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"Amelia Hart"},{"id":"C2","name":"Beth Jones"}],"suspects":[{"id":"D1","name":"Daniel Ross"}]}}`)
		for _, k := range []string{"isva", "witness"} {
			if err := s.store.SetCaseMember(ctx, "test", ref, "user", s.people[k].ID, true); err != nil {
				t.Fatal(err)
			}
		}
		casePath := "/cases/" + url.PathEscape(ref)
		isva := s.signIn("isva")
		// Without the victim's consent the ISVA has no case at all.
		if r := isva.get(casePath + "/record/callback_requested"); r.status != http.StatusNotFound {
			t.Fatalf("without consent, the form answers %d", r.status)
		}
		if err := s.store.RecordConsent(ctx, throughline.Consent{CaseRef: ref, ComplainantID: "C1", ISVAAgency: "isva:rape-crisis-leeds", Given: true, RecordedBy: s.people["witness"].ID}); err != nil {
			t.Fatal(err)
		}
		if r := isva.get(casePath); !strings.Contains(r.body, `href="`+casePath+`/record"`) || strings.Contains(r.body, "Send the victim a message") {
			t.Errorf("the ISVA's case page offers: %s", text(r.body))
		}
		menu := isva.get(casePath + "/record")
		if menu.status != http.StatusOK || !strings.Contains(menu.body, `/record/callback_requested"`) || strings.Count(menu.body, `/record/`) != 1 {
			t.Fatalf("the ISVA's record menu (%d): %s", menu.status, menu.body)
		}
		form := isva.get(casePath + "/record/callback_requested")
		if form.status != http.StatusOK || !strings.Contains(form.body, "Amelia Hart") || strings.Contains(form.body, "Beth Jones") {
			t.Fatalf("the ISVA's form (%d): %s", form.status, text(form.body))
		}
		for typ, want := range map[string]int{"victim_informed": http.StatusForbidden, "contact_preferences_set": http.StatusForbidden, "charged": http.StatusForbidden} {
			if r := isva.get(casePath + "/record/" + typ); r.status != want {
				t.Errorf("the ISVA's %s form answers %d, want %d", typ, r.status, want)
			}
		}
		send := func(who string) page {
			c, err := s.store.Case(ctx, ref)
			if err != nil {
				t.Fatal(err)
			}
			return isva.post(casePath+"/record/callback_requested", url.Values{"version": {strconv.FormatInt(c.Version, 10)}, "complainant_id": {who}, "when": {"Friday after 4pm"},
				"occurred_at-day": {"25"}, "occurred_at-month": {"11"}, "occurred_at-year": {"2026"}})
		}
		before, _ := s.store.Case(ctx, ref)
		if r := send("C2"); r.status == http.StatusSeeOther {
			t.Fatalf("the ISVA recorded a call-back for a victim who has not consented: %s", r.header.Get("Location"))
		}
		if c, _ := s.store.Case(ctx, ref); c.Version != before.Version {
			t.Fatalf("a refused call-back changed the case: version %d → %d", before.Version, c.Version)
		}
		if r := send("C1"); r.status != http.StatusSeeOther {
			t.Fatalf("the ISVA's call-back: %d %s", r.status, text(r.body))
		}
		evs, err := s.store.Events(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		last := evs[len(evs)-1]
		if last.Type != throughline.TypeCallbackRequested || last.Actor != s.people["isva"].ID || last.Agency != "isva:rape-crisis-leeds" {
			t.Errorf("the last event is %s by %s (%s)", last.Type, last.Actor, last.Agency)
		}
		if today := text(s.signIn("witness").get("/today").body); !strings.Contains(today, "The victim asked to be called back: Friday after 4pm") {
			t.Errorf("Witness Care's today page does not show the call-back: %s", today)
		}
		// Consent withdrawn, she records nothing more.
		if err := s.store.RecordConsent(ctx, throughline.Consent{CaseRef: ref, ComplainantID: "C1", ISVAAgency: "isva:rape-crisis-leeds", Given: false, RecordedBy: s.people["witness"].ID}); err != nil {
			t.Fatal(err)
		}
		if r := isva.get(casePath + "/record"); r.status != http.StatusNotFound {
			t.Errorf("after consent is withdrawn, the record menu answers %d", r.status)
		}
	})
}
