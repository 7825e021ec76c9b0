package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"throughline/comms/dispatch"
	"throughline/wire"

	"throughline"
	"throughline/identity"
	"throughline/internal/testwait"
	"throughline/jsonl"
	"throughline/notify"
	"throughline/notify/mailpittest"
	"throughline/notify/notifytest"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
	"throughline/web"
)

// clock is a settable clock shared by a store and a dispatcher.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// storeWithClock opens the store on a settable clock that starts at
// testNow; the store closes when the test ends.
func storeWithClock(t *testing.T, dsn string) (*sqlstore.Store, *clock) {
	t.Helper()
	clk := &clock{t: testNow}
	s := openStore(t, dsn)
	t.Cleanup(func() { s.Close() })
	s.Now = clk.Now
	return s, clk
}

// importHistory imports the journey up to the charging decision as case
// ref, its complainant speaking lang and reached at email.
func importHistory(t *testing.T, s *sqlstore.Store, ref, lang, email string) {
	t.Helper()
	lines := journeyLines(t, `"language":"en"`, `"language":"`+lang+`"`, "amelia@example.org", email)
	lines = lines[:8]
	for i := range lines {
		lines[i].Event.Case = ref
	}
	if _, err := s.Import(context.Background(), jsonl.Proposals(lines), false); err != nil {
		t.Fatal(err)
	}
}

// journeyLines reads testdata/journey.jsonl, with each old text of the
// old, new pairs replaced first.
func journeyLines(t *testing.T, replace ...string) []jsonl.Line {
	t.Helper()
	raw, err := os.ReadFile("../../testdata/journey.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(replace); i += 2 {
		raw = bytes.ReplaceAll(raw, []byte(replace[i]), []byte(replace[i+1]))
	}
	lines, bad, err := jsonl.Read(bytes.NewReader(raw))
	if err != nil || len(bad) > 0 {
		t.Fatal(err, bad)
	}
	return lines
}

func appendLive(t *testing.T, s *sqlstore.Store, ref, line string) {
	t.Helper()
	e, err := throughline.ParseEvent([]byte(`{"case":"` + ref + `",` + line[1:]))
	if err != nil {
		t.Fatal(err)
	}
	e.Actor, e.Agency = "u_officer", "police:13"
	if _, _, err := s.Append(context.Background(), e, throughline.AnyVersion); err != nil {
		t.Fatal(err)
	}
}

const liveCharge = `{"type":"charged","occurred_at":"2026-11-25T08:30:00Z","data":{"defendant_id":"D1","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"method":"custody"}}`

// dispatcherFor is an in-process dispatcher to mailpit. Each database
// gets its own Message-ID domain: two test databases number their
// messages alike, and mailpit drops a Message-ID it already holds.
func dispatcherFor(t *testing.T, s *sqlstore.Store, mp *mailpittest.Mailpit, now func() time.Time) *dispatch.Dispatcher {
	e, err := notify.NewEmail(mp.SMTP, "West Yorkshire Witness Care <wcu@example.gov.uk>", 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return &dispatch.Dispatcher{Store: s, Channels: map[string]notify.Channel{"email": e}, Owner: "test", Now: now,
		MessageIDDomain: s.Dialect() + ".example.gov.uk", Backoff: dispatch.Backoff{Base: time.Minute, Max: time.Hour}}
}

// An imported case, a live charge, the dispatcher: the email arrives once,
// with the record's facts, in the complainant's language; the delivery is
// recorded as victim_informed and meets the Victims' Code duty.
func TestChargeEmailReachesTheVictimOnce(t *testing.T) {
	mp := mailpittest.Start(t)
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, clk := storeWithClock(t, dsn)
		tag := s.Dialect()
		en, cy := "amelia."+tag+"@example.org", "cerys."+tag+"@example.org"
		importHistory(t, s, "EN-1", "en", en)
		importHistory(t, s, "CY-1", "cy", cy)
		appendLive(t, s, "EN-1", liveCharge)
		appendLive(t, s, "CY-1", liveCharge)
		d := dispatcherFor(t, s, mp, clk.Now)
		if n, err := d.RunOnce(ctx); err != nil || n != 2 {
			t.Fatalf("dispatched %d: %v", n, err)
		}
		if n, err := d.RunOnce(ctx); err != nil || n != 0 {
			t.Fatalf("second run dispatched %d: %v", n, err)
		}
		for _, tc := range []struct {
			ref, to string
			want    []string
		}{
			{"EN-1", en, []string{"Dear Amelia,", "On Wednesday 25 November 2026, the police charged Daniel Ross with rape.", "will stay in prison for now", "Your case number is EN-1."}},
			{"CY-1", cy, []string{"Annwyl Amelia,", "Ar ddydd Mercher 25 Tachwedd 2026, fe wnaeth yr heddlu gyhuddo Daniel Ross o dreisio.", "Bydd Daniel Ross yn aros yn y carchar am nawr.", "Rhif eich achos yw CY-1."}},
		} {
			got := mp.Search("to:" + tc.to)
			if len(got) != 1 {
				t.Fatalf("%s: %d emails arrived, want 1", tc.ref, len(got))
			}
			body := mp.Body(got[0].ID)
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: the email lacks %q:\n%s", tc.ref, w, body)
				}
			}
			ms, _ := s.Messages(ctx, tc.ref)
			if len(ms) != 1 || ms[0].Status != throughline.MessageDelivered || ms[0].Body != strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n")) {
				t.Errorf("%s: the record of the message differs from what arrived: %+v\n%q", tc.ref, ms, body)
			}
			ds, err := s.Deadlines(ctx, tc.ref)
			if err != nil {
				t.Fatal(err)
			}
			charge := 0
			for _, dl := range ds {
				if dl.Rule == "vc_charge" {
					charge++
					if dl.MetAt.IsZero() || dl.MetBy != "victim_informed" {
						t.Errorf("%s: the charge duty is not met by the delivery: %+v", tc.ref, dl)
					}
				}
			}
			if charge != 1 {
				t.Errorf("%s: %d charge duties, want 1", tc.ref, charge)
			}
		}
	})
}

// smtpDown is how long TestSMTPDownForMinutes keeps the SMTP server down:
// $THROUGHLINE_CHAOS_SMTP_DOWN in real time (make chaos sets minutes),
// else ten minutes of the dispatcher's injected clock, which costs no
// wall-clock time.
func smtpDown(t *testing.T) (down time.Duration, realTime bool) {
	v := os.Getenv("THROUGHLINE_CHAOS_SMTP_DOWN")
	if v == "" {
		return 10 * time.Minute, false
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		t.Fatalf("THROUGHLINE_CHAOS_SMTP_DOWN=%q: want a duration such as 3m", v)
	}
	return d, true
}

// The SMTP server down for minutes while messages are queued and due: the
// dispatcher retries each with its backoff (30 s, 1 min, 2 min, …), never
// more often, each message waiting queued with a technical failure and
// shown in the failed-deliveries queue; the server back, every message is
// delivered exactly once (counted in mailpit by recipient) and recorded
// once.
func TestSMTPDownForMinutes(t *testing.T) {
	down, realTime := smtpDown(t)
	storetest.Each(t, func(t *testing.T, dsn string) {
		t.Parallel() // each database with its own SMTP server
		mp := mailpittest.Start(t)
		ctx := context.Background()
		s, clk := storeWithClock(t, dsn)
		now := clk.Now
		if realTime {
			s.Now, now = time.Now, time.Now
		}
		tag := s.Dialect()
		const cases = 30
		to := func(i int) string { return fmt.Sprintf("down-%d.%s@example.org", i, tag) }
		for i := range cases {
			ref := fmt.Sprintf("DOWN-%d", i)
			importHistory(t, s, ref, "en", to(i))
			appendLive(t, s, ref, liveCharge)
		}
		d := dispatcherFor(t, s, mp, now)
		d.Backoff = dispatch.DefaultBackoff
		mp.Stop()
		wentDown := now()
		if realTime {
			// The outage is the fault under test, in real time: the
			// dispatcher runs on its own meanwhile, as in serve.
			runCtx, stop := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() { d.Run(runCtx); close(done) }()
			select {
			case <-time.After(down):
			case <-testwait.Deadline(t):
				t.Fatal("the test run's time ran out during the outage")
			}
			stop()
			<-done
		} else {
			for clk.Now().Sub(wentDown) < down {
				if _, err := d.RunOnce(ctx); err != nil {
					t.Fatal(err)
				}
				clk.Add(5 * time.Second)
			}
		}
		// Retried with the backoff: attempts at 0, 30 s, 1½ min, 3½ min, …
		// (±20%), so no more than the doublings that fit in the outage.
		most := 1
		for gap := time.Duration(0); gap < down; most++ {
			gap += dispatch.DefaultBackoff.Delay(most-1, 0)
		}
		for i := range cases {
			ms, _ := s.Messages(ctx, fmt.Sprintf("DOWN-%d", i))
			if len(ms) != 1 || ms[0].Status != throughline.MessageQueued || ms[0].Failure != throughline.FailTechnical || ms[0].Attempts < 2 || ms[0].Attempts > most {
				t.Fatalf("after %s down: %+v, want one message queued after 2 to %d attempts", down, ms, most)
			}
		}
		if f, _ := s.FailedDeliveries(ctx, throughline.ScopeFilter{}); len(f) != cases {
			t.Fatalf("%d messages in the failed-deliveries queue, want %d", len(f), cases)
		}
		mp.Restart()
		if realTime {
			runCtx, stop := context.WithCancel(ctx)
			defer stop()
			go d.Run(runCtx)
		}
		testwait.For(t, "every message to be delivered once the server is back", func() bool {
			if !realTime {
				if _, err := d.RunOnce(ctx); err != nil {
					t.Fatal(err)
				}
				clk.Add(5 * time.Second)
			}
			var open int
			s.DB().QueryRow(`SELECT count(*) FROM outbox WHERE status <> 'delivered'`).Scan(&open)
			return open == 0
		})
		for i := range cases {
			if got := mp.Search("to:" + to(i)); len(got) != 1 {
				t.Errorf("%s: %d emails after the server came back, want 1", to(i), len(got))
			}
			ref := fmt.Sprintf("DOWN-%d", i)
			if n := countCase(t, s, ref, "victim_informed"); n != 1 {
				t.Errorf("%s: %d deliveries recorded, want 1", ref, n)
			}
		}
		t.Logf("%s: SMTP down %s (%s), %d messages retried with backoff, each delivered once after", tag, down, map[bool]string{true: "real time", false: "the dispatcher's clock"}[realTime], cases)
	})
}

// A dispatcher killed at random moments, again and again: every message is
// delivered exactly once (counted by Message-ID in mailpit) and recorded once.
func TestKilledDispatcherDeliversEachMessageOnce(t *testing.T) {
	mp := mailpittest.Start(t)
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openStore(t, dsn)
		tag := strings.ToUpper(s.Dialect()) // references are in capitals
		const cases = 300
		for i := range cases {
			ref := fmt.Sprintf("KD-%s-%03d", tag, i)
			importHistory(t, s, ref, []string{"en", "cy"}[i%2], fmt.Sprintf("victim%03d.%s@example.org", i, tag))
			appendLive(t, s, ref, liveCharge)
		}
		var total int
		s.DB().QueryRow(`SELECT count(*) FROM outbox`).Scan(&total)
		s.Close()
		if total != cases {
			t.Fatalf("%d messages queued, want %d", total, cases)
		}
		r := rand.New(rand.NewPCG(7, uint64(len(dsn))))
		killed := 0
		// Each round's dispatcher runs with its clock a lease further on
		// than the last one's, so the leases a killed one held have lapsed
		// for the next without waiting for real time to pass.
		const lease = time.Second
		ahead := time.Duration(0)
		for round := 0; round < 14; round++ {
			cmd := childAhead(t, ahead, "dispatch", "--db", dsn, "--smtp-addr", mp.SMTP, "--smtp-from", "wcu@"+tag+".example.gov.uk", "--lease", lease.String(), "--workers", "4")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// The crash comes at a random moment: this sleep picks the
			// moment; nothing asserted depends on how long it was.
			time.Sleep(time.Duration(20+r.IntN(250)) * time.Millisecond)
			cmd.Process.Signal(syscall.SIGKILL)
			if err := cmd.Wait(); err != nil {
				killed++
			}
			ahead += 2 * lease
		}
		// One left to finish, its clock past every lease the killed ones held.
		if out, err := childAhead(t, ahead, "dispatch", "--db", dsn, "--smtp-addr", mp.SMTP, "--smtp-from", "wcu@"+tag+".example.gov.uk", "--once").CombinedOutput(); err != nil {
			t.Fatalf("dispatch --once: %v\n%s", err, out)
		}
		s = openStore(t, dsn)
		defer s.Close()
		var delivered, informed int
		s.DB().QueryRow(`SELECT count(*) FROM outbox WHERE status = 'delivered'`).Scan(&delivered)
		s.DB().QueryRow(`SELECT count(*) FROM events WHERE type = 'victim_informed' AND case_ref LIKE 'KD-` + tag + `-%'`).Scan(&informed)
		if delivered != total || informed != total {
			t.Fatalf("%d of %d delivered, %d victim_informed events", delivered, total, informed)
		}
		rows, _ := s.DB().Query(`SELECT id, created_at FROM outbox`)
		var ids []string
		for rows.Next() {
			var p throughline.PendingMessage
			var created string
			rows.Scan(&p.ID, &created)
			p.Created, _ = time.Parse(time.RFC3339Nano, created)
			ids = append(ids, dispatch.MessageID(p, tag+".example.gov.uk"))
		}
		rows.Close()
		arrived := 0
		for _, m := range mp.Search("to:" + tag + "@example.org") {
			_ = m
			arrived++
		}
		for _, id := range ids {
			if n := len(mp.Search("message-id:" + id)); n != 1 {
				t.Errorf("message %s arrived %d times", id, n)
			}
		}
		var resent int
		s.DB().QueryRow(`SELECT count(*) FROM (SELECT message_id FROM message_attempts WHERE outcome = 'sending' GROUP BY message_id HAVING count(*) > 1) x`).Scan(&resent)
		t.Logf("%d messages, %d dispatchers killed, %d arrived in mailpit; %d messages sent again after a kill left their outcome unknown (a repeat that had arrived is dropped by Message-ID)", total, killed, arrived, resent)
		res, err := s.Verify(ctx, nil)
		if err != nil || len(res.Problems) > 0 {
			t.Fatalf("log does not verify: %+v %v", res.Problems, err)
		}
	})
}

// diesAfterSend is a channel through which a dispatcher "dies" right after
// the provider accepted a message: the send goes through ch, then the
// context the dispatcher records with ends, so nothing after it is
// recorded, as when the process is killed at that point.
type diesAfterSend struct {
	notify.Channel
	die  context.CancelFunc
	sent chan notify.Delivery
}

func (c diesAfterSend) Send(ctx context.Context, d notify.Delivery) (notify.Result, error) {
	r, err := c.Channel.Send(ctx, d)
	c.die()
	c.sent <- d
	return r, err
}

// A dispatcher that died after the SMTP server accepted a message but
// before recording it leaves the message "sending". The next dispatcher
// cannot ask the SMTP server; it sends the very same message again with the
// same Message-ID, and the receiver keeps one.
func TestUnknownOutcomeIsResentWithTheSameMessageID(t *testing.T) {
	mp := mailpittest.Start(t)
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, clk := storeWithClock(t, dsn)
		to := "unknown." + s.Dialect() + "@example.org"
		importHistory(t, s, "UNK-1", "en", to)
		appendLive(t, s, "UNK-1", liveCharge)
		d := dispatcherFor(t, s, mp, clk.Now)
		// The first dispatcher claims, records "sending", sends, and dies
		// before it records what the server said.
		deadCtx, die := context.WithCancel(ctx)
		defer die()
		sent := make(chan notify.Delivery, 1)
		dead := &dispatch.Dispatcher{Store: s, Channels: map[string]notify.Channel{"email": diesAfterSend{d.Channels["email"], die, sent}}, Owner: "dead",
			Lease: time.Minute, Now: clk.Now, MessageIDDomain: d.MessageIDDomain}
		if _, err := dead.RunOnce(deadCtx); !errors.Is(err, context.Canceled) {
			t.Fatalf("the dying dispatcher ended with %v, want its context's end", err)
		}
		first := <-sent
		ms, _ := s.Messages(ctx, "UNK-1")
		if len(ms) != 1 || ms[0].Status != throughline.MessageSending {
			t.Fatalf("after the death: %+v, want one message left sending", ms)
		}
		if got := mp.Search("message-id:" + first.MessageID); len(got) != 1 {
			t.Fatalf("%d copies arrived before the death, want 1", len(got))
		}
		// While the dead dispatcher's lease holds, nobody touches it.
		if n, err := d.RunOnce(ctx); n != 0 || err != nil {
			t.Fatalf("worked on %d messages under another's lease (%v)", n, err)
		}
		clk.Add(2 * time.Minute)
		if n, err := d.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("recovered %d: %v", n, err)
		}
		if got := mp.Search("message-id:" + first.MessageID); len(got) != 1 {
			t.Fatalf("%d copies arrived, want 1", len(got))
		}
		ms, _ = s.Messages(ctx, "UNK-1")
		if ms[0].Status != throughline.MessageDelivered {
			t.Fatalf("%+v", ms[0])
		}
		var sending int
		s.DB().QueryRow(`SELECT count(*) FROM message_attempts WHERE outcome = 'sending'`).Scan(&sending)
		if sending != 2 {
			t.Fatalf("%d attempts recorded as sending, want 2: the first, and the resend recorded before it went", sending)
		}
	})
}

// Text messages and letters through a Notify-compatible service: receipts
// arrive by callback at the web server; a permanent failure falls back to
// the next channel and opens a task; a letter is a Welsh PDF; a phone
// message is a task whose completion records the delivery.
func TestTextLetterPhoneAndFallback(t *testing.T) {
	mp := mailpittest.Start(t)
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, clk := storeWithClock(t, dsn)
		fake := notifytest.New(t)
		fake.Hold = true // receipts come when the test releases them, after the acceptances are recorded
		fake.Final = func(n *notifytest.Notification) string {
			switch {
			case n.Type == "letter":
				return "received"
			case strings.HasSuffix(n.PhoneNumber, "000"):
				return "permanent-failure"
			}
			return "delivered"
		}
		srv := httptest.NewServer((&web.Server{Store: wire.Backend{Store: s, Service: identity.New(s, clk.Now)}, Logger: slog.New(slog.DiscardHandler), Now: clk.Now, NotifyCallbackToken: "cb-secret"}).Handler())
		defer srv.Close()
		fake.CallbackURL, fake.CallbackToken = srv.URL+"/notify/receipts", "cb-secret"
		tag := s.Dialect()
		prefs := map[string]string{
			"SMS-1": `{"complainant_id":"C1","channels":["sms"],"mobile":"07700900123"}`,
			"FB-1":  `{"complainant_id":"C1","channels":["sms","email"],"mobile":"07700900000","email":"fallback.` + tag + `@example.org"}`,
			"LET-1": `{"complainant_id":"C1","channels":["letter"],"address":"1 Heol y Wennol, Abertawe, SA1 1AA","language":"cy"}`,
			"BIG-1": `{"complainant_id":"C1","channels":["letter"],"address":"2 Park Row, Leeds, LS1 5HD","formats":["large_print"]}`,
			"PH-1":  `{"complainant_id":"C1","channels":["phone"],"mobile":"07700900456","safe_times":"weekdays after 6pm"}`,
		}
		for ref, p := range prefs {
			importHistory(t, s, ref, "en", "x@example.org")
			appendLive(t, s, ref, `{"type":"contact_preferences_set","occurred_at":"2026-11-24","data":`+p+`}`)
			appendLive(t, s, ref, liveCharge)
		}
		sms, _ := notify.NewNotify(fake.URL, fake.Key(), "sms")
		letter, _ := notify.NewNotify(fake.URL, fake.Key(), "letter")
		letters := make(chan notify.Delivery, 4)
		letter.Letter = func(d notify.Delivery) ([]byte, error) {
			letters <- d
			return notify.RenderLetter(d)
		}
		email, _ := notify.NewEmail(mp.SMTP, "wcu@example.gov.uk", 2)
		defer email.Close()
		d := &dispatch.Dispatcher{Store: s, Channels: map[string]notify.Channel{"sms": sms, "letter": letter, "email": email}, Owner: "t", Now: clk.Now, MessageIDDomain: tag + ".notify.example.gov.uk"}
		status := func(ref string) throughline.MessageRecord {
			t.Helper()
			ms, err := s.Messages(ctx, ref)
			if err != nil || len(ms) != 1 {
				t.Fatalf("%s: %d messages (%v), want 1", ref, len(ms), err)
			}
			return ms[0]
		}
		// The first run: the texts and the letter are accepted, waiting for
		// their receipts; the phone message is a task.
		if _, err := d.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		for _, ref := range []string{"SMS-1", "FB-1", "LET-1", "BIG-1"} {
			if m := status(ref); m.Status != throughline.MessageSent {
				t.Fatalf("%s before its receipt: %+v, want sent", ref, m)
			}
		}
		// Each letter is dated by the case's clock, and set in large print
		// when the victim's recorded formats ask for it (ADR 0111).
		for range 2 {
			got := <-letters
			if !got.Sent.Equal(clk.Now()) {
				t.Errorf("the letter is dated by %s, not the case's clock %s", got.Sent, clk.Now())
			}
			if big := strings.Contains(got.To, "Park Row"); got.LargePrint != big {
				t.Errorf("letter to %q: large print %v, want %v", got.To, got.LargePrint, big)
			}
		}
		// The receipts come (each answered by the web server before Release
		// returns): delivered for the text and the letter, a permanent
		// failure for FB-1's text, which the next run falls back from.
		fake.Release()
		if _, err := d.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		for _, ref := range []string{"SMS-1", "LET-1", "BIG-1", "FB-1"} {
			if m := status(ref); m.Status != throughline.MessageDelivered {
				t.Fatalf("%s not delivered: %+v", ref, m)
			}
		}
		if m := status("FB-1"); m.Channel != "email" || len(mp.Search("to:fallback."+tag+"@example.org")) != 1 {
			t.Fatalf("fallback: %+v", m)
		}
		tasks, _ := s.Tasks(ctx, "FB-1", true, throughline.ScopeFilter{})
		if len(tasks) != 1 || tasks[0].Kind != throughline.TaskDeliveryFailed || !strings.Contains(tasks[0].Detail, "sms") {
			t.Fatalf("fallback task: %+v", tasks)
		}
		var pdf []byte
		for _, n := range fake.Notifications() {
			if n.Type == "letter" {
				pdf = n.PDF
			}
			if n.Type == "sms" && !strings.Contains(n.Body, "Daniel Ross") {
				t.Errorf("text: %q", n.Body)
			}
		}
		if !bytes.Contains(pdf, []byte("%PDF")) {
			t.Fatal("no letter")
		}
		// The phone message is a task with what to say; done, it is delivered.
		ph, _ := s.Tasks(ctx, "PH-1", true, throughline.ScopeFilter{})
		if len(ph) != 1 || ph[0].Kind != throughline.TaskPhoneCall || !strings.Contains(ph[0].Say, "the police charged Daniel Ross") || !strings.Contains(ph[0].Detail, "after 6pm") {
			t.Fatalf("phone task: %+v", ph)
		}
		if err := s.CompleteTask(ctx, ph[0].ID, "u_wcu"); err != nil {
			t.Fatal(err)
		}
		for ref, ch := range map[string]string{"SMS-1": "sms", "LET-1": "letter", "BIG-1": "letter", "FB-1": "email", "PH-1": "phone"} {
			evs, _ := s.Events(ctx, ref)
			n := 0
			for _, e := range evs {
				if v, ok := e.Data.(*throughline.VictimInformed); ok && v.About == "charged" && v.Channel == ch {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%s: %d victim_informed by %s, want 1", ref, n, ch)
			}
		}
	})
}
