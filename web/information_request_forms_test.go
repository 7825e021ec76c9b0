package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"throughline"
	"throughline/internal/validatortest"
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
		{"prosecutor", throughline.TypeMaterialDecision, []string{"Select the decision", "Select the material", "Say why you made the decision, in at least 20 characters"}},
	} {
		v := url.Values{"version": {strconv.FormatInt(c.Version, 10)}, "occurred_at-day": {"25"}, "occurred_at-month": {"11"}, "occurred_at-year": {"2026"}}
		if tc.typ == throughline.TypeMaterialDecision {
			// The form asks whose material first; the rest is what this
			// row checks.
			v.Set("complainant_id", "C1")
		}
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
		// A material decision's request is optional: nothing is missing there.
		if tc.typ != throughline.TypeMaterialDecision && !strings.Contains(summary, `href="#request_id`) {
			t.Errorf("%s: the request's message links nowhere: %s", tc.typ, summary)
		}
	}
	if after, _ := s.store.Case(ctx, testRef); after.Version != c.Version {
		t.Errorf("an empty form changed the case: version %d, was %d", after.Version, c.Version)
	}
}

// The information-request section of the Disclosure Management Document:
// the prosecutor downloads it as text and as PDF, with each answer to the
// Act, the supervisor's reasons, the grounds of the exception to notice,
// the prosecutor's own view, and the decisions not to seek or to withhold
// material with their reasons and review; the PDF reads in Poppler, A4,
// its fonts embedded as tagged subsets; having either is logged as an
// export; an inspector, whose view withholds typed text, finds no such
// document in either form. On both databases.
func TestInformationRequestsDocument(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) { informationRequestsDocument(t, dsn) })
}

func informationRequestsDocument(t *testing.T, dsn string) {
	s := newSite(t, dsn)
	ctx := context.Background()
	r := lawfulRequestForm()
	at := throughline.At(s.clock.Now())
	for _, x := range []struct {
		who, agency string
		d           throughline.Data
	}{
		{"officer", "police:13", &throughline.InformationRequested{ComplainantID: "C1", RequestID: "R1", Material: "counselling_notes", Holder: r.Get("holder"),
			HolderBelief: r.Get("holder_belief"), LineOfEnquiry: r.Get("line_of_enquiry"), Necessity: r.Get("necessity"), ProbativeValue: r.Get("probative_value"),
			Reason: r.Get("reason"), Handling: r.Get("handling")}},
		{"officer", "police:13", &throughline.InformationNoticeException{ComplainantID: "C1", RequestID: "R1", Exception: throughline.NoticeLater, Reason: "She is abroad until Friday with no safe address."}},
		{"supervisor", "police:13", &throughline.InformationRequestApproved{ComplainantID: "C1", RequestID: "R1", Note: "The date of the first session alone is sought."}},
		{"prosecutor", "cps:yorkshire_humberside", &throughline.InformationRequestView{ComplainantID: "C1", RequestID: "R1", Advice: "supported", View: "The date answers the defence of late invention."}},
		{"officer", "police:13", &throughline.MaterialDecision{ComplainantID: "C1", Decision: throughline.MaterialNotSought, Material: "education",
			Reason: "Her school years are a decade before the night; nothing there bears on it."}},
		{"prosecutor", "cps:yorkshire_humberside", &throughline.MaterialDecision{ComplainantID: "C1", RequestID: "R1", Decision: throughline.MaterialWithheld, Material: "counselling_notes",
			Reason: "Nothing in the notes undermines the prosecution or assists the defence."}},
	} {
		e := throughline.Event{Case: testRef, Type: x.d.EventType(), OccurredAt: at, Actor: s.people[x.who].ID, Agency: x.agency, Data: x.d}
		if _, _, err := s.store.Append(ctx, e, throughline.AnyVersion); err != nil {
			t.Fatalf("%s: %v", e.Type, err)
		}
	}
	path := "/cases/" + url.PathEscape(testRef) + "/disclosure/information-requests"
	prosecutor := s.signIn("prosecutor")
	if c := prosecutor.get("/cases/" + url.PathEscape(testRef)); !strings.Contains(c.body, `href="`+path+`"`) || !strings.Contains(c.body, `href="`+path+`.pdf"`) {
		t.Errorf("the case page does not offer the document as text and as PDF")
	}
	doc := prosecutor.get(path)
	if doc.status != http.StatusOK || !strings.HasPrefix(doc.header.Get("Content-Type"), "text/plain") || !strings.Contains(doc.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("document: %d %v", doc.status, doc.header)
	}
	for _, want := range []string{"1. Counselling notes, about Amelia Hart", "A counselling information request (s.44A(5))", r.Get("holder_belief"), r.Get("line_of_enquiry"),
		r.Get("necessity"), r.Get("probative_value"), "She is abroad until Friday", "Approved by a police supervisor: The date of the first session alone is sought.",
		"The prosecutor supports the request: The date answers the defence of late invention."} {
		if !strings.Contains(doc.body, want) {
			t.Errorf("the document does not say %q:\n%s", want, doc.body)
		}
	}
	decisions := []string{"Decisions not to seek or to withhold material",
		"1. Not sought: education, about Amelia Hart", "Reasons: Her school years are a decade before the night; nothing there bears on it.",
		"2. Withheld: counselling notes, about Amelia Hart", "Concerning the request for counselling notes held by " + r.Get("holder"),
		"Under review: to be revisited before the PTPH and after the defence statement"}
	for _, want := range decisions {
		if !strings.Contains(doc.body, want) {
			t.Errorf("the document does not say %q:\n%s", want, doc.body)
		}
	}

	// The same as a PDF, read back by Poppler.
	p := prosecutor.get(path + ".pdf")
	if p.status != http.StatusOK || p.header.Get("Content-Type") != "application/pdf" || !strings.Contains(p.header.Get("Content-Disposition"), `filename="information-requests.pdf"`) {
		t.Fatalf("PDF: %d %v", p.status, p.header)
	}
	pdf := []byte(p.body)
	if info := validatortest.Poppler(t, pdf, "pdfinfo", "%pdf"); !strings.Contains(info, "(A4)") || !strings.Contains(info, "Disclosure Management Document") {
		t.Errorf("pdfinfo:\n%s", info)
	}
	if faces := validatortest.PDFFonts(t, validatortest.Poppler(t, pdf, "pdffonts", "%pdf")); len(faces) != 2 || !faces["DejaVuSans"] || !faces["DejaVuSans-Bold"] {
		t.Errorf("the PDF's fonts: %v, want DejaVu Sans and DejaVu Sans Bold", faces)
	}
	// pdftotext breaks lines where the PDF wraps them: compare words.
	words := strings.Join(strings.Fields(validatortest.Poppler(t, pdf, "pdftotext", "-enc", "UTF-8", "%pdf", "-")), " ")
	for _, want := range append([]string{"Case " + testRef, "1. Counselling notes, about Amelia Hart", "A counselling information request (s.44A(5))",
		r.Get("holder_belief"), r.Get("probative_value"), "Approved by a police supervisor: The date of the first session alone is sought.",
		"The prosecutor supports the request: The date answers the defence of late invention.", "page 1"}, decisions...) {
		if !strings.Contains(words, strings.Join(strings.Fields(want), " ")) {
			t.Errorf("the PDF does not say %q:\n%s", want, words)
		}
	}
	cs, err := s.store.Consultations(ctx, throughline.ConsultationFilter{CaseRef: testRef})
	if err != nil {
		t.Fatal(err)
	}
	exports := 0
	for _, c := range cs {
		if c.UserID == s.people["prosecutor"].ID && c.Channel == throughline.ChannelExport {
			exports++
		}
	}
	if exports != 2 {
		t.Errorf("%d exports in the consultation log, want 2 (text and PDF): %+v", exports, cs)
	}
	inspector := s.signIn("inspector")
	for _, doc := range []string{path, path + ".pdf"} {
		if d := inspector.get(doc); d.status != http.StatusNotFound || strings.Contains(d.body, "abroad") {
			t.Errorf("the inspector, %s: %d", doc, d.status)
		}
	}
}
