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
		rs := comms.Rights(lang, comms.StepBeforeSentence, false)
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
	for _, r := range comms.Rights("en", comms.StepInvestigation, false) {
		if r.Now != (r.Number == 2 || r.Number == 3 || r.Number == 6) {
			t.Errorf("during the investigation, right %d marked %v", r.Number, r.Now)
		}
	}
}

// The rights in easy read: the same twelve under the same titles, each
// text one or two short sentences.
func TestRightsInEasyRead(t *testing.T) {
	for _, lang := range []string{"en", "cy"} {
		std, easy := comms.Rights(lang, comms.StepWaiting, false), comms.Rights(lang, comms.StepWaiting, true)
		var all []string
		for i, r := range easy {
			if r.Title != std[i].Title || r.Now != std[i].Now || r.Text == std[i].Text || r.Text == "" {
				t.Errorf("%s right %d: %+v against %+v", lang, r.Number, r, std[i])
			}
			all = append(all, r.Text)
		}
		r := comms.Measure(lang, strings.Join(all, "\n"))
		if !r.OK() || r.LongestWords > comms.MaxEasyReadWords || lang == "en" && r.Flesch < comms.MinFleschEasyRead {
			t.Errorf("%s: longest %d words %q; unexplained %v; flesch %.1f; mean word %.2f", lang, r.LongestWords, r.LongestSent, r.Unexplained, r.Flesch, r.MeanWordLen)
		}
	}
}
