package comms_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"throughline/comms/dispatch"
	"throughline/wire"
	"time"

	"throughline"
	"throughline/comms"
	"throughline/notify"
	"throughline/notify/mailpittest"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
)

// Composing a message from the case and checking a free text against it:
// the work the dispatcher and the API do per message.
func BenchmarkComposeAndGuard(b *testing.B) {
	c := fold(b, "cy", journeyTo(charged, firstEarly, firstHeld, sent, ptphListed, ptphHeld, trialListed)...)
	text := "I spoke to the court today. The trial is still set for Monday 12 May 2025 at 10am at Leeds Crown Court. He is in custody."
	b.ReportAllocs()
	for b.Loop() {
		if _, err := comms.Compose(c, comms.Request{Complainant: "C1", Kind: comms.KindTrialListed, Subject: "hearing:H3"}, now); err != nil {
			b.Fatal(err)
		}
		if _, err := comms.Compose(c, comms.Request{Complainant: "C1", Kind: comms.KindFreeText, Text: text}, now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGuard(b *testing.B) {
	c := fold(b, "en", journeyTo(charged, firstEarly, firstHeld, sent, ptphListed, ptphHeld, trialListed)...)
	text := "The trial is on 19/05/2025 at Bradford Crown Court. The PTPH was on 12 December 2024. He has been found guilty."
	for b.Loop() {
		if cs := comms.Check(c, text, now); len(cs) != 3 {
			b.Fatalf("%v", cs)
		}
	}
}

// Dispatcher throughput to a real SMTP server (mailpit on loopback): each
// message composed from the case, recorded as sending, sent, and recorded
// as delivered with its victim_informed event. 400 messages per op.
func BenchmarkDispatchToSMTP(b *testing.B) {
	mp := mailpittest.Start(b)
	if mp == nil {
		return
	}
	for _, db := range []string{"sqlite", "postgres"} {
		b.Run(db, func(b *testing.B) {
			dsn := "sqlite:" + filepath.Join(b.TempDir(), "bench.db")
			if db == "postgres" {
				if dsn = storetest.Postgres(b); dsn == "" {
					return
				}
			}
			ctx := context.Background()
			s, err := sqlstore.Open(ctx, dsn, wire.Rules())
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			if err := s.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			e, _ := notify.NewEmail(mp.SMTP, "wcu@bench.example.gov.uk", 8)
			defer e.Close()
			d := &dispatch.Dispatcher{Store: s, Channels: map[string]notify.Channel{"email": e}, Owner: "bench", Workers: 8, MessageIDDomain: db + ".bench.example.gov.uk"}
			const perOp = 400
			var seq atomic.Int64
			total := 0
			var elapsed time.Duration
			for b.Loop() {
				b.StopTimer()
				queue(b, s, perOp, &seq)
				b.StartTimer()
				start := time.Now()
				n, err := d.RunOnce(ctx)
				elapsed += time.Since(start)
				if err != nil || n != perOp {
					b.Fatalf("dispatched %d of %d: %v", n, perOp, err)
				}
				total += n
			}
			b.ReportMetric(float64(total)/elapsed.Seconds(), "msgs/s")
		})
	}
}

// queue makes n cases, each charged live: n charge messages in the outbox.
func queue(b *testing.B, s *sqlstore.Store, n int, seq *atomic.Int64) {
	ctx := context.Background()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for range n {
		i := seq.Add(1)
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			ref := fmt.Sprintf("BENCH-%06d", i)
			lines := append([]string{fmt.Sprintf(`{"case":%q,"type":"case_opened","occurred_at":"2024-01-15","data":{"force":"13","cps_area":"yorkshire_humberside","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"Amelia Hart","language":"en"}],"suspects":[{"id":"D1","name":"Daniel Ross"}]}}`, ref),
				`{"type":"contact_preferences_set","occurred_at":"2024-01-16","data":{"complainant_id":"C1","channels":["email"],"email":"victim` + fmt.Sprint(i) + `@example.org"}}`},
				toCharge[1:]...)
			lines = append(lines, charged)
			for _, l := range lines {
				if l[:7] != `{"case"` {
					l = `{"case":"` + ref + `",` + l[1:]
				}
				e, err := throughline.ParseEvent([]byte(l))
				if err != nil {
					b.Error(err)
					return
				}
				e.Actor, e.Agency = "u_bench", "police:13"
				if _, _, err := s.Append(ctx, e, throughline.AnyVersion); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
