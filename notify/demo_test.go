package notify_test

import (
	"context"
	"fmt"
	"testing"

	"throughline/notify"
)

// The demo outbox keeps the latest messages, newest first, and finds an
// attempt by its reference (so a resend after a crash is not a second one).
func TestDemoOutboxKeepsTheLatest(t *testing.T) {
	o := &notify.DemoOutbox{Keep: 3}
	ctx := context.Background()
	for i := 1; i <= 4; i++ {
		ch := o.For([]string{"email", "sms"}[i%2])
		r, err := ch.Send(ctx, notify.Delivery{Reference: fmt.Sprint("ref-", i), To: "victim@example.org", Body: fmt.Sprint("message ", i)})
		if err != nil || r.Status != notify.Delivered {
			t.Fatalf("send %d: %v %+v", i, err, r)
		}
	}
	ms := o.Messages()
	if len(ms) != 3 || ms[0].Body != "message 4" || ms[0].Channel != "email" || ms[2].Body != "message 2" {
		t.Fatalf("kept %+v", ms)
	}
	if _, found, _ := o.For("email").Lookup(ctx, "ref-4"); !found {
		t.Error("ref-4 not found on email")
	}
	if _, found, _ := o.For("sms").Lookup(ctx, "ref-4"); found {
		t.Error("ref-4 found on the wrong channel")
	}
	if _, found, _ := o.For("sms").Lookup(ctx, "ref-1"); found {
		t.Error("a message no longer kept is found")
	}
}
