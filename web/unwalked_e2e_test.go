package web_test

import (
	"context"
	"log/slog"
	"net/url"
	"testing"

	"throughline/comms/dispatch"
	"throughline/notify"
)

// The flows issue 12's walk-through left unwalked, in real Chromium with
// axe-core at 1280 and 320 pixels: early advice from the prosecutor's
// today page, a complainant's withdrawal recorded by the officer, and a
// message that failed on every channel tried again by Witness Care.
func TestUnwalkedFlowsInChromium(t *testing.T) {
	e := newE2E(t)
	if e == nil {
		return
	}
	e.narrowToo = true
	e.s.seedToday()
	const adviceRef = "13RS0000105/24" // a file with the CPS for early advice
	e.s.loadJourney(adviceRef, 3)
	for _, k := range []string{"officer", "prosecutor", "witness"} {
		if err := e.s.store.SetCaseMember(context.Background(), "test", adviceRef, "user", e.s.people[k].ID, true); err != nil {
			t.Fatal(err)
		}
	}
	advice, charged := url.PathEscape(adviceRef), url.PathEscape(chargedRef)

	// Early advice, from "Record the advice": the suspect already chosen;
	// the file leaves the list.
	e.signIn("prosecutor")
	e.see("Files waiting for the CPS", "Early advice")
	e.click(`main a[href^="/cases/`+advice+`/record/early_advice_given"]`, "early advice")
	e.see("Daniel Ross")
	e.click("main form button", adviceRef)
	e.see("Early investigative advice given")
	e.visit("/today", "Today")
	e.notSee("Early advice")
	e.signOut()

	// The officer records that the complainant withdrew her support.
	e.signIn("officer")
	e.visit("/cases/"+charged+"/record/complainant_withdrew", "withdrew")
	e.see("Amelia Hart")
	e.typeIn("reason", "She does not want to go through a trial")
	e.click("main form button", chargedRef)
	e.see("Complainant withdrew support", "She does not want to go through a trial")
	e.signOut()

	// Witness Care's message bounces on every channel; she tries it again
	// from the case page, and it is queued once more.
	e.signIn("witness")
	e.visit("/cases/"+charged+"/messages/new", "message")
	e.typeIn("body", "I will call you on Friday to talk about the next steps.")
	e.click("main form button", chargedRef)
	d := &dispatch.Dispatcher{Store: e.s.store.Store, Channels: map[string]notify.Channel{"email": channel{bouncing: true}, "sms": channel{bouncing: true}, "letter": channel{bouncing: true}},
		Owner: "t", Now: e.s.clock.Now, Logger: slog.New(slog.DiscardHandler)}
	for range 4 {
		if _, err := d.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	e.visit("/cases/"+charged, chargedRef)
	e.click(`main form[action$="/retry"] button`, chargedRef)
	e.see("Waiting to send")
}
