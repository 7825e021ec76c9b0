package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"throughline"
	"throughline/sqlstore/storetest"
)

const workRef = "13RS0000102/24"

// workSite is a site with a second case imported up to the trial listing
// (deadlines, an action plan, hearings) and an information request.
func workSite(t *testing.T, dsn string) *site {
	s := newSite(t, dsn)
	ctx := context.Background()
	s.loadJourney(workRef, 16)
	when, _ := throughline.ParseWhen("2025-01-10")
	req := throughline.Event{Case: workRef, Type: throughline.TypeInformationRequested, OccurredAt: when, Actor: "import", Agency: "police:13",
		Data: &throughline.InformationRequested{ComplainantID: "C1", RequestID: "R1", Material: "counselling_notes", Holder: "Leeds Counselling Service",
			Reason: "The defence statement raises a specific issue the notes may bear on"}}
	if _, _, err := s.store.Append(ctx, req, 16); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"officer", "witness"} {
		if err := s.store.SetCaseMember(ctx, "test", workRef, "user", s.people[k].ID, true); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestCasePageWorkPanels(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := workSite(t, dsn)
		ctx := context.Background()
		officer := s.signIn("officer")
		r := officer.get("/cases/" + url.PathEscape(workRef))
		if r.status != http.StatusOK {
			t.Fatalf("case page: %d %s", r.status, text(r.body))
		}
		sec := func(from, to string) string {
			return html.UnescapeString(text(between(r.body, `id="`+from+`-heading"`, to)))
		}
		deadlines := sec("deadlines", `id="messages-heading"`)
		// Every deadline of the case, with words for rule, party, duty holder and status.
		ds, err := s.store.Deadlines(ctx, workRef)
		if err != nil || len(ds) == 0 {
			t.Fatalf("deadlines: %v %d", err, len(ds))
		}
		if n := strings.Count(deadlines, "Where this rule comes from"); n != len(ds) {
			t.Errorf("%d deadlines shown, want %d: %s", n, len(ds), deadlines)
		}
		for _, want := range []string{"Early investigative advice given", "Met", "Overdue", "Amelia Hart", "Who must act", "CPS",
			"CPS and NPCC joint national operating model"} {
			if !strings.Contains(deadlines, want) {
				t.Errorf("deadlines panel lacks %q: %s", want, deadlines)
			}
		}
		// A duty the law did not yet impose says so, its dates in words:
		// the request was made before s.44B came into force.
		if want := "The clock started on 10 January 2025, before the rule came into force on 12 January 2026"; !strings.Contains(deadlines, want) {
			t.Errorf("deadlines panel lacks %q: %s", want, deadlines)
		}
		if ds := isoDates.FindAllString(text(r.body), -1); len(ds) > 0 {
			t.Errorf("the case page shows dates as %v", ds)
		}
		// Overdue first.
		if o, m := strings.Index(deadlines, "Overdue"), strings.Index(deadlines, "Met"); o < 0 || m < 0 || o > m {
			t.Errorf("overdue not first: %s", deadlines)
		}
		plans := sec("plans", `id="requests-heading"`)
		for _, want := range []string{"Obtain the complainant's phone download report", "Done 15 July 2024", "Review third-party material request", "Overdue", "26 July 2024", "CPS"} {
			if !strings.Contains(plans, want) {
				t.Errorf("action plans lack %q: %s", want, plans)
			}
		}
		requests := sec("requests", "</main>")
		for _, want := range []string{"Counselling notes", "Leeds Counselling Service", "The defence statement raises", "Amelia Hart"} {
			if !strings.Contains(requests, want) {
				t.Errorf("material requests lack %q: %s", want, requests)
			}
		}
		if m := sec("messages", `id="plans-heading"`); !strings.Contains(m, "Charged") || !strings.Contains(m, "Waiting to send") || !strings.Contains(m, "To Amelia Hart") {
			t.Errorf("messages panel: %s", m)
		}
		// The view is logged with the work part.
		log, _ := s.store.Consultations(ctx, throughline.ConsultationFilter{CaseRef: workRef})
		if len(log) != 1 || !strings.Contains(strings.Join(log[0].Parts, ","), throughline.PartWork) {
			t.Fatalf("consultation log: %+v", log)
		}

		// The inspector sees deadlines under pseudonyms, no plans or requests.
		s.store.SetCaseMember(ctx, "test", workRef, "user", s.people["inspector"].ID, true)
		r = s.signIn("inspector").get("/cases/" + url.PathEscape(workRef))
		panels := sec("deadlines", "</main>")
		if r.status != 200 || strings.Contains(r.body, "Amelia") || strings.Contains(r.body, "Leeds Counselling") || strings.Contains(panels, "phone download") ||
			!strings.Contains(panels, "Early investigative advice given") || !strings.Contains(panels, "not shown in an inspection view") || !strings.Contains(panels, "For Complainant ") {
			t.Errorf("inspector's panels: %d %s", r.status, panels)
		}

		// Another force's officer: 404 for the case, nothing of it on the lists.
		out := s.signIn("outsider")
		if r := out.get("/cases/" + url.PathEscape(workRef)); r.status != http.StatusNotFound {
			t.Errorf("outsider case page: %d", r.status)
		}
		for _, path := range []string{"/deadlines", "/deadlines/team", "/deadlines?due=overdue"} {
			if r := out.get(path); r.status != 200 || strings.Contains(r.body, "13RS") {
				t.Errorf("outsider %s: %d %s", path, r.status, text(r.body))
			}
		}
		for _, path := range []string{"/failed-deliveries", "/not-updated"} {
			if r := out.get(path); r.status != http.StatusForbidden || strings.Contains(r.body, "13RS") {
				t.Errorf("outsider officer %s: %d", path, r.status)
			}
		}
	})
}

func TestDeadlineAndContactLists(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := workSite(t, dsn)
		ctx := context.Background()
		officer := s.signIn("officer")
		r := officer.get("/deadlines")
		if r.status != 200 || !strings.Contains(r.body, `href="/cases/`+url.PathEscape(workRef)+`"`) || !strings.Contains(r.body, "Overdue") {
			t.Fatalf("my deadlines: %d %s", r.status, text(r.body))
		}
		// People by name, never by their ids in the record.
		if !strings.Contains(r.body, "Amelia Hart") || strings.Contains(r.body, "Complainant C1") || strings.Contains(r.body, ">Met<") {
			t.Errorf("my deadlines shows no names, or ids, or closed deadlines: %s", text(r.body))
		}
		if strings.Index(r.body, "Overdue") > strings.Index(r.body, "Not due yet") && strings.Contains(r.body, "Not due yet") {
			t.Error("overdue not first")
		}
		if r := officer.get("/deadlines?due=soon"); strings.Contains(r.body, "govuk-tag--red") || !strings.Contains(r.body, "govuk-tag--orange") {
			t.Errorf("due soon filter shows overdue: %s", text(r.body))
		}
		log, _ := s.store.Consultations(ctx, throughline.ConsultationFilter{CaseRef: workRef})
		if len(log) == 0 || log[len(log)-1].Parts[0] != throughline.PartWork {
			t.Errorf("list not logged: %+v", log)
		}
		// A colleague of the same force off the team sees nothing; the
		// supervisor sees the force's cases on the team list.
		if r := s.signIn("colleague").get("/deadlines/team"); strings.Contains(r.body, "13RS") {
			t.Errorf("colleague sees: %s", text(r.body))
		}
		sup := s.signIn("supervisor")
		// Only what the police owe: the CPS's overdue action plan item
		// (on the officer's own list) is not theirs to chase.
		s.appendRaw(workRef, `{"type":"action_plan_issued","occurred_at":"2026-11-02","data":{"plan_id":"AP9","items":[{"item_id":"1","description":"Trace the taxi driver","owner":"police","due":"2026-11-20"}]}}`)
		if r := sup.get("/deadlines/team"); !strings.Contains(r.body, workRef) || !strings.Contains(r.body, `<td class="govuk-table__cell">Police</td>`) ||
			strings.Contains(r.body, `<td class="govuk-table__cell">CPS</td>`) {
			t.Errorf("supervisor team list: %s", text(r.body))
		}
		if r := officer.get("/deadlines"); !strings.Contains(r.body, `<td class="govuk-table__cell">CPS</td>`) {
			t.Errorf("the officer's own list has no duty of the CPS's: this test cannot see one left out: %s", text(r.body))
		}
		if r := sup.get("/deadlines"); strings.Contains(r.body, workRef) {
			t.Errorf("supervisor's own list shows a case they are not on the team of")
		}
		// Contact queues: Witness Care on the team sees the silence.
		wcu := s.signIn("witness")
		r = wcu.get("/not-updated")
		if r.status != 200 || !strings.Contains(r.body, workRef) || !strings.Contains(r.body, "Amelia Hart") || strings.Contains(r.body, "Complainant C1") {
			t.Errorf("not updated: %d %s", r.status, text(r.body))
		}
		if r := wcu.get("/failed-deliveries"); r.status != 200 || !strings.Contains(r.body, "Messages not delivered") {
			t.Errorf("failed deliveries: %d %s", r.status, text(r.body))
		}
		// An officer may not see the queues; an ISVA sees no deadlines.
		if r := officer.get("/not-updated"); r.status != http.StatusForbidden {
			t.Errorf("officer: %d", r.status)
		}
		if r := s.signIn("isva").get("/deadlines"); strings.Contains(r.body, "13RS") {
			t.Errorf("isva: %s", text(r.body))
		}
	})
}

// between is the text of s from the first from to the next to after it.
func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s[len(from):], to); j >= 0 {
		return s[:len(from)+j]
	}
	return s
}
