package portal

import (
	"strings"
	"testing"

	"throughline"
)

// The class of finding 11 of issue 11: a change of where a victim's sign-in
// codes and updates go made with nothing but her session. Every change of
// her addresses and channels, from every starting point (nothing, email
// only, text only, both, both with text first), is tried; whatever changes
// an address or the address codes go to must ask for a code, sent either to
// a new address the change adds or to where her codes go now; and what
// changes none of that asks for nothing.
func TestEveryChangeOfWhereCodesGoIsProven(t *testing.T) {
	const email, mobile, newEmail, newMobile = "cerys@example.org", "07700900111", "new@example.net", "07700900222"
	channels := [][]string{{"email"}, {"sms"}, {"email", "sms"}, {"sms", "email"}, {"letter"}, {"phone", "email"}, {"letter", "sms"}}
	starts := []*throughline.ContactPreferencesSet{nil,
		{Channels: []string{"email"}, Email: email},
		{Channels: []string{"sms"}, Mobile: mobile},
		{Channels: []string{"email", "sms"}, Email: email, Mobile: mobile},
		{Channels: []string{"sms", "email"}, Email: email, Mobile: mobile},
		{Channels: []string{"letter"}, Email: email},
	}
	tried := 0
	for _, start := range starts {
		cp := &throughline.Complainant{ComplainantRecord: throughline.ComplainantRecord{ID: "C1"}, Preferences: start}
		var old throughline.ContactPreferencesSet
		if start != nil {
			old = *start
		}
		oldCh, oldTo := old.CodeAddress()
		for _, chs := range channels {
			for _, e := range []string{"", email, strings.ToUpper(email), newEmail} {
				for _, m := range []string{"", mobile, newMobile} {
					d := throughline.ContactPreferencesSet{ComplainantID: "C1", Channels: chs, Email: e, Mobile: m, Language: "cy", RoutineEveryDays: 7}
					tried++
					ch, to, two := proofFor(cp, d)
					newCh, newTo := d.CodeAddress()
					changed := !strings.EqualFold(old.Email, d.Email) || old.Mobile != d.Mobile || oldCh != newCh || !strings.EqualFold(oldTo, newTo)
					adds := map[string]bool{}
					if d.Email != "" && !strings.EqualFold(d.Email, old.Email) {
						adds[d.Email] = true
					}
					if d.Mobile != "" && d.Mobile != old.Mobile {
						adds[d.Mobile] = true
					}
					switch {
					case !changed && (ch != "" || two):
						t.Errorf("from %+v to %+v: nothing of the codes changes, yet a code is asked (%s %s %v)", old, d, ch, to, two)
					case changed && ch == "" && !two:
						t.Errorf("from %+v to %+v: recorded without a code", old, d)
					case two && len(adds) == 0:
						t.Errorf("from %+v to %+v: two proofs asked of a change that adds nothing", old, d)
					case ch != "" && len(adds) > 0 && !adds[to]:
						t.Errorf("from %+v to %+v: a new address is proved by %s, not by itself", old, d, to)
					case ch != "" && len(adds) == 0 && oldTo != "" && (ch != oldCh || to != oldTo):
						t.Errorf("from %+v to %+v: a removal or move is proved by %s, not by where her codes go now (%s)", old, d, to, oldTo)
					case ch != "" && len(adds) == 0 && oldTo == "" && to != newTo && !(to == old.Email && d.Email == "" || to == old.Mobile && d.Mobile == ""):
						t.Errorf("from %+v to %+v: with no codes sent anywhere now, proved by %s, neither the address removed nor where they will go", old, d, to)
					}
				}
			}
		}
	}
	if tried != len(starts)*len(channels)*4*3 {
		t.Fatalf("tried %d changes", tried)
	}
}
