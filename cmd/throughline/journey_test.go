package main

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"throughline"
	"throughline/deadline"
	"throughline/notify/mailpittest"
	"throughline/sqlstore/storetest"
)

// A complainant's whole journey from charge to sentence, recorded live, day
// by day, with the dispatcher running after each event: every Victims' Code
// duty to tell her is met on time by a delivered message, each message
// arrives exactly once, and what arrived is what the staff side recorded.
func TestWholeJourneyTellsTheVictimOnTime(t *testing.T) {
	mp := mailpittest.Start(t)
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, clk := storeWithClock(t, dsn)
		ref, to := "JOURNEY-1", "amelia.journey."+s.Dialect()+"@example.org"
		importHistory(t, s, ref, "en", to)
		lines := journeyLines(t)
		d := dispatcherFor(t, s, mp, clk.Now)
		for _, l := range lines[8:] {
			e := l.Event
			if e.Type == throughline.TypeVictimInformed {
				continue // the system tells her, not a person's phone call
			}
			// The agency learns of each event on its day: the clock moves there.
			at := e.OccurredAt.Time()
			if e.OccurredAt.DateOnly() {
				at = at.Add(10 * time.Hour)
			} else {
				at = at.Add(30 * time.Minute)
			}
			clk.Set(at)
			e.Case, e.RecordedAt, e.Actor, e.Agency = ref, throughline.When{}, "u_staff", "police:13"
			if _, _, err := s.Append(ctx, e, -1); err != nil {
				t.Fatalf("line %d %s: %v", l.No, e.Type, err)
			}
			if _, err := d.RunOnce(ctx); err != nil {
				t.Fatalf("dispatch after line %d: %v", l.No, err)
			}
		}
		// Every duty to tell the victim is met, on time.
		ds, err := s.Deadlines(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		told := 0
		for _, dl := range ds {
			// The duties to tell her: a Victims' Code rule a telling meets
			// (not the court's result to the WCU, nor her personal statement).
			r, _ := deadline.RuleAt(dl.Rule, dl.Starts)
			if !strings.HasPrefix(dl.Rule, "vc_") || !slices.Contains(r.MetBy, throughline.TypeVictimInformed) || dl.NotApplicable != "" {
				continue
			}
			told++
			if st := dl.Status(clk.Now()); st != deadline.StatusMet {
				t.Errorf("%s concerning %s (due %s): %s, met by %q at %s", dl.Rule, dl.Concerning, dl.Due.Format(time.DateOnly), st, dl.MetBy, dl.MetAt.Format(time.DateOnly))
			}
		}
		if told < 8 {
			t.Errorf("only %d Victims' Code duties to tell her over the whole journey", told)
		}
		// Each message arrived exactly once, as recorded.
		ms, err := s.Messages(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		arrived := mp.Search("to:" + to)
		delivered := 0
		for _, m := range ms {
			if m.Status == "delivered" {
				delivered++
			}
		}
		// Several duties on one day make one message: never more messages
		// than duties, and never a message twice.
		if len(arrived) != delivered || delivered == 0 || delivered > told {
			t.Errorf("%d emails arrived, %d messages recorded as delivered, %d duties", len(arrived), delivered, told)
		}
	})
}
