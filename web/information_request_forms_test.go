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

// Each form of a request's workflow, sent empty, is refused with one
// message per field it asks, in the Design System's words, each linked to
// its field; none names a field the form does not ask (the complainant
// comes with the request), and nothing is recorded.
func TestRequestWorkflowFormsSayWhatIsMissing(t *testing.T) {
	s := newSite(t, storetest.DSNs(t)["sqlite"])
	ctx := context.Background()
	for _, id := range []string{"R1", "R2"} {
		r := lawfulRequestForm()
		d := &throughline.InformationRequested{ComplainantID: "C1", RequestID: id, Material: "medical", Holder: r.Get("holder"), HolderBelief: r.Get("holder_belief"),
			LineOfEnquiry: r.Get("line_of_enquiry"), Necessity: r.Get("necessity"), Reason: r.Get("reason"), Handling: r.Get("handling")}
		e := throughline.Event{Case: testRef, Type: throughline.TypeInformationRequested, OccurredAt: throughline.At(s.clock.Now()), Actor: s.people["officer"].ID, Agency: "police:13", Data: d}
		if _, _, err := s.store.Append(ctx, e, throughline.AnyVersion); err != nil {
			t.Fatal(err)
		}
	}
	c, err := s.store.Case(ctx, testRef)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		who, typ string
		want     []string
	}{
		{"supervisor", throughline.TypeInformationRequestApproved, []string{"Select the request", "Say why you approve the request, in at least 20 characters"}},
		{"supervisor", throughline.TypeInformationNoticeExceptionApproved, []string{"Select the request", "Say why you approve the exception to notice, in at least 20 characters"}},
		{"officer", throughline.TypeInformationRequestSent, []string{"Select the request"}},
		{"officer", throughline.TypeInformationRequestResponse, []string{"Select the request", "Select the result"}},
		{"officer", throughline.TypeInformationRequestWithdrawn, []string{"Select the request", "Say why the request is withdrawn, in at least 20 characters"}},
		{"prosecutor", throughline.TypeInformationRequestView, []string{"Select the request", "Select your advice", "Give your view of the request, in at least 20 characters"}},
	} {
		v := url.Values{"version": {strconv.FormatInt(c.Version, 10)}, "occurred_at-day": {"25"}, "occurred_at-month": {"11"}, "occurred_at-year": {"2026"}}
		r := s.signIn(tc.who).post("/cases/"+url.PathEscape(testRef)+"/record/"+tc.typ, v)
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", tc.typ, r.status)
			continue
		}
		summary := r.body[strings.Index(r.body, "govuk-error-summary"):]
		summary = summary[:strings.Index(summary, "</ul>")]
		if n := strings.Count(summary, "<li>"); n != len(tc.want) {
			t.Errorf("%s: %d messages, want %d: %s", tc.typ, n, len(tc.want), text(summary))
		}
		for _, w := range tc.want {
			if !strings.Contains(summary, w) {
				t.Errorf("%s: the summary does not say %q: %s", tc.typ, w, text(summary))
			}
		}
		if !strings.Contains(summary, `href="#request_id`) {
			t.Errorf("%s: the request's message links nowhere: %s", tc.typ, summary)
		}
	}
	if after, _ := s.store.Case(ctx, testRef); after.Version != c.Version {
		t.Errorf("an empty form changed the case: version %d, was %d", after.Version, c.Version)
	}
}
