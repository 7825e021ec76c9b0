package comms_test

import (
	"strings"
	"testing"

	"throughline/comms"
)

// The twelve rights, in both languages, within the messages' plain-language
// limits; which matter now follows the case's step.
func TestRightsArePlain(t *testing.T) {
	for _, lang := range []string{"en", "cy"} {
		rs := comms.Rights(lang, comms.StepBeforeSentence)
		if len(rs) != 12 {
			t.Fatalf("%s: %d rights, want the Code's 12", lang, len(rs))
		}
		var all []string
		var now []int
		for _, r := range rs {
			all = append(all, r.Title+".", r.Text)
			if r.Now {
				now = append(now, r.Number)
			}
		}
		if len(now) != 3 || now[0] != 7 || now[1] != 9 || now[2] != 11 {
			t.Errorf("%s: before the sentence, rights %v matter most, want 7, 9 and 11", lang, now)
		}
		r := comms.Measure(lang, strings.Join(all, "\n"), "Parliamentary and Health Service Ombudsman", "Ombwdsmon Seneddol a Gwasanaeth Iechyd", "Victim Personal Statement", "Datganiad Personol Dioddefwr")
		if !r.OK() {
			t.Errorf("%s: too long %q; unexplained %v; flesch %.1f; mean word %.2f, longest %q", lang, r.TooLong, r.Unexplained, r.Flesch, r.MeanWordLen, r.LongWord)
		}
	}
	for _, r := range comms.Rights("en", comms.StepInvestigation) {
		if r.Now != (r.Number == 2 || r.Number == 3 || r.Number == 6) {
			t.Errorf("during the investigation, right %d marked %v", r.Number, r.Now)
		}
	}
}
