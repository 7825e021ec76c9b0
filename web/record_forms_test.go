package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"throughline/sqlstore/storetest"
)

// The casework that once only the API took, done through the pages: each
// form's answers become the event, read back from the case.
func TestCaseworkForms(t *testing.T) {
	s := todaySite(t, storetest.DSNs(t)["sqlite"])
	officer, prosecutor, witness := s.signIn("officer"), s.signIn("prosecutor"), s.signIn("witness")
	ref := url.PathEscape(chargedRef)
	ctx := context.Background()
	today := url.Values{"occurred_at-day": {"25"}, "occurred_at-month": {"11"}, "occurred_at-year": {"2026"}}
	record := func(b *browser, typ string, v url.Values) page {
		t.Helper()
		c, err := s.store.Case(ctx, chargedRef)
		if err != nil {
			t.Fatal(err)
		}
		v.Set("version", strconv.FormatInt(c.Version, 10))
		for k, vs := range today {
			v[k] = vs
		}
		return b.post("/cases/"+ref+"/record/"+typ, v)
	}
	for _, step := range []struct {
		who  *browser
		typ  string
		form url.Values
	}{
		{prosecutor, "special_measures_applied", url.Values{"complainant_id": {"C1"}, "measures": {"screens", "s28_pre_recorded_cross_examination"}}},
		{witness, "special_measures_decided", url.Values{"complainant_id": {"C1"}, "granted": {"s28_pre_recorded_cross_examination"}, "refused": {"screens"}}},
		{prosecutor, "stage1_served", url.Values{"defendant_id": {"D1"}}},
		{officer, "contact_preferences_set", url.Values{"complainant_id": {"C1"}, "channels": {"phone"}, "channels-then": {"sms"}, "mobile": {"07700900123"}, "never_write_home": {"yes"}, "safe_times": {"after 6pm"}, "language": {"cy"}, "routine_every_days": {"14"}}},
		{witness, "named_contact_changed", url.Values{"complainant_id": {"C1"}, "name": {"Gwen Price"}, "team": {"West Yorkshire Police Witness Care Unit"}, "phone": {"0113 000 0000"}}},
		{officer, "information_requested", lawfulRequestForm()},
	} {
		if r := record(step.who, step.typ, step.form); r.status != http.StatusSeeOther {
			t.Fatalf("%s: %d %s", step.typ, r.status, text(r.body))
		}
	}
	c, err := s.store.Case(ctx, chargedRef)
	if err != nil {
		t.Fatal(err)
	}
	cp := c.Complainant("C1")
	if !slices.Equal(cp.MeasuresApplied, []string{"screens", "s28_pre_recorded_cross_examination"}) || !slices.Equal(cp.MeasuresGranted, []string{"s28_pre_recorded_cross_examination"}) {
		t.Errorf("special measures: applied %v, granted %v", cp.MeasuresApplied, cp.MeasuresGranted)
	}
	if c.Defendant("D1").Stage1Served.IsZero() {
		t.Error("Stage 1 not recorded")
	}
	if pr := cp.Preferences; pr == nil || !slices.Equal(pr.Channels, []string{"phone", "sms"}) || !pr.NeverWriteHome || pr.Language != "cy" || pr.RoutineEveryDays != 14 || pr.SafeTimes != "after 6pm" {
		t.Errorf("preferences: %+v", cp.Preferences)
	}
	if cp.Contact == nil || cp.Contact.Name != "Gwen Price" || cp.Contact.Team != "West Yorkshire Police Witness Care Unit" {
		t.Errorf("named contact: %+v", cp.Contact)
	}
	// The named contact's team is chosen from the list, the case's force's
	// unit first; a team typed in is refused.
	form := text(witness.get("/cases/" + ref + "/record/named_contact_changed").body)
	if !strings.Contains(form, "comes first West Yorkshire Police Witness Care Unit West Yorkshire Police Avon and Somerset Police ") {
		t.Errorf("the named contact's team is not a list with the force's own first:\n%s", form)
	}
	if r := record(witness, "named_contact_changed", url.Values{"complainant_id": {"C1"}, "name": {"Lee Marsh"}, "team": {"Leeds WCU"}, "phone": {"0113 000 0001"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Select the team they work in") {
		t.Errorf("a team typed in: %d %s", r.status, text(r.body))
	}
	if len(cp.Requests) != 1 || cp.Requests[0].RequestID != "R1" || cp.Requests[0].Material != "counselling_notes" {
		t.Errorf("information requests: %+v", cp.Requests)
	}

	// A form left incomplete says what to do, field by field, and records
	// nothing.
	before := c.Version
	bad := record(prosecutor, "special_measures_applied", url.Values{"complainant_id": {"C1"}})
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "Select at least one measure") || !strings.Contains(bad.body, `href="#measures"`) {
		t.Errorf("no measure chosen: %d %s", bad.status, text(bad.body))
	}
	bad = record(officer, "complainant_withdrew", url.Values{"complainant_id": {"C1"}})
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "Enter the reason") {
		t.Errorf("withdrawal without a reason: %d %s", bad.status, text(bad.body))
	}
	if c, _ := s.store.Case(ctx, chargedRef); c.Version != before {
		t.Errorf("a refused form changed the case: version %d, was %d", c.Version, before)
	}
	if r := record(officer, "complainant_withdrew", url.Values{"complainant_id": {"C1"}, "reason": {"She no longer wants to go to court"}}); r.status != http.StatusSeeOther {
		t.Fatalf("withdrawal: %d %s", r.status, text(r.body))
	}
}
