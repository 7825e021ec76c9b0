package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"throughline"
	"throughline/sqlstore/storetest"
)

// A device extraction request (PCSCA 2022 s.37): the device and every
// reason never reach the events table in clear; her agreement is refused
// until the written notice the dispatcher delivers has reached her (s.39(3)),
// and stands once it has.
func TestDeviceExtractionNotice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn)
		upToCharge(t, s, "DEV-1")
		live(t, s, "DEV-1", `{"type":"device_extraction_requested","occurred_at":"2026-11-24","data":{"complainant_id":"C1","request_id":"E1","device":"QZXDEVICE her phone",`+
			`"information_sought":"QZXSOUGHT The messages between you and him in June.","data_kinds":["messages"],"scope_from":"2026-06-01","scope_to":"2026-06-30",`+
			`"reason":"QZXREASON He says you stayed friendly afterwards.","handling":"QZXHANDLING Only the officer and the prosecutor will read them.",`+
			`"line_of_enquiry":"QZXENQUIRY Whether her messages support his account.","necessity":"QZXNECESSITY Only June and that chat are sought.",`+
			`"other_means":"QZXOTHER His phone was not seized; the provider keeps no content."}}`)
		var n int
		if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM events WHERE data LIKE '%QZX%' OR CAST(personal AS TEXT) LIKE '%QZX%'`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d events hold the device or a reason in clear (%v)", n, err)
		}
		agree := throughline.Event{Case: "DEV-1", Type: throughline.TypeDeviceExtractionAnswered, OccurredAt: throughline.At(clock), Actor: "u_oic", Agency: "police:13",
			Data: &throughline.DeviceExtractionAnswered{ComplainantID: "C1", RequestID: "E1", Answer: throughline.DeviceAgreed, ConfirmedInWriting: true, DataKinds: []string{"messages"}}}
		if _, _, err := s.Append(ctx, agree, throughline.AnyVersion); throughline.ErrorCode(err) != throughline.EINVALID {
			t.Fatalf("an agreement before the notice reached her: %v", err)
		}
		ps, err := s.Claim(ctx, "A", 10, time.Minute)
		if err != nil || len(ps) != 1 || ps[0].Subject != "request:E1" || ps[0].Kind != "device_extraction" {
			t.Fatalf("claimed %+v, %v", ps, err)
		}
		p := ps[0]
		p.Channel, p.Reference = "email", "TL-x-0-0"
		p.Content = throughline.MessageContent{Lang: "en", Subject: "Your case", Body: "Notice of a request.", Recipient: "amelia@example.org"}
		if err := s.Sending(ctx, "A", p); err != nil {
			t.Fatal(err)
		}
		if err := s.Delivered(ctx, "A", p.ID, "email"); err != nil {
			t.Fatal(err)
		}
		c, err := s.Case(ctx, "DEV-1")
		if err != nil {
			t.Fatal(err)
		}
		if x := c.Complainant("C1").Device("E1"); x == nil || x.NoticeOn.IsZero() || x.Device != "QZXDEVICE her phone" {
			t.Fatalf("after delivery: %+v", x)
		}
		if _, _, err := s.Append(ctx, agree, throughline.AnyVersion); err != nil {
			t.Fatalf("her agreement once the notice reached her: %v", err)
		}
	})
}
