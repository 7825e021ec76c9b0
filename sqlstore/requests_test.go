package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"throughline"
	"throughline/deadline"
	"throughline/sqlstore/storetest"
)

// A victim information request: its holder and reasons never reach the
// events table in clear; the notice the dispatcher delivers names the
// request and meets its deadline (PCSCA 2022 s.44B(3)(a)).
func TestInformationRequestNotice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn)
		upToCharge(t, s, "VIR-1")
		live(t, s, "VIR-1", `{"type":"information_requested","occurred_at":"2026-11-24","data":{"complainant_id":"C1","request_id":"R1","material":"counselling_notes",`+
			`"holder":"QZXHOLDER Rape Crisis","holder_belief":"QZXBELIEF She said in interview she saw a counsellor there.",`+
			`"line_of_enquiry":"When she first disclosed: the defence says she invented it later.","necessity":"Only the date of the first session is sought.",`+
			`"probative_value":"The date of first disclosure meets the defence of late invention.","reason":"To check when you first told someone what happened.",`+
			`"handling":"Only the officer and the prosecutor will read it."}}`)
		var n int
		if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM events WHERE data LIKE '%QZX%' OR CAST(personal AS TEXT) LIKE '%QZX%'`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d events hold the holder or a reason in clear (%v)", n, err)
		}
		ps, err := s.Claim(ctx, "A", 10, time.Minute)
		if err != nil || len(ps) != 1 || ps[0].Subject != "request:R1" {
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
		evs, _ := s.Events(ctx, "VIR-1")
		if d, ok := evs[len(evs)-1].Data.(*throughline.VictimInformed); !ok || d.RequestID != "R1" {
			t.Fatalf("the delivery recorded %+v, want a notice naming R1", evs[len(evs)-1].Data)
		}
		ds, _ := s.Deadlines(ctx, "VIR-1")
		met := false
		for _, d := range ds {
			met = met || d.Rule == deadline.InfoRequestNotice && !d.MetAt.IsZero()
		}
		if !met {
			t.Errorf("the notice deadline is not met: %+v", ds)
		}
	})
}
