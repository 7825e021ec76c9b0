package web_test

import (
	"context"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"testing"

	"throughline"
	"throughline/comms/dispatch"
	"throughline/notify"
)

// The lawful path of a counselling information request through the pages
// (ADR 0400), on 25 November 2026: the officer drafts it with each
// condition of s.44A answered and cannot send it; a police supervisor
// approves it; her written notice, queued when the request was recorded,
// is delivered by email (s.44B); only then does the officer send it, and
// the holder's answer and the prosecutor's view are recorded. Every form
// passes axe-core at 1280 and at 320 pixels wide.
func TestInformationRequestWorkflowInChromium(t *testing.T) {
	e := newE2E(t)
	ctx := context.Background()
	casePath := "/cases/" + url.PathEscape(testRef)
	const sendForm = "Record a request for the victim's information sent"

	e.signIn("officer")
	e.visit(casePath+"/record/information_requested", "Record a request for the victim's information")
	e.choose("material", "counselling_notes")
	v := lawfulRequestForm()
	for _, k := range []string{"holder", "holder_belief", "line_of_enquiry", "necessity", "probative_value", "reason", "handling"} {
		e.typeIn(k, v.Get(k))
	}
	e.click("main form button", testRef)
	e.see("Information request recorded", "Not yet approved: a counselling information request cannot be sent until a police supervisor approves it",
		"Not yet delivered: the request cannot be sent until it is")
	if body := e.bodyText(); strings.Contains(body, "Approve the request") || !strings.Contains(body, "Record it sent") {
		e.fail("the officer is offered the wrong next steps: %s", body)
	}

	// Not approved, and her notice not delivered: the send is refused, saying why.
	e.visit(casePath+"/record/information_request_sent", sendForm)
	e.reflow("the send form")
	e.choose("request_id", "R1")
	e.click("main form button", sendForm)
	e.see("There is a problem", "a police supervisor must approve it before it is sent")
	e.reflow("the send form refused")
	// The officer cannot approve their own request: the form is not theirs.
	if r := e.s.signIn("officer").get(casePath + "/record/information_request_approved"); r.status != 403 {
		e.fail("an officer opens the approval form: %d", r.status)
	}
	e.signOut()

	// The supervisor finds the step waiting on the case page, one click away.
	e.signIn("supervisor")
	e.visit(casePath, testRef)
	e.click(`.app-request-next a[href*="/record/information_request_approved?request_id=R1"]`, "Approve a request for the victim's information")
	e.reflow("the approval form")
	e.click("main form button", "Approve a request for the victim's information")
	e.see("There is a problem", "Say why you approve the request")
	e.choose("request_id", "R1")
	e.typeIn("note", "Only the date of the first session is sought; it alone answers the defence of late invention.")
	e.click("main form button", testRef)
	e.see("Request approved", "Approved by a police supervisor on 25 November 2026")
	e.visit(casePath+"/record/information_notice_exception_approved", "Approve an exception to notice to the victim")
	e.reflow("the exception approval form")
	e.signOut()

	// Approved, but her notice is not yet delivered.
	e.signIn("officer")
	e.visit(casePath+"/record/information_request_sent", sendForm)
	e.choose("request_id", "R1")
	e.click("main form button", sendForm)
	e.see("cannot be sent until the victim's written notice of it (s.44B) has been delivered")

	// A notice recorded by hand asks which request it was of.
	e.visit(casePath+"/record/victim_informed", "Record that the victim was told")
	e.see("If this was notice of a request for their information, which request?", "It was not notice of a request")
	e.reflow("the notice form")

	// The notice goes by email, as she asked, and names its request.
	d := &dispatch.Dispatcher{Store: e.s.store.Store, Channels: map[string]notify.Channel{"email": channel{}, "sms": channel{}}, Owner: "t", Now: e.s.clock.Now,
		Logger: slog.New(slog.DiscardHandler)}
	for range 3 {
		if _, err := d.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	evs, err := e.s.store.Events(ctx, testRef)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(evs, func(x throughline.Event) bool {
		vi, ok := x.Data.(*throughline.VictimInformed)
		return ok && vi.RequestID == "R1" && vi.Channel == "email"
	}) {
		e.fail("no delivered notice names request R1")
	}

	e.visit(casePath+"/record/information_request_sent", sendForm)
	e.choose("request_id", "R1")
	e.click("main form button", testRef)
	e.see("Request sent", "Sent, no answer yet", "Delivered in writing on 25 November 2026")

	e.visit(casePath+"/record/information_request_response", "Record the holder's answer to a request")
	e.reflow("the answer form")
	e.choose("request_id", "R1")
	e.choose("result", "received")
	e.click("main form button", testRef)
	e.see("Answer recorded", "Information received")
	e.visit(casePath+"/record/information_request_withdrawn", "Withdraw a request for the victim's information")
	e.reflow("the withdrawal form")
	e.see("No information request on this case is at this step")
	e.signOut()

	e.signIn("prosecutor")
	e.visit(casePath+"/record/information_request_view", "Record your view of a request for the victim's information")
	e.reflow("the view form")
	e.choose("request_id", "R1")
	e.choose("advice", "supported")
	e.typeIn("view", "The date of first disclosure is the one fact that answers the defence; nothing else should be read.")
	e.click("main form button", testRef)
	e.see("View recorded", "The prosecutor supports the request",
		"The police sent the request for counselling notes about Amelia Hart to the holder.", "The prosecutor supports the request for counselling notes.")

	// The prosecutor withholds what came back: the decision is kept under
	// review (material_review), and the timeline says so.
	e.visit(casePath+"/record/material_decision", "Record a decision not to seek or to withhold material")
	e.reflow("the material decision form")
	e.choose("decision", "withheld")
	e.choose("material", "counselling_notes")
	e.choose("request_id", "R1")
	e.typeIn("reason", "Nothing in the notes bears on the issues the defence has raised so far.")
	e.click("main form button", testRef)
	e.see("Decision recorded", "It was decided to withhold counselling notes about Amelia Hart. The decision is kept under review.",
		"The information-request section of the Disclosure Management Document, with the decisions not to seek or to withhold material", "download it as a PDF")
	e.reflow("the case page, offering the Disclosure Management Document as PDF and text")
	t.Logf("%d pages checked with axe-core", e.pages)
}
