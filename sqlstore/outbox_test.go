package sqlstore_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"throughline"
	"throughline/comms"
	"throughline/comms/dispatch"
	"throughline/jsonl"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
)

// upToCharge imports the journey's history up to the charging decision,
// as a migration of an existing case would: imports announce nothing.
func upToCharge(t *testing.T, s *sqlstore.Store, ref string) {
	t.Helper()
	if _, err := s.Import(context.Background(), jsonl.Proposals(withRef(journey(t), ref)[:8]), false); err != nil {
		t.Fatal(err)
	}
}

func live(t *testing.T, s *sqlstore.Store, ref, line string) {
	t.Helper()
	e, err := throughline.ParseEvent([]byte(`{"case":"` + ref + `",` + line[1:]))
	if err != nil {
		t.Fatal(err)
	}
	e.Actor, e.Agency = "u_wcu", "wcu:13"
	if _, _, err := s.Append(context.Background(), e, throughline.AnyVersion); err != nil {
		t.Fatalf("%s: %v", line, err)
	}
}

const (
	chargedLine = `{"type":"charged","occurred_at":"2026-11-24T09:30:00Z","data":{"defendant_id":"D1","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"method":"custody"}}`
	listedLine  = `{"type":"hearing_listed","occurred_at":"2026-11-24","data":{"hearing_id":"H1","kind":"first_appearance","court":"leeds_magistrates","starts_at":"2026-11-26T10:00:00Z","listing":"fixture"}}`
)

func TestOutbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn)
		upToCharge(t, s, "OUT-1")
		if ms, _ := s.Messages(ctx, "OUT-1"); len(ms) != 0 {
			t.Fatalf("an import queued %d messages", len(ms))
		}
		live(t, s, "OUT-1", chargedLine)
		live(t, s, "OUT-1", listedLine)
		live(t, s, "OUT-1", listedLine) // the same listing recorded again (another agency)
		ms, err := s.Messages(ctx, "OUT-1")
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 2 || ms[0].Kind != comms.KindCharge || ms[1].Kind != comms.KindHearingListed || ms[0].TriggeredBy != "u_wcu" || ms[0].Status != throughline.MessageQueued {
			t.Fatalf("messages: %+v", ms)
		}

		// Two dispatchers: the first claims both; the second gets nothing while the lease holds.
		a, err := s.Claim(ctx, "A", 10, time.Minute)
		if err != nil || len(a) != 2 {
			t.Fatalf("claim A: %v %v", len(a), err)
		}
		if b, err := s.Claim(ctx, "B", 10, time.Minute); err != nil || len(b) != 0 {
			t.Fatalf("claim B while A holds the lease: %d %v", len(b), err)
		}
		p := a[0]
		p.Channel, p.Reference = "email", "TL-x-0-0"
		p.Content = throughline.MessageContent{Lang: "en", Subject: "Your case", Body: "Dear Amelia, Daniel Ross has been charged.", Recipient: "amelia@example.org"}
		if err := s.Sending(ctx, "B", p); err != throughline.ErrLeaseLost {
			t.Fatalf("B recorded over A's lease: %v", err)
		}
		if err := s.Sending(ctx, "A", p); err != nil {
			t.Fatal(err)
		}
		if err := s.Delivered(ctx, "A", p.ID, "email"); err != nil {
			t.Fatal(err)
		}
		if err := s.Delivered(ctx, "A", p.ID, "email"); err != nil {
			t.Fatalf("second delivery record: %v", err)
		}
		evs, _ := s.Events(ctx, "OUT-1")
		informed := 0
		for _, e := range evs {
			if d, ok := e.Data.(*throughline.VictimInformed); ok && d.About == "charged" && d.Channel == "email" {
				informed++
			}
		}
		if informed != 1 {
			t.Fatalf("%d victim_informed events, want 1", informed)
		}
		ds, err := s.Deadlines(ctx, "OUT-1")
		if err != nil {
			t.Fatal(err)
		}
		charge := 0
		for _, d := range ds {
			if d.Rule != "vc_charge" {
				continue
			}
			charge++
			if d.MetAt.IsZero() {
				t.Fatalf("charge duty not met by the delivery: %+v", d)
			}
		}
		if charge == 0 {
			t.Fatalf("no vc_charge deadline for the charge (deadlines: %+v)", ds)
		}
		m, _ := s.Message(ctx, p.ID)
		if m.Status != throughline.MessageDelivered || m.Body != p.Content.Body || m.Channel != "email" {
			t.Fatalf("delivered message: %+v", m)
		}
		// The body is sealed: not in the table in clear.
		var n int
		s.DB().QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE sealed IS NOT NULL`).Scan(&n)
		if n == 0 {
			t.Fatal("no sealed content")
		}

		// A failure lands in the failed queue, with a task.
		q := a[1]
		if err := s.OpenTask(ctx, throughline.CommsTask{Case: "OUT-1", Complainant: "C1", MessageID: q.ID, Kind: throughline.TaskDeliveryFailed, Assignee: "WCU", Detail: "email failed"}); err != nil {
			t.Fatal(err)
		}
		if err := s.Finish(ctx, "A", q.ID, throughline.MessageFailed, throughline.FailPermanent, "550 no such user"); err != nil {
			t.Fatal(err)
		}
		failed, err := s.FailedDeliveries(ctx, throughline.ScopeFilter{Forces: []string{"13"}})
		if err != nil || len(failed) != 1 || failed[0].ID != q.ID || failed[0].LastError != "550 no such user" {
			t.Fatalf("failed queue: %+v %v", failed, err)
		}
		if other, _ := s.FailedDeliveries(ctx, throughline.ScopeFilter{Forces: []string{"01"}}); len(other) != 0 {
			t.Fatalf("another force sees %d failures", len(other))
		}
		tasks, err := s.Tasks(ctx, "OUT-1", true, throughline.ScopeFilter{})
		if err != nil || len(tasks) != 1 {
			t.Fatalf("tasks: %+v %v", tasks, err)
		}

		// A free text contradicting the record is refused, naming the fact.
		_, err = s.EnqueueFreeText(ctx, "OUT-1", "C1", "Your first hearing is on 27 November 2026 at Leeds Magistrates' Court.", "u_wcu", "wcu:13")
		var te *throughline.Error
		if throughline.ErrorCode(err) != throughline.EINVALID || !asError(err, &te) || len(te.Fields) == 0 || te.Fields[0].Field != "body" || !strings.Contains(te.Fields[0].Message, "Thursday 26 November 2026") {
			t.Fatalf("contradicting text: %v", err)
		}
		gwen := addUser(t, s, "Gwen Price", "witness_care", "wcu:13")
		id, err := s.EnqueueFreeText(ctx, "OUT-1", "C1", "Your first hearing is on 26 November 2026 at Leeds Magistrates' Court. I will call you the day before.", gwen.ID, "wcu:13")
		if err != nil || id == 0 {
			t.Fatalf("agreeing text: %v", err)
		}
		if m, _ := s.Message(ctx, id); !strings.Contains(m.Body, "I will call you") {
			t.Fatalf("free text: %+v", m)
		}
		// The sender goes with the words, by the name of her account, for
		// the message to say whom it is from.
		claimed, err := s.Claim(ctx, "B", 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(claimed, func(p throughline.PendingMessage) bool { return p.ID == id })
		if i < 0 || claimed[i].From != (throughline.Sender{Name: "Gwen Price", Agency: "wcu:13"}) {
			t.Fatalf("the free text claimed: %+v", claimed)
		}
	})
}

func TestSilenceList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn)
		upToCharge(t, s, "SIL-1")
		live(t, s, "SIL-1", `{"type":"charged","occurred_at":"2026-09-01T09:30:00Z","recorded_at":"2026-09-01T09:30:00Z","data":{"defendant_id":"D1","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"method":"bail"}}`)
		live(t, s, "SIL-1", `{"type":"victim_informed","occurred_at":"2026-09-01T15:00:00Z","recorded_at":"2026-09-01T15:00:00Z","data":{"complainant_id":"C1","about":"charged","channel":"phone"}}`)
		upToCharge(t, s, "SIL-2")
		live(t, s, "SIL-2", `{"type":"contact_preferences_set","occurred_at":"2026-09-01","recorded_at":"2026-09-01","data":{"complainant_id":"C1","channels":["email"],"email":"a@example.org","routine_every_days":14}}`)
		live(t, s, "SIL-2", `{"type":"charged","occurred_at":"2026-11-01T09:30:00Z","recorded_at":"2026-11-01T09:30:00Z","data":{"defendant_id":"D1","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"method":"bail"}}`)
		live(t, s, "SIL-2", `{"type":"victim_informed","occurred_at":"2026-11-02T15:00:00Z","recorded_at":"2026-11-02T15:00:00Z","data":{"complainant_id":"C1","about":"charged","channel":"phone"}}`)
		sil, err := s.Silence(ctx, clock, throughline.ScopeFilter{})
		if err != nil {
			t.Fatal(err)
		}
		// SIL-1: silent since 1 Sep (28-day cadence); SIL-2: since 2 Nov, 14-day cadence, overdue on 25 Nov.
		if len(sil) != 2 || sil[0].Case != "SIL-1" || sil[0].Every != 28 || sil[1].Case != "SIL-2" || sil[1].Every != 14 || sil[0].DaysSilent != 85 {
			t.Fatalf("silence: %+v", sil)
		}
		// The scheduler queues a regular update only for recent silences.
		n, err := dispatch.QueueRegularUpdates(ctx, s, clock)
		if err != nil || n != 0 {
			t.Fatalf("queued %d (%v): SIL-2 fell due on 16 Nov, more than %d days ago", n, err, comms.RegularUpdateWindow)
		}
		// Were the window 90 days, both would be queued, each once.
		f := comms.RegularUpdatesFilter(clock)
		f.DueAfter = f.DueBefore.AddDate(0, 0, -91)
		ds, err := s.DeadlinesDue(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		queue := func() int {
			n := 0
			for _, m := range comms.RegularUpdates(ds) {
				id, err := s.Enqueue(ctx, m.Case, m.MessageOwed, "throughline:scheduler", "throughline")
				if err != nil {
					t.Fatal(err)
				}
				if id > 0 {
					n++
				}
			}
			return n
		}
		if n := queue(); n != 2 {
			t.Fatalf("queued %d, want 2", n)
		}
		if n := queue(); n != 0 {
			t.Fatalf("queued again: %d", n)
		}
	})
}

// Erasing a case supersedes the messages still waiting for it: they would
// be composed from erased details.
func TestErasureSupersedesQueuedMessages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn)
		upToCharge(t, s, "ERA-1")
		live(t, s, "ERA-1", chargedLine)
		live(t, s, "ERA-1", `{"type":"prosecution_stopped","occurred_at":"2026-11-24T12:00:00Z","data":{"defendant_id":"D1","how":"discontinued"}}`)
		live(t, s, "ERA-1", `{"type":"case_closed","occurred_at":"2026-11-24T13:00:00Z","data":{"reason":"prosecution discontinued"}}`)
		if ms, _ := s.Messages(ctx, "ERA-1"); len(ms) == 0 || ms[0].Status != throughline.MessageQueued {
			t.Fatalf("before erasure: %+v", ms)
		}
		live(t, s, "ERA-1", `{"type":"case_erased","occurred_at":"2026-11-24T14:00:00Z","data":{"reason":"retention review"}}`)
		ms, err := s.Messages(ctx, "ERA-1")
		if err != nil || len(ms) == 0 {
			t.Fatalf("after erasure: %d messages, %v", len(ms), err)
		}
		for _, m := range ms {
			if m.Status != throughline.MessageSuperseded {
				t.Errorf("message %s after erasure: %s", m.Kind, m.Status)
			}
		}
		c, err := s.Case(ctx, "ERA-1")
		if err != nil || c.Complainants[0].Name != throughline.Erased || c.Erased.IsZero() {
			t.Fatalf("case after erasure: %v %+v", err, c)
		}
	})
}
