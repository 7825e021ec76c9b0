package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"throughline"
	"throughline/sqlstore/storetest"
)

// A message that failed for good is on one list of people who can act on
// it, chosen by its case's team (throughline.ActsOnFailed): Witness Care's
// Victim contact page when one of them is on the team, else the Today page
// of the officers on it, else the force's police supervisors' Victim
// contact page; and the administrator's summary says where each is.
func TestFailedMessagesAreOnTheirOwnersList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		ctx := context.Background()
		const withWCU, withOfficer, withNobody = "13RS0000401/24", "13RS0000402/24", "13RS0000403/24"
		for _, ref := range []string{withWCU, withOfficer, withNobody} {
			s.loadJourney(ref, 9) // charged: a message is owed
		}
		for ref, who := range map[string][]string{withWCU: {"witness", "officer"}, withOfficer: {"officer"}} {
			for _, k := range who {
				if err := s.store.SetCaseMember(ctx, "test", ref, "user", s.people[k].ID, true); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Every message owed fails on its only channel, as the dispatcher
		// records it: a task for a person, the message failed for good.
		claimed, err := s.store.Claim(ctx, "test", 100, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		failed := map[string]bool{}
		for _, p := range claimed {
			if err := s.store.OpenTask(ctx, throughline.CommsTask{Case: p.Case, Complainant: p.Complainant, MessageID: p.ID, Kind: throughline.TaskDeliveryFailed,
				Assignee: "Witness Care", Detail: "email failed"}); err != nil {
				t.Fatal(err)
			}
			if err := s.store.Finish(ctx, "test", p.ID, throughline.MessageFailed, throughline.FailPermanent, "550 no such user"); err != nil {
				t.Fatal(err)
			}
			failed[p.Case] = true
		}
		if !failed[withWCU] || !failed[withOfficer] || !failed[withNobody] {
			t.Fatalf("no failed message on every case: %v", failed)
		}

		only := func(who, path, section, end, want string) {
			t.Helper()
			body := text(s.signIn(who).get(path).body)
			part := between(body, section, end)
			for _, ref := range []string{withWCU, withOfficer, withNobody} {
				if strings.Contains(part, ref) != (ref == want) {
					t.Errorf("%s's %s, %q: shows %s: %v, want only %s:\n%s", who, path, section, ref, strings.Contains(part, ref), want, part)
				}
			}
		}
		only("witness", "/failed-deliveries", "Tasks for a person", "Throughline: the shared record", withWCU)
		only("supervisor", "/failed-deliveries", "Tasks for a person", "Throughline: the shared record", withNobody)
		only("officer", "/today", "Victims to contact", "Hearings in the next 14 days", withOfficer)

		admin := text(s.signIn("admin").get("/admin/today").body)
		for _, want := range []string{"with Witness Care, on their Victim contact page", "1 with the officers on the case team, on their Today page",
			"1 with the police supervisors of the force (no one from Witness Care or the police on the case team), on their Victim contact page"} {
			if !strings.Contains(admin, want) {
				t.Errorf("the administrator's today page does not say %q:\n%s", want, admin)
			}
		}
	})
}
