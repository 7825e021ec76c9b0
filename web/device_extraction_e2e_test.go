package web_test

import (
	"context"
	"log/slog"
	"net/url"
	"testing"

	"throughline/comms/dispatch"
	"throughline/notify"
)

// A device extraction in Chromium: the officer records the request through
// its form, the written notice is delivered, the answer form says so, and
// she agrees through the answer form; every new form and the case page
// pass axe-core at 1280 pixels and again at 320.
func TestDeviceExtractionInChromium(t *testing.T) {
	e := newE2E(t)
	casePath := "/cases/" + url.PathEscape(testRef)

	e.signIn("officer")
	e.visit(casePath+"/record/device_extraction_requested", "Record a request to extract information from the victim's device")
	e.reflow("the device extraction request form")
	e.typeIn("device", "your mobile phone")
	e.typeIn("information_sought", "The messages between you and him on WhatsApp in October.")
	e.choose("data_kinds", "messages")
	e.choose("data_kinds", "photos_and_videos")
	for id, v := range map[string]string{"scope_from-day": "1", "scope_from-month": "10", "scope_from-year": "2026", "scope_to-day": "31", "scope_to-month": "10", "scope_to-year": "2026"} {
		e.typeIn(id, v)
	}
	e.typeIn("reason", "He says you stayed friendly. The messages can show what was said.")
	e.typeIn("handling", "Only the officer and the prosecutor will read them. Nothing else is looked at.")
	e.typeIn("line_of_enquiry", "Whether her messages after the night support his account of a friendly relationship.")
	e.typeIn("necessity", "The messages are the only record of what was said; only that chat and month are sought.")
	e.typeIn("other_means", "His phone was not seized and the provider keeps no content.")
	e.choose("self_selection", "yes")
	e.click("main form button", testRef)
	e.see("Device extraction requested", "Notice not yet delivered")

	e.visit(casePath+"/record/device_extraction_answered", "Record the victim's answer to a device extraction request")
	e.see("the written notice has not reached her yet", "You can record her agreement once the written notice has reached her")
	e.visit(casePath+"/record/victim_informed", "Record that the victim was told")
	e.see("Device extraction: your mobile phone, about Amelia Hart (the written notice of s.39(3))")
	e.reflow("the victim_informed form offering a device extraction notice")
	d := &dispatch.Dispatcher{Store: e.s.store.Store, Channels: map[string]notify.Channel{"email": deliverAll{}, "sms": deliverAll{}, "letter": deliverAll{}},
		Owner: "t", Now: e.s.clock.Now, Logger: slog.New(slog.DiscardHandler)}
	if _, err := d.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.visit(casePath+"/record/device_extraction_answered", "Record the victim's answer to a device extraction request")
	e.see("the written notice reached her 25 November 2026")
	e.reflow("the device extraction answer form")
	e.choose("request_id", "C1|E1")
	e.choose("answer", "agreed")
	e.choose("confirmed_in_writing", "yes")
	e.choose("data_kinds", "messages")
	e.click("main form button", testRef)
	e.see("Device extraction agreed", "She agreed on 25 November 2026, to messages, from 1 October 2026 to 31 October 2026")
	e.reflow("the case page with a device extraction")

	e.visit(casePath+"/record/device_extraction_withdrawn", "Record that the victim withdrew her agreement to a device extraction")
	e.reflow("the device extraction withdrawal form")
	t.Logf("%d pages checked with axe-core", e.pages)
}
