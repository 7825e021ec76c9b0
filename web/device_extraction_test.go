package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"throughline/comms/dispatch"
	"throughline/notify"
	"throughline/sqlstore/storetest"
)

// lawfulDeviceForm is the device extraction request form with each
// condition of PCSCA 2022 ss.37 and 39 answered.
func lawfulDeviceForm() url.Values {
	return url.Values{"complainant_id": {"C1"}, "device": {"your mobile phone"},
		"information_sought": {"QZXSOUGHT The messages between you and him on WhatsApp in October."},
		"data_kinds":         {"messages", "photos_and_videos"},
		"scope_from-day":     {"1"}, "scope_from-month": {"10"}, "scope_from-year": {"2026"},
		"scope_to-day": {"31"}, "scope_to-month": {"10"}, "scope_to-year": {"2026"},
		"reason":          {"He says you stayed friendly. The messages can show what was said."},
		"handling":        {"Only the officer and the prosecutor will read them. Nothing else is looked at."},
		"line_of_enquiry": {"Whether her messages after the night support his account of a friendly relationship."},
		"necessity":       {"The messages are the only record of what was said; only that chat and month are sought."},
		"other_means":     {"QZXOTHER His phone was not seized and the provider keeps no content."},
		"self_selection":  {"yes"}}
}

// on sets a form's occurred_at and case version.
func on(v url.Values, version int64, day string) url.Values {
	v.Set("version", strconv.FormatInt(version, 10))
	v.Set("occurred_at-day", day)
	v.Set("occurred_at-month", "11")
	v.Set("occurred_at-year", "2026")
	return v
}

// TestDeviceExtractionThroughThePages: the officer records a request
// through the form (a request missing conditions is refused naming each);
// her agreement is refused until the written notice has reached her, and
// without her written confirmation; the dispatcher delivers the notice;
// then her agreement is recorded. The prosecutor sees every answer and
// hers; the inspector sees none of it; the ISVA sees that it happened,
// without the device's words. On both databases.
func TestDeviceExtractionThroughThePages(t *testing.T) {
	for name, dsn := range storetest.DSNs(t) {
		t.Run(name, func(t *testing.T) {
			s := todaySite(t, dsn)
			ctx := context.Background()
			officer := s.signIn("officer")
			casePath := "/cases/" + url.PathEscape(chargedRef)
			version := func() int64 { return caseVersion(t, s, chargedRef) }

			// Before any request, the menu says what her answer waits for.
			menu := text(officer.get(casePath + "/record").body)
			if !strings.Contains(menu, "You can record her agreement once the written notice has reached her.") {
				t.Errorf("the record menu does not say what her answer waits for: %s", menu)
			}

			v := lawfulDeviceForm()
			v.Del("other_means")
			v.Del("handling")
			r := officer.post(casePath+"/record/device_extraction_requested", on(v, version(), "25"))
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422: %s", r.status, text(r.body))
			}
			for _, want := range []string{`href="#other_means"`, "s.37(7) and (8)", `href="#handling"`, "s.39(3)(c)"} {
				if !strings.Contains(r.body, want) {
					t.Errorf("the refusal does not say %q: %s", want, text(r.body))
				}
			}
			if strings.Contains(r.body, `href="#necessity"`) {
				t.Error("an answered condition is named as missing")
			}

			if r := officer.post(casePath+"/record/device_extraction_requested", on(lawfulDeviceForm(), version(), "25")); r.status != http.StatusSeeOther {
				t.Fatalf("request: %d %s", r.status, text(r.body))
			}
			agree := url.Values{"request_id": {"C1|E1"}, "answer": {"agreed"}, "confirmed_in_writing": {"yes"}, "data_kinds": {"messages"}}
			r = officer.post(casePath+"/record/device_extraction_answered", on(agree, version(), "25"))
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r.body), "You can record her answer once the written notice has reached her") {
				t.Fatalf("agreement before the notice reached her: %d %s", r.status, text(r.body))
			}
			if menu := officer.get(casePath + "/record").body; !strings.Contains(menu, "/record/device_extraction_answered") {
				t.Error("the record menu does not offer her answer once a request is made (she may say no at any time)")
			}
			if form := text(officer.get(casePath + "/record/device_extraction_answered").body); !strings.Contains(form, "the written notice has not reached her yet") {
				t.Errorf("the answer form does not say the notice has not reached her: %s", form)
			}

			// The dispatcher delivers what the case owes, the notice among it.
			d := &dispatch.Dispatcher{Store: s.store.Store, Channels: map[string]notify.Channel{"email": deliverAll{}, "sms": deliverAll{}, "letter": deliverAll{}},
				Owner: "t", Now: s.clock.Now, Logger: slog.New(slog.DiscardHandler)}
			if _, err := d.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
			c, err := s.store.Case(ctx, chargedRef)
			if err != nil {
				t.Fatal(err)
			}
			if x := c.Complainant("C1").Device("E1"); x == nil || x.NoticeOn.IsZero() {
				t.Fatalf("the notice was not delivered: %+v", x)
			}
			ms, err := s.store.Messages(ctx, chargedRef)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, m := range ms {
				if m.Kind == "device_extraction" {
					found = strings.Contains(m.Body, "You can say no.") && strings.Contains(m.Body, "Saying no will not by itself end the investigation.")
				}
			}
			if !found {
				t.Errorf("no notice saying she may refuse, and that refusing will not end the investigation, among %d messages", len(ms))
			}

			unconfirmed := url.Values{"request_id": {"C1|E1"}, "answer": {"agreed"}, "data_kinds": {"messages"}}
			r = officer.post(casePath+"/record/device_extraction_answered", on(unconfirmed, version(), "25"))
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#confirmed_in_writing"`) || !strings.Contains(r.body, "s.39(4)") {
				t.Fatalf("agreement without written confirmation: %d %s", r.status, text(r.body))
			}
			wider := url.Values{"request_id": {"C1|E1"}, "answer": {"agreed"}, "confirmed_in_writing": {"yes"}, "data_kinds": {"messages", "location"}}
			r = officer.post(casePath+"/record/device_extraction_answered", on(wider, version(), "25"))
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r.body), "never more") {
				t.Fatalf("agreement wider than the request: %d %s", r.status, text(r.body))
			}
			agree.Set("scope_from-day", "10")
			agree.Set("scope_from-month", "10")
			agree.Set("scope_from-year", "2026")
			if r := officer.post(casePath+"/record/device_extraction_answered", on(agree, version(), "25")); r.status != http.StatusSeeOther {
				t.Fatalf("agreement: %d %s", r.status, text(r.body))
			}

			body := text(s.signIn("prosecutor").get(casePath).body)
			for _, want := range []string{"Device extraction", "Your mobile phone", "Agreed", "QZXSOUGHT", "QZXOTHER", "s.37(5)(b)",
				"She agreed on 25 November 2026, to messages, from 10 October 2026 to 31 October 2026. She confirmed it in writing (s.39(4))"} {
				if !strings.Contains(body, want) {
					t.Errorf("the prosecutor does not see %q: %s", want, body)
				}
			}
			inspector := text(s.signIn("inspector").get(casePath).body)
			if !strings.Contains(inspector, "not shown in this view") {
				t.Errorf("the inspector's view does not say device extraction is withheld: %s", inspector)
			}
			isva := text(s.signIn("isva").get(casePath).body)
			if !strings.Contains(isva, "Device extraction agreed") {
				t.Errorf("the ISVA does not see that she agreed: %s", isva)
			}
			for _, page := range []string{inspector, isva} {
				for _, secret := range []string{"QZXSOUGHT", "QZXOTHER", "mobile phone", "WhatsApp"} {
					if strings.Contains(page, secret) {
						t.Errorf("a view that may not see it shows %q", secret)
					}
				}
			}

			// She withdraws: the record says the extraction must stop.
			if r := officer.post(casePath+"/record/device_extraction_withdrawn", on(url.Values{"request_id": {"C1|E1"}}, version(), "25")); r.status != http.StatusSeeOther {
				t.Fatalf("withdrawal: %d %s", r.status, text(r.body))
			}
			if body := text(officer.get(casePath).body); !strings.Contains(body, "Agreement withdrawn") || !strings.Contains(body, "the extraction must stop") {
				t.Errorf("the withdrawal is not shown: %s", body)
			}
			if c, _ := s.store.Case(ctx, chargedRef); c.Complainant("C1").Device("E1").WithdrawnOn.IsZero() {
				t.Error("the withdrawal was not recorded")
			}
		})
	}
}

// TestDeviceNoticeByHand: a written notice given outside the dispatcher
// is recorded through the victim_informed form, naming its request; by
// phone it does not count (s.39(3)); once it is recorded her agreement can
// be.
func TestDeviceNoticeByHand(t *testing.T) {
	s := todaySite(t, storetest.DSNs(t)["sqlite"])
	officer := s.signIn("officer")
	casePath := "/cases/" + url.PathEscape(chargedRef)
	version := func() int64 { return caseVersion(t, s, chargedRef) }
	if r := officer.post(casePath+"/record/device_extraction_requested", on(lawfulDeviceForm(), version(), "25")); r.status != http.StatusSeeOther {
		t.Fatalf("request: %d %s", r.status, text(r.body))
	}
	if form := text(officer.get(casePath + "/record/victim_informed").body); !strings.Contains(form, "Device extraction: your mobile phone, about Amelia Hart") {
		t.Errorf("the victim_informed form does not offer the request waiting for its notice: %s", form)
	}
	told := url.Values{"complainant_id": {"C1"}, "about": {"device_extraction_requested"}, "channel": {"phone"}, "called_at": {"8am"}, "request_id": {"E1"}}
	if r := officer.post(casePath+"/record/victim_informed", on(told, version(), "25")); r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r.body), "must be given in writing") {
		t.Fatalf("a notice by phone: %d %s", r.status, text(r.body))
	}
	// She asked never to be written to at home: the notice was emailed.
	told.Set("channel", "email")
	if r := officer.post(casePath+"/record/victim_informed", on(told, version(), "25")); r.status != http.StatusSeeOther {
		t.Fatalf("a notice by email: %d %s", r.status, text(r.body))
	}
	agree := url.Values{"request_id": {"C1|E1"}, "answer": {"agreed"}, "confirmed_in_writing": {"yes"}, "data_kinds": {"messages"}}
	if r := officer.post(casePath+"/record/device_extraction_answered", on(agree, version(), "25")); r.status != http.StatusSeeOther {
		t.Fatalf("agreement after the paper notice: %d %s", r.status, text(r.body))
	}
}

// caseVersion is the case's version now, for a form's hidden field.
func caseVersion(t *testing.T, s *site, ref string) int64 {
	t.Helper()
	c, err := s.store.Case(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	return c.Version
}
