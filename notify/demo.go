package notify

import (
	"context"
	"fmt"
	"sync"
)

// DemoOutbox is a channel for demonstrations only: it delivers nothing,
// keeping the latest messages in memory for a page to show (serve --demo
// with no SMTP or Notify configured), so that anyone trying the product
// can sign in to the victim portal with the code "sent" to a demo victim.
// It is never a channel of a real deployment: what it holds is readable by
// anyone who can reach the demo page.
type DemoOutbox struct {
	// Keep is how many messages are kept, newest first (default 200).
	Keep int

	mu   sync.Mutex
	sent []DemoMessage
	n    int
}

// DemoMessage is one message the demo outbox was given.
type DemoMessage struct {
	Channel string
	Delivery
}

// For returns the channel named channel ("email", "sms", "letter") that
// records into o.
func (o *DemoOutbox) For(channel string) Channel { return demoChannel{o, channel} }

// Messages returns the messages kept, newest first.
func (o *DemoOutbox) Messages() []DemoMessage {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]DemoMessage, len(o.sent))
	for i, m := range o.sent {
		out[len(o.sent)-1-i] = m
	}
	return out
}

type demoChannel struct {
	o       *DemoOutbox
	channel string
}

func (c demoChannel) Send(ctx context.Context, d Delivery) (Result, error) {
	o := c.o
	o.mu.Lock()
	defer o.mu.Unlock()
	keep := o.Keep
	if keep <= 0 {
		keep = 200
	}
	o.n++
	o.sent = append(o.sent, DemoMessage{Channel: c.channel, Delivery: d})
	if len(o.sent) > keep {
		o.sent = o.sent[len(o.sent)-keep:]
	}
	return Result{ProviderID: fmt.Sprintf("demo-%d", o.n), Status: Delivered}, nil
}

func (c demoChannel) Lookup(ctx context.Context, reference string) (Result, bool, error) {
	c.o.mu.Lock()
	defer c.o.mu.Unlock()
	for _, m := range c.o.sent {
		if m.Reference == reference && m.Channel == c.channel {
			return Result{Status: Delivered}, true, nil
		}
	}
	return Result{}, false, nil
}

func (c demoChannel) Status(ctx context.Context, providerID string) (Result, error) {
	return Result{ProviderID: providerID, Status: Delivered}, nil
}
