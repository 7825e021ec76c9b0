package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"throughline/comms/dispatch"
	"time"

	"throughline/notify"
	"throughline/sqlstore"
	"throughline/web"
)

func init() {
	register("dispatch", "deliver the victim-message outbox (email, text, letter, phone tasks)", runDispatch)
}

// channelFlags are the delivery channels' flags, shared by serve and dispatch.
type channelFlags struct {
	smtpAddr, smtpFrom, notifyURL, notifyKey, callback *string
}

func addChannelFlags(fs *flag.FlagSet) channelFlags {
	return channelFlags{
		smtpAddr:  fs.String("smtp-addr", "", "SMTP server (host:port) for email to victims; email waits in the outbox if unset"),
		smtpFrom:  fs.String("smtp-from", "", "From address of email to victims, e.g. \"Witness Care <wcu@example.gov.uk>\""),
		notifyURL: fs.String("notify-url", "", "GOV.UK Notify API base URL for text messages and letters (e.g. https://api.notifications.service.gov.uk)"),
		notifyKey: fs.String("notify-key-file", "", "file holding the GOV.UK Notify API key (or set THROUGHLINE_NOTIFY_KEY); never the key itself on the command line, which every user of the machine can read"),
		callback:  fs.String("notify-callback-token-file", "", "file holding the bearer token Notify sends with delivery receipts to POST /notify/receipts (or set THROUGHLINE_NOTIFY_CALLBACK_TOKEN)"),
	}
}

func (cf channelFlags) callbackToken(m *Main) (string, error) {
	return secret(m, *cf.callback, "THROUGHLINE_NOTIFY_CALLBACK_TOKEN")
}

// secret is a secret read from file, else from the environment variable
// env: secrets come only from files or the environment, never from flags.
func secret(m *Main, file, env string) (string, error) {
	if file == "" {
		return m.Getenv(env), nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// portalSender sends the victim portal's sign-in codes straight through the
// dispatcher's channels: a code is not news of the case, must arrive in
// seconds and expires in ten minutes, so it does not wait in the outbox.
func portalSender(d *dispatch.Dispatcher) web.PortalSender {
	return func(ctx context.Context, channel, to, subject, body string) error {
		ch, ok := d.Channels[channel]
		if !ok {
			return fmt.Errorf("%s is not configured", channel)
		}
		ref := fmt.Sprintf("portal-code-%d", time.Now().UnixNano())
		_, err := ch.Send(ctx, notify.Delivery{Reference: ref, MessageID: ref + "@" + d.MessageIDDomain, To: to, Subject: subject, Body: body})
		return err
	}
}

// dispatcher builds a dispatcher from the flags. close releases its connections.
func (cf channelFlags) dispatcher(m *Main, s *sqlstore.Store, logger *slog.Logger) (d *dispatch.Dispatcher, close func(), err error) {
	d = &dispatch.Dispatcher{Store: s, Channels: map[string]notify.Channel{}, Now: m.Now, Logger: logger,
		Owner: fmt.Sprintf("%s-%d-%d", hostname(), os.Getpid(), time.Now().UnixNano())}
	close = func() {}
	if *cf.smtpAddr != "" {
		e, err := notify.NewEmail(*cf.smtpAddr, *cf.smtpFrom, 8)
		if err != nil {
			return nil, nil, usagef("%v", err)
		}
		d.Channels["email"] = e
		close = func() { e.Close() }
		if _, domain, ok := strings.Cut(strings.Trim(*cf.smtpFrom, "<> "), "@"); ok {
			d.MessageIDDomain = strings.TrimSuffix(domain, ">")
		}
	}
	key, err := secret(m, *cf.notifyKey, "THROUGHLINE_NOTIFY_KEY")
	if err != nil {
		return nil, nil, err
	}
	if *cf.notifyURL != "" {
		for _, kind := range []string{"sms", "letter"} {
			n, err := notify.NewNotify(*cf.notifyURL, key, kind)
			if err != nil {
				return nil, nil, usagef("%v", err)
			}
			d.Channels[kind] = n
		}
	}
	return d, close, nil
}

// queueRegularUpdates queues the regular updates due at now: a scheduled
// job, under its lease, in serve and in dispatch.
func queueRegularUpdates(ctx context.Context, s *sqlstore.Store, logger *slog.Logger, now time.Time) error {
	n, err := dispatch.QueueRegularUpdates(ctx, s, now)
	if n > 0 {
		logger.Info("victim messages: regular updates queued", "count", n)
	}
	return err
}

func hostname() string {
	h, _ := os.Hostname()
	return h
}

func runDispatch(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("dispatch", "dispatch [--once] [--db DSN] [--smtp-addr host:port --smtp-from ADDRESS] [--notify-url URL --notify-key-file FILE]")
	db := m.dbFlag(fs)
	once := fs.Bool("once", false, "deliver what is due now, then exit")
	workers := fs.Int("workers", 8, "messages in flight at once")
	lease := fs.Duration("lease", 2*time.Minute, "how long a claimed message is this process's before another may take it over")
	cf := addChannelFlags(fs)
	ticks, err := addTickFlags(m, fs)
	if err != nil {
		return err
	}
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if err := ticks.check(); err != nil {
		return err
	}
	s, err := m.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	logger := slog.New(slog.NewTextHandler(m.Stderr, nil))
	d, closeChannels, err := cf.dispatcher(m, s, logger)
	if err != nil {
		return err
	}
	defer closeChannels()
	d.Workers, d.Lease = *workers, *lease
	// The regular updates are queued under serve's lease (ADR 0013), never
	// on a timer of the dispatcher's own: with serve processes beside it,
	// each tick's updates are queued once.
	sched := dispatchWork(s, logger, m.Now, *ticks.every, *ticks.lease)
	if *once {
		err := sched.Step(ctx)
		sched.Release()
		if err != nil {
			return err
		}
		n, err := d.RunOnce(ctx)
		fmt.Fprintf(m.Stdout, "%d message(s) worked on\n", n)
		return err
	}
	schedCtx, stopSched := context.WithCancel(ctx)
	schedDone := make(chan struct{})
	go func() {
		defer close(schedDone)
		sched.Run(schedCtx)
	}()
	// Stopped before the store closes, so that the lease is handed back.
	defer func() { stopSched(); <-schedDone }()
	fmt.Fprintf(m.Stdout, "Dispatching victim messages (database %s)\n", *db)
	return d.Run(ctx)
}
