package notify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/wneessen/go-mail"
)

// Email sends email over SMTP. It keeps a few connections open and reuses
// them; a connection that fails is dropped and redialled on the next send.
//
// SMTP gives no delivery receipt and no way to ask afterwards what arrived,
// so a message the server accepted (250 after DATA) counts as delivered, and
// every message carries a deterministic Message-ID (the same for every
// attempt of one message on this channel) so that a resend after a crash
// between the server's acceptance and our record of it can be recognised
// and dropped by the receiving side. See docs/adr/0203.
type Email struct {
	host string
	port int
	from string
	pool chan *mail.Client
	// Timeout bounds one send.
	Timeout time.Duration
}

// NewEmail returns an SMTP channel to addr ("host:port") sending from from,
// with up to conns connections.
func NewEmail(addr, from string, conns int) (*Email, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("--smtp-addr %q: %w", addr, err)
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		return nil, fmt.Errorf("--smtp-addr %q: bad port", addr)
	}
	if from == "" {
		return nil, errors.New("--smtp-from is required with --smtp-addr")
	}
	e := &Email{host: host, port: port, from: from, pool: make(chan *mail.Client, max(conns, 1)), Timeout: 15 * time.Second}
	for range cap(e.pool) {
		e.pool <- nil
	}
	return e, nil
}

// Close closes the open connections.
func (e *Email) Close() error {
	for range cap(e.pool) {
		if c := <-e.pool; c != nil {
			c.Close()
		}
	}
	return nil
}

func (e *Email) client(ctx context.Context) (*mail.Client, error) {
	c, err := mail.NewClient(e.host, mail.WithPort(e.port), mail.WithTLSPolicy(mail.NoTLS), mail.WithTimeout(e.Timeout), mail.WithoutNoop(), mail.WithHELO("throughline"))
	if err != nil {
		return nil, err
	}
	if err := c.DialWithContext(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// Send sends d. Failures: Temporary for a 4xx reply; Permanent for a 5xx
// reply to the recipient or the data; Technical when the server cannot be
// reached (nothing was sent) or the connection broke (unknown: may have gone).
func (e *Email) Send(ctx context.Context, d Delivery) (Result, error) {
	m := mail.NewMsg()
	if err := m.From(e.from); err != nil {
		return Result{}, fail(Permanent, "from address: %v", err)
	}
	if err := m.To(d.To); err != nil {
		return Result{}, fail(Permanent, "email address %q: %v", d.To, err)
	}
	m.Subject(d.Subject)
	m.SetMessageIDWithValue(d.MessageID)
	m.SetGenHeader("X-Throughline-Reference", d.Reference)
	if d.Lang != "" {
		m.SetGenHeader("Content-Language", d.Lang)
	}
	m.SetDate()
	m.SetBodyString(mail.TypeTextPlain, d.Body)

	ctx, cancel := context.WithTimeout(ctx, e.Timeout)
	defer cancel()
	var c *mail.Client
	select {
	case c = <-e.pool:
	case <-ctx.Done():
		return Result{}, fail(Technical, "no SMTP connection free: %v", ctx.Err())
	}
	put := func(c *mail.Client) { e.pool <- c }
	reused := c != nil
	for {
		if c == nil {
			var err error
			if c, err = e.client(ctx); err != nil {
				put(nil)
				return Result{}, fail(Technical, "connect to the SMTP server: %v", err)
			}
		}
		err := c.Send(m)
		var se *mail.SendError
		if err != nil && reused && errors.As(err, &se) && se.Reason == mail.ErrSMTPMailFrom && se.ErrorCode() == 0 {
			// A kept connection the server closed meanwhile: nothing was
			// sent (MAIL FROM failed on the wire); dial afresh once.
			c.Close()
			c, reused = nil, false
			continue
		}
		if err == nil {
			break
		}
		c.Close()
		put(nil)
		if se != nil {
			switch {
			case se.IsTemp():
				return Result{}, fail(Temporary, "%v", err)
			case se.ErrorCode() >= 500 && (se.Reason == mail.ErrSMTPRcptTo || se.Reason == mail.ErrSMTPData || se.Reason == mail.ErrSMTPMailFrom):
				return Result{}, fail(Permanent, "%v", err)
			}
		}
		return Result{}, fail(Technical, "%v", err)
	}
	put(c)
	return Result{Status: Delivered}, nil
}

// Lookup cannot find sent email.
func (e *Email) Lookup(context.Context, string) (Result, bool, error) {
	return Result{}, false, ErrCannotLookup
}

// Status: an accepted email is delivered as far as SMTP can say.
func (e *Email) Status(context.Context, string) (Result, error) {
	return Result{Status: Delivered}, nil
}
