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

// A request's workflow through the store: the supervisor's note, the
// holder's answer, the prosecutor's view and a withdrawal's reason never
// reach the events table in clear; the request cannot be sent until the
// dispatcher's delivery of its notice is recorded, and then it can
// (PCSCA 2022 s.44B(3)(a)); a request folded back from the log stands where
// it was left.
func TestInformationRequestWorkflowStored(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn)
		upToCharge(t, s, "VIR-2")
		as := func(actor, agency, line string) error {
			e, err := throughline.ParseEvent([]byte(`{"case":"VIR-2",` + line[1:]))
			if err != nil {
				t.Fatal(err)
			}
			e.Actor, e.Agency = actor, agency
			_, _, err = s.Append(ctx, e, throughline.AnyVersion)
			return err
		}
		must := func(actor, agency, line string) {
			t.Helper()
			if err := as(actor, agency, line); err != nil {
				t.Fatalf("%s: %v", line, err)
			}
		}
		for _, id := range []string{"R1", "R2"} {
			must("u_officer", "police:13", `{"type":"information_requested","occurred_at":"2026-11-24","data":{"complainant_id":"C1","request_id":"`+id+`","material":"counselling_notes",`+
				`"holder":"Leeds Rape Crisis","holder_belief":"She said in interview she saw a counsellor there.",`+
				`"line_of_enquiry":"When she first disclosed: the defence says she invented it later.","necessity":"Only the date of the first session is sought.",`+
				`"probative_value":"The date of first disclosure meets the defence of late invention.","reason":"To check when you first told someone what happened.",`+
				`"handling":"Only the officer and the prosecutor will read it."}}`)
		}
		must("u_super", "police:13", `{"type":"information_request_approved","occurred_at":"2026-11-24","data":{"complainant_id":"C1","request_id":"R1","note":"QZXNOTE the date alone answers the defence."}}`)
		must("u_cps", "cps:yorkshire_humberside", `{"type":"information_request_view","occurred_at":"2026-11-24","data":{"complainant_id":"C1","request_id":"R1","advice":"supported","view":"QZXVIEW the date of first disclosure is in issue."}}`)
		must("u_officer", "police:13", `{"type":"information_request_withdrawn","occurred_at":"2026-11-24","data":{"complainant_id":"C1","request_id":"R2","reason":"QZXWITHDRAWN she gave the date herself."}}`)
		send := `{"type":"information_request_sent","occurred_at":"2026-11-25","data":{"complainant_id":"C1","request_id":"R1"}}`
		if err := as("u_officer", "police:13", send); throughline.ErrorCode(err) != throughline.EINVALID {
			t.Fatalf("sent before her notice was delivered: %v", err)
		}

		// The dispatcher delivers the notice of R1 (R2's was withdrawn, and
		// may go too: she was told of it).
		ps, err := s.Claim(ctx, "A", 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			if p.Subject != "request:R1" {
				continue
			}
			p.Channel, p.Reference = "email", "TL-x-0-1"
			p.Content = throughline.MessageContent{Lang: "en", Subject: "Your case", Body: "Notice of a request.", Recipient: "amelia@example.org"}
			if err := s.Sending(ctx, "A", p); err != nil {
				t.Fatal(err)
			}
			if err := s.Delivered(ctx, "A", p.ID, "email"); err != nil {
				t.Fatal(err)
			}
		}
		must("u_officer", "police:13", send)
		must("u_officer", "police:13", `{"type":"information_request_response","occurred_at":"2026-11-25","data":{"complainant_id":"C1","request_id":"R1","result":"refused","note":"QZXANSWER they keep no dates."}}`)

		var n int
		if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM events WHERE data LIKE '%QZX%' OR CAST(personal AS TEXT) LIKE '%QZX%'`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d events hold a note, view or reason in clear (%v)", n, err)
		}
		c, err := s.Case(ctx, "VIR-2")
		if err != nil {
			t.Fatal(err)
		}
		cp := c.Complainant("C1")
		if f := cp.Flow("R1"); f == nil || f.State() != throughline.RequestRefused || f.NoticeGiven.IsZero() || f.Advice != "supported" {
			t.Errorf("R1 folded back as %+v", f)
		}
		if f := cp.Flow("R2"); f == nil || f.State() != throughline.RequestWithdrawn {
			t.Errorf("R2 folded back as %+v", f)
		}
		// R1's notice came before it was sent: met. R2 was withdrawn unsent,
		// never made: no notice is due.
		ds, _ := s.Deadlines(ctx, "VIR-2")
		var met, none int
		for _, d := range ds {
			if d.Rule == deadline.InfoRequestNotice {
				if !d.MetAt.IsZero() {
					met++
				}
				if d.NotApplicable != "" {
					none++
				}
			}
		}
		if met != 1 || none != 1 {
			t.Errorf("notice deadlines: %d met, %d not applicable, want 1 and 1: %+v", met, none, ds)
		}
		evs, _ := s.Events(ctx, "VIR-2")
		for _, e := range evs {
			if v, ok := e.Data.(*throughline.InformationRequestView); ok && v.View != "QZXVIEW the date of first disclosure is in issue." {
				t.Errorf("the view read back as %q", v.View)
			}
		}
	})
}

// A decision to withhold material through the store: its reason never
// reaches the events table in clear, reads back whole, and starts the
// material_review reminders, not applicable until a PTPH is listed or the
// defence statement is served.
func TestMaterialDecisionStored(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn)
		upToCharge(t, s, "VIR-3")
		live(t, s, "VIR-3", `{"type":"material_decision","occurred_at":"2026-11-24","data":{"complainant_id":"C1","decision":"withheld","material":"medical",`+
			`"reason":"QZXREASON nothing in the records bears on the issues."}}`)
		var n int
		if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM events WHERE data LIKE '%QZX%' OR CAST(personal AS TEXT) LIKE '%QZX%'`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d events hold the reason in clear (%v)", n, err)
		}
		evs, _ := s.Events(ctx, "VIR-3")
		if d, ok := evs[len(evs)-1].Data.(*throughline.MaterialDecision); !ok || d.Reason != "QZXREASON nothing in the records bears on the issues." {
			t.Fatalf("read back %+v", evs[len(evs)-1].Data)
		}
		ds, _ := s.Deadlines(ctx, "VIR-3")
		var got int
		for _, d := range ds {
			if d.Rule == deadline.MaterialReview {
				got++
				if d.NotApplicable == "" {
					t.Errorf("%s: due %s with no PTPH listed and no defence statement", d.Concerning, d.Due)
				}
			}
		}
		if got != 2 {
			t.Errorf("%d material_review deadlines, want 2: %+v", got, ds)
		}
	})
}
