package web_test

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"testing"

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
