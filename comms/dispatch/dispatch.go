// Package dispatch delivers the victim-message outbox: the Dispatcher, its
// retry backoff, and the small store interface it records through. It is
// the only part of victim communication that talks to the channels of
// package notify; what to send, and whether it is still owed, is package
// comms' to decide.
package dispatch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"throughline"
	"throughline/comms"
	"throughline/notify"
)

// Dispatcher delivers the outbox. Any number may run against one database
// (inside each serve process, or as `throughline dispatch`): each claims
// messages under a lease, so no two work on one message at once.
//
// A crash at any point neither loses a message nor sends it twice, as far as
// the channel allows: the attempt is recorded durably as "sending" (with its
// reference and its exact words) before it begins, and a message found in
// "sending" after a crash is reconciled before any resend: Notify is asked
// for the reference; SMTP cannot be asked, so the very same message goes
// again with the same Message-ID for the receiving side to drop. Delivery
// and the victim_informed event that meets the Victims' Code duty commit in
// one transaction. See docs/adr/0203.
type Dispatcher struct {
	Store Store
	// Channels by name: "email", "sms", "letter". "phone" is never a
	// channel: a phone message is a task for the named contact.
	Channels map[string]notify.Channel
	Owner    string        // this dispatcher's lease owner id; unique per process
	Lease    time.Duration // how long a claim lasts
	Batch    int           // messages claimed at once
	Workers  int           // messages in flight at once
	Idle     time.Duration // wait when nothing is due
	// ReceiptPoll is how long after a channel accepts a message its status
	// is asked for, if no receipt came first.
	ReceiptPoll time.Duration
	// MaxAttempts on one channel before temporary failures count as permanent.
	MaxAttempts int
	Backoff     Backoff
	// MessageIDDomain is the right-hand side of email Message-IDs.
	MessageIDDomain string
	Now             func() time.Time
	Logger          *slog.Logger

	rngMu sync.Mutex
	rng   *rand.Rand
}

func (d *Dispatcher) defaults() {
	if d.Lease == 0 {
		d.Lease = 2 * time.Minute
	}
	if d.Workers == 0 {
		d.Workers = 8
	}
	if d.Batch == 0 {
		d.Batch = 4 * d.Workers
	}
	if d.Idle == 0 {
		d.Idle = time.Second
	}
	if d.ReceiptPoll == 0 {
		d.ReceiptPoll = 5 * time.Minute
	}
	if d.MaxAttempts == 0 {
		d.MaxAttempts = 8
	}
	if d.Backoff.Base == 0 {
		d.Backoff = DefaultBackoff
	}
	if d.MessageIDDomain == "" {
		d.MessageIDDomain = "throughline.invalid"
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Owner == "" {
		d.Owner = fmt.Sprintf("dispatcher-%x", rand.Uint64())
	}
	if d.rng == nil {
		d.rng = rand.New(rand.NewPCG(rand.Uint64(), 1))
	}
}

// Run delivers until ctx ends.
func (d *Dispatcher) Run(ctx context.Context) error {
	d.defaults()
	// Regular updates are scheduled work, queued under a lease by serve
	// and dispatch (cmd/throughline/ticker.go, ADR 0323), not here.
	for ctx.Err() == nil {
		n, err := d.round(ctx)
		if err != nil && ctx.Err() == nil {
			d.Logger.Error("victim messages: dispatch failed; retrying", "err", err)
		}
		if n == 0 || err != nil {
			select {
			case <-ctx.Done():
			case <-time.After(d.Idle):
			}
		}
	}
	return nil
}

// RunOnce delivers until nothing is due, and returns how many messages it
// worked on.
func (d *Dispatcher) RunOnce(ctx context.Context) (int, error) {
	d.defaults()
	total := 0
	for {
		n, err := d.round(ctx)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}

// round claims one batch and works it.
func (d *Dispatcher) round(ctx context.Context) (int, error) {
	ps, err := d.Store.Claim(ctx, d.Owner, d.Batch, d.Lease)
	if err != nil || len(ps) == 0 {
		return 0, err
	}
	sem := make(chan struct{}, d.Workers)
	var wg sync.WaitGroup
	for _, p := range ps {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := d.process(ctx, p); err != nil && ctx.Err() == nil {
				if errors.Is(err, throughline.ErrLeaseLost) {
					d.Logger.Warn("victim messages: lease lost; another dispatcher has the message", "message", p.ID)
					return
				}
				d.Logger.Error("victim messages: message not recorded; it will be retried when its lease ends", "message", p.ID, "case", p.Case, "err", err)
			}
		}()
	}
	wg.Wait()
	return len(ps), nil
}

// channelsOf are the complainant's channels in their order, less letters
// when they must never be written to at home.
func channelsOf(cp *throughline.Complainant) []string {
	if cp.Preferences == nil {
		return nil
	}
	var out []string
	for _, ch := range cp.Preferences.Channels {
		if ch == "letter" && cp.Preferences.NeverWriteHome {
			continue
		}
		out = append(out, ch)
	}
	return out
}

func recipient(c *throughline.Case, cp *throughline.Complainant, channel string) string {
	p := cp.Preferences
	switch channel {
	case "email":
		return p.Email
	case "sms", "phone":
		if p.Mobile != "" {
			return p.Mobile
		}
		return p.NominatedContact
	case "letter":
		return strings.TrimSpace(cp.Name + "\n" + strings.ReplaceAll(p.Address, ", ", "\n"))
	}
	return ""
}

func (d *Dispatcher) process(ctx context.Context, p throughline.PendingMessage) error {
	c, err := d.Store.Case(ctx, p.Case)
	if err != nil {
		return err
	}
	cp := c.Complainant(p.Complainant)
	if cp == nil {
		return d.Store.Finish(ctx, d.Owner, p.ID, throughline.MessageFailed, throughline.FailPermanent, "no complainant "+p.Complainant)
	}
	switch p.Status {
	case throughline.MessageSent:
		ch, ok := d.Channels[p.Channel]
		if !ok {
			return d.retry(ctx, p, throughline.FailTechnical, p.Channel+" is not configured in this process")
		}
		r, err := ch.Status(ctx, p.ProviderID)
		return d.outcome(ctx, c, cp, p, r, err)
	case throughline.MessageSending:
		// The last attempt's outcome is unknown: reconcile before a resend.
		ch, ok := d.Channels[p.Channel]
		if !ok {
			return d.retry(ctx, p, throughline.FailTechnical, p.Channel+" is not configured in this process")
		}
		r, found, err := ch.Lookup(ctx, p.Reference)
		switch {
		case errors.Is(err, notify.ErrCannotLookup):
			d.Logger.Warn("victim messages: resending after an unknown outcome; the receiver deduplicates by Message-ID", "message", p.ID, "reference", p.Reference)
		case err != nil:
			return d.retry(ctx, p, notify.FailureKind(err), "reconcile: "+err.Error())
		case found:
			return d.outcome(ctx, c, cp, p, r, nil)
		}
		// Not found (or not knowable): the same attempt again, recorded first.
		if err := d.Store.Sending(ctx, d.Owner, p); err != nil {
			return err
		}
		return d.send(ctx, c, cp, p, ch)
	}
	// Queued: compose from the record as it stands now.
	channels := channelsOf(cp)
	contact := comms.ContactOf(c, cp)
	if p.ChannelIndex >= len(channels) {
		why := "no way to contact them is recorded"
		if len(channels) > 0 {
			why = "every channel they chose has failed"
		}
		if err := d.Store.OpenTask(ctx, throughline.CommsTask{Case: p.Case, Complainant: p.Complainant, MessageID: p.ID, Kind: throughline.TaskNoChannel, Assignee: contact, Detail: p.Kind + " message: " + why}); err != nil {
			return err
		}
		return d.Store.Finish(ctx, d.Owner, p.ID, throughline.MessageFailed, throughline.FailPermanent, why)
	}
	dir, err := comms.LoadDirectory(ctx, d.Store, c.Ref)
	if err != nil {
		return err
	}
	m, err := comms.Compose(c, comms.Request{Complainant: p.Complainant, Kind: p.Kind, Subject: p.Subject, About: p.About, Text: p.Text, From: p.From, Dir: dir}, d.Now())
	var sup *comms.ErrSuperseded
	switch {
	case errors.As(err, &sup):
		return d.Store.Finish(ctx, d.Owner, p.ID, throughline.MessageSuperseded, "", sup.Why)
	case throughline.ErrorCode(err) == throughline.EINVALID:
		if err := d.Store.OpenTask(ctx, throughline.CommsTask{Case: p.Case, Complainant: p.Complainant, MessageID: p.ID, Kind: throughline.TaskBlocked, Assignee: contact,
			Detail: "the message now contradicts the record: " + throughline.ErrorMessage(err)}); err != nil {
			return err
		}
		return d.Store.Finish(ctx, d.Owner, p.ID, throughline.MessageBlocked, "", throughline.ErrorMessage(err))
	case err != nil:
		return d.Store.Finish(ctx, d.Owner, p.ID, throughline.MessageFailed, throughline.FailPermanent, "cannot compose: "+err.Error())
	}
	p.Channel = channels[p.ChannelIndex]
	p.Reference = fmt.Sprintf("TL-%d-%d-%d", p.ID, p.ChannelIndex, p.Attempts)
	p.Content = throughline.MessageContent{Lang: m.Lang, Subject: m.Subject, Body: m.Body, Recipient: recipient(c, cp, p.Channel)}
	if p.Channel == "phone" {
		if err := d.Store.Sending(ctx, d.Owner, p); err != nil {
			return err
		}
		if err := d.Store.OpenTask(ctx, throughline.CommsTask{Case: p.Case, Complainant: p.Complainant, MessageID: p.ID, Kind: throughline.TaskPhoneCall, Assignee: contact,
			Detail: "phone them (" + safeTimes(cp) + ") about: " + p.Kind, Say: m.Subject + "\n\n" + m.Body}); err != nil {
			return err
		}
		return d.Store.Finish(ctx, d.Owner, p.ID, throughline.MessageTask, "", "a phone call for "+contact)
	}
	ch, ok := d.Channels[p.Channel]
	if !ok {
		return d.retry(ctx, p, throughline.FailTechnical, p.Channel+" is not configured in this process")
	}
	if err := d.Store.Sending(ctx, d.Owner, p); err != nil {
		return err
	}
	return d.send(ctx, c, cp, p, ch)
}

func safeTimes(cp *throughline.Complainant) string {
	if cp.Preferences != nil && cp.Preferences.SafeTimesWords() != "" {
		return "safe times: " + cp.Preferences.SafeTimesWords()
	}
	return "no safe times recorded: ask before you talk"
}

// send makes the attempt recorded in p.
func (d *Dispatcher) send(ctx context.Context, c *throughline.Case, cp *throughline.Complainant, p throughline.PendingMessage, ch notify.Channel) error {
	// Large print as the victim recorded it now: a resend after a crash
	// sets the same words in the size she asked for since.
	r, err := ch.Send(ctx, notify.Delivery{Reference: p.Reference, MessageID: MessageID(p, d.MessageIDDomain),
		To: p.Content.Recipient, Subject: p.Content.Subject, Body: p.Content.Body, Lang: p.Content.Lang, Sent: d.Now(),
		LargePrint: cp.Preferences.LargePrint()})
	return d.outcome(ctx, c, cp, p, r, err)
}

// outcome records what a channel said.
func (d *Dispatcher) outcome(ctx context.Context, c *throughline.Case, cp *throughline.Complainant, p throughline.PendingMessage, r notify.Result, err error) error {
	if err != nil {
		return d.failed(ctx, c, cp, p, notify.FailureKind(err), err.Error())
	}
	switch r.Status {
	case notify.Delivered:
		return d.Store.Delivered(ctx, d.Owner, p.ID, p.Channel)
	case notify.Accepted:
		return d.Store.Sent(ctx, d.Owner, p.ID, r.ProviderID, d.Now().Add(d.ReceiptPoll))
	default:
		return d.failed(ctx, c, cp, p, r.Status, "the provider reported "+r.Status)
	}
}

func failureOf(kind string) string {
	switch kind {
	case notify.Permanent, throughline.FailPermanent:
		return throughline.FailPermanent
	case notify.Temporary, throughline.FailTemporary:
		return throughline.FailTemporary
	default:
		return throughline.FailTechnical
	}
}

// failed retries a temporary or technical failure with backoff, and falls
// back to the next channel on a permanent one (or when retries run out),
// raising a task for a person either way.
func (d *Dispatcher) failed(ctx context.Context, c *throughline.Case, cp *throughline.Complainant, p throughline.PendingMessage, kind, why string) error {
	f := failureOf(kind)
	if f != throughline.FailPermanent && p.Attempts+1 < d.MaxAttempts {
		return d.retry(ctx, p, f, why)
	}
	channels := channelsOf(cp)
	if err := d.Store.OpenTask(ctx, throughline.CommsTask{Case: p.Case, Complainant: p.Complainant, MessageID: p.ID, Kind: throughline.TaskDeliveryFailed, Assignee: comms.ContactOf(c, cp),
		Detail: fmt.Sprintf("%s message by %s failed (%s): %s", p.Kind, p.Channel, f, why)}); err != nil {
		return err
	}
	if next := p.ChannelIndex + 1; next < len(channels) {
		d.Logger.Warn("victim messages: falling back to the next channel", "message", p.ID, "from", p.Channel, "to", channels[next])
		return d.Store.Fallback(ctx, d.Owner, p.ID, next, f, why)
	}
	d.Logger.Error("victim messages: every channel failed; a person must act", "message", p.ID, "case", p.Case)
	return d.Store.Finish(ctx, d.Owner, p.ID, throughline.MessageFailed, f, why)
}

func (d *Dispatcher) retry(ctx context.Context, p throughline.PendingMessage, failure, why string) error {
	d.rngMu.Lock()
	u := d.rng.Float64()
	d.rngMu.Unlock()
	at := d.Now().Add(d.Backoff.Delay(p.Attempts, u))
	return d.Store.Retry(ctx, d.Owner, p.ID, at, failure, why)
}
