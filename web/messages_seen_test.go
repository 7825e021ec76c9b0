package web_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"throughline"
	"throughline/comms/dispatch"
	"throughline/notify"
	"throughline/sqlstore/storetest"
)

// channel delivers every message at once, or, bouncing, none.
type channel struct{ bouncing bool }

func (c channel) Send(context.Context, notify.Delivery) (notify.Result, error) {
	if c.bouncing {
		return notify.Result{}, &notify.Failure{Kind: notify.Permanent, Err: errors.New("the address does not exist")}
	}
	return notify.Result{Status: notify.Delivered}, nil
}
func (channel) Lookup(context.Context, string) (notify.Result, bool, error) {
	return notify.Result{}, false, notify.ErrCannotLookup
}
func (channel) Status(context.Context, string) (notify.Result, error) {
	return notify.Result{Status: notify.Delivered}, nil
}

// A message that bounced by email and reached the victim by text message
// reads as delivered, with no problem left to act on.
func TestDeliveredOnAFallbackShowsNoProblem(t *testing.T) {
	s := todaySite(t, storetest.DSNs(t)["sqlite"])
	ctx := context.Background()
	if _, err := s.store.EnqueueFreeText(ctx, chargedRef, "C1", "Your named contact is now Gwen Price.", s.people["witness"].ID, "wcu:13"); err != nil {
		t.Fatal(err)
	}
	d := &dispatch.Dispatcher{Store: s.store.Store, Channels: map[string]notify.Channel{"email": channel{bouncing: true}, "sms": channel{}}, Owner: "t", Now: s.clock.Now, Logger: slog.New(slog.DiscardHandler)}
	for range 3 {
		if _, err := d.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	r := s.signIn("witness").get("/cases/" + url.PathEscape(chargedRef))
	body := text(r.body)
	if !strings.Contains(body, "Delivered") || !strings.Contains(body, "Text message") {
		t.Fatalf("the message is not shown delivered by text message: %s", body)
	}
	if strings.Contains(body, "Problem") {
		t.Errorf("a delivered message shows a problem: %s", body)
	}
}

// A Witness Care officer writes to the victim from the pages: the form
// refuses no words and a date the record contradicts (the guard's answer on
// the field), queues the message once however often the form is sent, and
// a message that failed on every channel is tried again as the same message.
func TestSendAndRetryAMessageInThePages(t *testing.T) {
	for name, dsn := range storetest.DSNs(t) {
		t.Run(name, func(t *testing.T) {
			s := todaySite(t, dsn)
			ctx := context.Background()
			wcu := s.signIn("witness")
			casePath := "/cases/" + url.PathEscape(chargedRef)
			if r := wcu.get(casePath); !strings.Contains(r.body, `href="`+casePath+`/messages/new"`) {
				t.Fatalf("the case page offers no message: %s", text(r.body))
			}
			form := wcu.get(casePath + "/messages/new")
			if form.status != http.StatusOK || !strings.Contains(text(form.body), "Who is it to? Amelia Hart") {
				t.Fatalf("the form does not name her: %d %s", form.status, text(form.body))
			}
			count := func() int {
				ms, err := s.store.Messages(ctx, chargedRef)
				if err != nil {
					t.Fatal(err)
				}
				return len(ms)
			}
			before := count()
			empty := wcu.post(casePath+"/messages", url.Values{"complainant_id": {"C1"}, "body": {""}})
			if empty.status != http.StatusUnprocessableEntity || !strings.Contains(empty.body, `<a href="#body">Enter your message</a>`) {
				t.Errorf("no words: %d %s", empty.status, text(empty.body))
			}
			wrong := wcu.post(casePath+"/messages", url.Values{"complainant_id": {"C1"}, "body": {"The next hearing is on 3 December 2026 at Leeds Crown Court."}})
			if wrong.status != http.StatusUnprocessableEntity || !strings.Contains(text(wrong.body), "30 November 2026") {
				t.Errorf("a date the record contradicts: %d %s", wrong.status, text(wrong.body))
			}
			if n := count(); n != before {
				t.Fatalf("a refused message was queued: %d messages, want %d", n, before)
			}
			words := url.Values{"complainant_id": {"C1"}, "body": {"I will call you on Friday to talk about the hearing."}}
			if r := wcu.post(casePath+"/messages", words); r.status != http.StatusSeeOther {
				t.Fatalf("send: %d %s", r.status, text(r.body))
			}
			if r := wcu.post(casePath+"/messages", words); r.status != http.StatusConflict || !strings.Contains(text(r.body), "The same words were already sent to her") {
				t.Errorf("the form sent twice: %d %s", r.status, text(r.body))
			}
			if n := count(); n != before+1 {
				t.Fatalf("%d messages, want %d", n, before+1)
			}

			// Every channel bounces: the message fails, and the case page
			// offers to try it again.
			run := func(ch notify.Channel) {
				d := &dispatch.Dispatcher{Store: s.store.Store, Channels: map[string]notify.Channel{"email": ch, "sms": ch, "letter": ch}, Owner: "t", Now: s.clock.Now, Logger: slog.New(slog.DiscardHandler)}
				for range 4 {
					if _, err := d.RunOnce(ctx); err != nil {
						t.Fatal(err)
					}
				}
			}
			run(channel{bouncing: true})
			ms, _ := s.store.Messages(ctx, chargedRef)
			var failed int64
			for _, m := range ms {
				if m.Status == throughline.MessageFailed {
					failed = m.ID
				}
			}
			if failed == 0 {
				t.Fatalf("no message failed: %+v", ms)
			}
			retry := casePath + "/messages/" + strconv.FormatInt(failed, 10) + "/retry"
			if r := wcu.get(casePath); !strings.Contains(r.body, `action="`+retry+`"`) {
				t.Fatalf("no Try again for the failed message: %s", text(r.body))
			}
			if r := wcu.post(retry, nil); r.status != http.StatusSeeOther {
				t.Fatalf("retry: %d %s", r.status, text(r.body))
			}
			if r := wcu.post(retry, nil); r.status != http.StatusConflict {
				t.Errorf("a message already queued again is tried again: %d", r.status)
			}
			run(channel{})
			m, err := s.store.Message(ctx, failed)
			if err != nil || m.Status != throughline.MessageDelivered {
				t.Fatalf("after the retry: %+v %v", m, err)
			}
			if n := count(); n != before+1 {
				t.Errorf("the retry made a new message: %d messages, want %d", n, before+1)
			}
			if r := s.signIn("inspector").post(retry, nil); r.status != http.StatusNotFound && r.status != http.StatusForbidden {
				t.Errorf("an inspector retries a message: %d", r.status)
			}
		})
	}
}
