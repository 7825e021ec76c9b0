package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"throughline"
	"throughline/sqlstore/storetest"
)

// A case-file review from the pages: an inspector draws a stratified sample
// of closed cases naming the reviewing inspectors; they read each case
// pseudonymised, every look logged with the review as its purpose; another
// inspector cannot; when the window closes the access ends (an injected
// clock); bad input is refused and records nothing.
func TestCaseFileReview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		lead := s.addPerson("lead", "Ruth Okafor", throughline.RoleInspector, "inspectorate")
		second := s.addPerson("second", "Tom Price", throughline.RoleInspector, "inspectorate")
		s.addPerson("stranger", "Ama Mensah", throughline.RoleInspector, "inspectorate")
		// An officer is not offered as a reviewer and is refused if sent:
		// the policy's ActionReviewCaseFiles says who may review.
		officer := s.people["officer"]
		markers := s.seedCases(300)
		ctx := context.Background()

		b := s.signIn("lead")
		if p := b.get("/reviews"); p.status != http.StatusOK || !strings.Contains(text(p.body), "Draw a new sample") || !strings.Contains(text(p.body), "Tom Price") {
			t.Fatalf("reviews: %d %s", p.status, text(p.body))
		}
		bad := b.post("/reviews", url.Values{"title": {""}, "by": {"postcode"}, "per_stratum": {"0"}, "days": {"400"}, "reviewers": {"u_nobody"}})
		if bad.status != http.StatusUnprocessableEntity {
			t.Fatalf("bad review: %d", bad.status)
		}
		for _, msg := range []string{"Enter a title", "Select police force or CPS area", "from 1 to 20", "from 1 to 90", "Select reviewers from the list"} {
			if !strings.Contains(text(bad.body), msg) {
				t.Errorf("the refusal does not say %q", msg)
			}
		}
		if rs, _ := s.store.Reviews(ctx, lead.ID); len(rs) != 0 {
			t.Fatalf("a refused review was recorded: %+v", rs)
		}
		if list := text(b.get("/reviews").body); strings.Contains(list, officer.Name) {
			t.Errorf("%s is offered as a reviewer", officer.Name)
		}
		byOfficer := b.post("/reviews", url.Values{"title": {"Thematic 2026"}, "by": {"force"}, "per_stratum": {"2"}, "days": {"28"}, "reviewers": {officer.ID},
			"questions": {strings.Join(throughline.DefaultReviewQuestions, "\r\n")}})
		if byOfficer.status != http.StatusUnprocessableEntity || !strings.Contains(text(byOfficer.body), "Select reviewers from the list") {
			t.Errorf("an officer as a reviewer: %d %s", byOfficer.status, text(byOfficer.body))
		}
		if rs, _ := s.store.Reviews(ctx, lead.ID); len(rs) != 0 {
			t.Fatalf("a review with an officer as reviewer was recorded: %+v", rs)
		}

		r := b.post("/reviews", url.Values{"title": {"Thematic 2026"}, "by": {"force"}, "per_stratum": {"2"}, "days": {"28"}, "reviewers": {lead.ID, second.ID},
			"questions": {strings.Join(throughline.DefaultReviewQuestions, "\r\n")}})
		loc := r.header.Get("Location")
		if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/reviews/rv_") {
			t.Fatalf("draw: %d %q %s", r.status, loc, text(r.body))
		}
		rv := b.get(loc)
		links := regexp.MustCompile(`href="(/cases/[^"]+)"`).FindAllStringSubmatch(rv.body, -1)
		if rv.status != http.StatusOK || len(links) < 4 || !strings.Contains(text(rv.body), "West Yorkshire Police") {
			t.Fatalf("the review page: %d, %d cases\n%s", rv.status, len(links), text(rv.body))
		}
		stored, err := s.store.Reviews(ctx, lead.ID)
		if err != nil || len(stored) != 1 || len(stored[0].Cases) != len(links) {
			t.Fatalf("stored: %+v %v", stored, err)
		}
		ref := stored[0].Cases[0].Case
		caseURL := links[0][1]

		// The reviewers read the case, pseudonymised; the look is logged.
		for _, who := range []*browser{b, s.signIn("second")} {
			c := who.get(caseURL)
			if c.status != http.StatusOK || !strings.Contains(c.body, "Complainant ") {
				t.Fatalf("a reviewer reads %s: %d %s", ref, c.status, text(c.body))
			}
			for _, m := range markers {
				if !strings.Contains(m, "/") && strings.Contains(c.body, m) {
					t.Errorf("the reviewer sees the name %q", m)
				}
			}
		}
		// The lead answers two questions about it; a finding without an
		// answer is refused and records nothing; the report counts them.
		answers := "/reviews/" + stored[0].ID + "/answers?" + url.Values{"case": {ref}}.Encode()
		p := b.get(answers)
		if p.status != http.StatusOK || !strings.Contains(text(p.body), "Victim communication") {
			t.Fatalf("the answers form: %d %s", p.status, text(p.body))
		}
		// Under each question, what the record shows, from the case as the
		// reviewer may read it (no name), with the look logged.
		for _, want := range []string{"What the record shows", "The victim's entitlements under the Victims' Code: ", "The police's and the CPS's case duties",
			"Written notice to the victim on or before each information request", "Action plan items: ", "#deadlines-heading"} {
			if !strings.Contains(html.UnescapeString(p.body), want) {
				t.Errorf("the answers form does not show %q:\n%s", want, text(p.body))
			}
		}
		if !regexp.MustCompile(`(Applied for [^.]+ on \d+ \w+ \d{4}|No application for special measures is recorded)`).MatchString(text(p.body)) {
			t.Errorf("the answers form says nothing of special measures:\n%s", text(p.body))
		}
		for _, m := range markers {
			if !strings.Contains(m, "/") && strings.Contains(p.body, m) {
				t.Errorf("the answers form shows the name %q", m)
			}
		}
		logged, err := s.store.Consultations(ctx, throughline.ConsultationFilter{UserID: lead.ID})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(logged, func(c throughline.Consultation) bool {
			return c.CaseRef == ref && strings.HasPrefix(c.Target, "GET /reviews/")
		}) {
			t.Errorf("reading the record for the answers was not logged: %+v", logged)
		}
		if p := b.post(answers, url.Values{"finding-2": {"No supervision recorded"}}); p.status != http.StatusUnprocessableEntity || !strings.Contains(text(p.body), "Select an answer to question 2") {
			t.Errorf("a finding without an answer: %d", p.status)
		}
		if got, _ := s.store.ReviewAnswers(ctx, stored[0].ID); len(got) != 0 {
			t.Fatalf("a refused answer was recorded: %+v", got)
		}
		if p := b.post(answers, url.Values{"answer-1": {"partly"}, "finding-1": {"Told of the charge late"}, "answer-2": {"no"}, "finding-2": {"No supervision recorded"}}); p.status != http.StatusSeeOther {
			t.Fatalf("answers: %d %s", p.status, text(p.body))
		}
		if got, _ := s.store.ReviewAnswers(ctx, stored[0].ID); len(got) != 2 || got[0].Finding != "Told of the charge late" {
			t.Errorf("answers recorded: %+v", got)
		}
		if p := b.get(loc); !strings.Contains(text(p.body), "Answers so far, all reviewers") || !strings.Contains(text(p.body), "1 of "+strconv.Itoa(len(links))) {
			t.Errorf("the review's report does not count the answers:\n%s", text(p.body))
		}
		logged, err = s.store.Consultations(ctx, throughline.ConsultationFilter{CaseRef: ref, UserID: lead.ID})
		if err != nil || len(logged) == 0 || logged[0].Purpose != "case-file review: Thematic 2026" || logged[0].Basis != throughline.BasisReview {
			t.Errorf("the reviewer's look is not logged as the review's: %+v %v", logged, err)
		}

		// An inspector not on the review sees neither it nor its cases.
		o := s.signIn("stranger")
		if p := o.get(loc); p.status != http.StatusNotFound {
			t.Errorf("an inspector not on the review sees it: %d", p.status)
		}
		if p := o.get(caseURL); p.status != http.StatusNotFound {
			t.Errorf("an inspector not on the review reads its case: %d", p.status)
		}
		if p := o.post(answers, url.Values{"answer-1": {"yes"}}); p.status != http.StatusNotFound {
			t.Errorf("an inspector not on the review answers about its case: %d", p.status)
		}

		// The window closes 28 days after the draw: the case is gone, the
		// review stays as a record without links.
		s.clock.Advance(28*24*time.Hour + time.Minute)
		b = s.signIn("lead")
		if p := b.get(caseURL); p.status != http.StatusNotFound {
			t.Errorf("after the window the reviewer still reads the case: %d", p.status)
		}
		if p := b.post(answers, url.Values{"answer-1": {"yes"}}); p.status != http.StatusNotFound {
			t.Errorf("after the window the reviewer still answers: %d", p.status)
		}
		after := b.get(loc)
		if after.status != http.StatusOK || !strings.Contains(text(after.body), "Access to these cases ended") || strings.Contains(after.body, `href="/cases/`) {
			t.Errorf("the closed review: %d %s", after.status, text(after.body))
		}
	})
}
