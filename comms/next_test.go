package comms_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"throughline/comms"
)

// What happens next: every step, in both languages, from the record (the
// hearing to come, the special measures granted her, the review's dates),
// within the messages' plain-language limits.
func TestWhatHappensNextAtEveryStep(t *testing.T) {
	measures := `{"type":"special_measures_applied","occurred_at":"2025-01-10","data":{"complainant_id":"C1","measures":["screens","s28_pre_recorded_cross_examination"]}}`
	decided := `{"type":"special_measures_decided","occurred_at":"2025-01-20","data":{"complainant_id":"C1","granted":["screens","s28_pre_recorded_cross_examination"]}}`
	toTrial := []string{charged, firstEarly, firstHeld, sent, ptphListed, ptphHeld, trialListed}
	verdict := func(r string) string {
		return `{"type":"verdict","occurred_at":"2025-05-16","data":{"defendant_id":"D1","result":"` + r + `"}}`
	}
	cases := []struct {
		step  string
		lines []string
		at    time.Time
		want  map[string][]string
	}{
		{comms.StepInvestigation, []string{prefs}, now, map[string][]string{"en": {"The police are looking into what happened"}, "cy": {"Mae'r heddlu'n edrych"}}},
		{comms.StepNotCharged, []string{prefs, `{"type":"file_submitted","occurred_at":"2024-09-02","data":{"suspect_id":"D1","purpose":"charging_decision"}}`,
			`{"type":"charging_decision","occurred_at":"2024-11-12","data":{"suspect_id":"D1","decision":"no_further_action"}}`}, now,
			map[string][]string{"en": {"The CPS decided not to charge anyone for now.", "Victims' Right to Review", "ask by Tuesday 26 November 2024", "ask by Wednesday 12 February 2025", "ask on this website"}, "cy": {"Penderfynodd y CPS beidio", "Hawl Dioddefwyr i Adolygiad", "erbyn dydd Mawrth 26 Tachwedd 2024"}}},
		{comms.StepNotCharged, []string{prefs, `{"type":"police_no_further_action","occurred_at":"2024-11-12","data":{"suspect_id":"D1"}}`,
			`{"type":"review_requested","occurred_at":"2024-11-20","data":{"complainant_id":"C1","scheme":"police"}}`}, now,
			map[string][]string{"en": {"The police decided not to charge anyone for now.", "You asked for this decision to be looked at again"}, "cy": {"Penderfynodd yr heddlu beidio", "Gofynnoch i rywun edrych"}}},
		{comms.StepCharged, journeyTo(charged), now, map[string][]string{"en": {"Daniel Ross has been charged", "magistrates' court"}, "cy": {"llys ynadon"}}},
		{comms.StepFirstHearing, journeyTo(charged, firstListed), now, map[string][]string{"en": {"Friday 14 March 2025 at 10am, at Leeds Magistrates' Court"}, "cy": {"dydd Gwener 14 Mawrth 2025 am 10 y bore, yn Llys Ynadon Leeds"}}},
		{comms.StepWaiting, journeyTo(charged, firstEarly, firstHeld, sent), now, map[string][]string{"en": {"at Leeds Crown Court. It is waiting for a trial date", "It is not because of anything you did", "Victim Personal Statement"}, "cy": {"Llys y Goron Leeds", "Datganiad Personol Dioddefwr"}}},
		{comms.StepBeforeTrial, journeyTo(append(toTrial, measures, decided)...), now, map[string][]string{
			"en": {"The trial is set for Monday 12 May 2025 at 10am, at Leeds Crown Court", "Witness Service", "A screen, so that you do not see", "recorded on video before the trial"},
			"cy": {"dydd Llun 12 Mai 2025", "Gwasanaeth Tystion", "Sgrin, fel nad ydych", "recordio ar fideo cyn y treial"}}},
		{comms.StepBeforeTrial, journeyTo(append(toTrial, trialWarned)...), now, map[string][]string{"en": {"could start on any day of the week starting Monday 16 June 2025", "You can ask for help to give evidence"}, "cy": {"dydd Llun 16 Mehefin 2025"}}},
		{comms.StepTrial, journeyTo(append(toTrial, trialStarted)...), time.Date(2025, 5, 13, 9, 0, 0, 0, time.UTC), map[string][]string{"en": {"The trial of Daniel Ross has started"}, "cy": {"wedi dechrau"}}},
		{comms.StepRetrial, journeyTo(append(toTrial, trialStarted, verdict("hung_jury"))...), time.Date(2025, 5, 16, 15, 0, 0, 0, time.UTC), map[string][]string{"en": {"new trial"}, "cy": {"treial newydd"}}},
		{comms.StepBeforeSentence, journeyTo(append(toTrial, trialStarted, verdict("guilty"),
			`{"type":"hearing_listed","occurred_at":"2025-05-16","data":{"hearing_id":"H4","kind":"sentence","court":"leeds","starts_at":"2025-06-20T10:00:00+01:00","listing":"fixture"}}`)...),
			time.Date(2025, 5, 16, 15, 0, 0, 0, time.UTC), map[string][]string{"en": {"the sentence on Friday 20 June 2025, at Leeds Crown Court", "Victim Personal Statement"}, "cy": {"dydd Gwener 20 Mehefin 2025"}}},
		{comms.StepSentenced, journeyTo(append(toTrial, trialStarted, verdict("guilty"), `{"type":"sentenced","occurred_at":"2025-06-20","data":{"defendant_id":"D1"}}`)...),
			time.Date(2025, 6, 20, 15, 0, 0, 0, time.UTC), map[string][]string{"en": {"Victim Contact Scheme. This means the Probation Service will tell you"}, "cy": {"Cynllun Cyswllt Dioddefwyr"}}},
		{comms.StepAcquitted, journeyTo(append(toTrial, trialStarted, verdict("not_guilty"))...), time.Date(2025, 5, 16, 15, 0, 0, 0, time.UTC), map[string][]string{"en": {"does not mean that the jury did not believe you"}, "cy": {"yn ddieuog"}}},
		{comms.StepStopped, journeyTo(charged, firstEarly, firstHeld, sent, `{"type":"prosecution_stopped","occurred_at":"2025-02-03","data":{"defendant_id":"D1","how":"discontinued"}}`), now,
			map[string][]string{"en": {"ask by Monday 17 February 2025", "ask by Saturday 3 May 2025", "CPS Yorkshire and Humberside"}, "cy": {"erbyn dydd Llun 17 Chwefror 2025"}}},
		{comms.StepClosed, []string{prefs, `{"type":"case_closed","occurred_at":"2025-01-10","data":{"reason":"no further action"}}`}, now, map[string][]string{"en": {"The case has ended"}, "cy": {"wedi dod i ben"}}},
	}
	covered := map[string]bool{}
	for _, tc := range cases {
		for _, lang := range []string{"en", "cy"} {
			t.Run(tc.step+"/"+lang, func(t *testing.T) {
				c := fold(t, lang, tc.lines...)
				n := comms.WhatNext(lang, c, c.Complainant("C1"), tc.at)
				if n.Easy {
					t.Error("easy read for a victim who did not ask for it")
				}
				if n.Step != tc.step {
					t.Fatalf("step %q, want %q", n.Step, tc.step)
				}
				covered[n.Step] = true
				body := strings.Join(n.Lines, "\n")
				for _, w := range tc.want[lang] {
					if !strings.Contains(body, w) {
						t.Errorf("lacks %q:\n%s", w, body)
					}
				}
				r := comms.Measure(lang, body, n.Names...)
				if !r.OK() {
					t.Errorf("plain language: too long %q; unexplained %v; flesch %.1f; mean word %.2f, longest %q\n%s", r.TooLong, r.Unexplained, r.Flesch, r.MeanWordLen, r.LongWord, body)
				}
			})
		}
	}
	for _, st := range comms.Steps {
		if !covered[st] {
			t.Errorf("step %s has no test", st)
		}
	}
}

// Easy read: every step in both languages for a victim whose formats ask
// for it, one short sentence a line, with the same facts (the hearing's
// day, her review's dates) as the standard words.
func TestWhatHappensNextInEasyRead(t *testing.T) {
	easy := `{"type":"contact_preferences_set","occurred_at":"2024-01-16","data":{"complainant_id":"C1","channels":["email"],"email":"amelia@example.org","formats":["easy_read","large_print"]}}`
	beforeTrial := journeyTo(charged, firstEarly, firstHeld, sent, ptphListed, ptphHeld, trialListed, easy)
	stopped := journeyTo(charged, firstEarly, firstHeld, sent, `{"type":"prosecution_stopped","occurred_at":"2025-02-03","data":{"defendant_id":"D1","how":"discontinued"}}`, easy)
	for _, tc := range []struct {
		lines []string
		want  map[string][]string
	}{
		{beforeTrial, map[string][]string{"en": {"The trial starts on Monday 12 May 2025."}, "cy": {"Mae'r treial yn dechrau ar dydd Llun 12 Mai 2025."}}},
		{stopped, map[string][]string{"en": {"Please ask by Monday 17 February 2025.", "The last day to ask is Saturday 3 May 2025."}, "cy": {"Gofynnwch erbyn dydd Llun 17 Chwefror 2025."}}},
	} {
		for _, lang := range []string{"en", "cy"} {
			c := fold(t, lang, tc.lines...)
			n := comms.WhatNext(lang, c, c.Complainant("C1"), now)
			if !n.Easy {
				t.Fatalf("%s: not easy read", lang)
			}
			for _, w := range tc.want[lang] {
				if !slices.Contains(n.Lines, w) {
					t.Errorf("%s lacks the line %q:\n%s", lang, w, strings.Join(n.Lines, "\n"))
				}
			}
		}
	}
	// Every step's easy-read words, filled with a name, a court and dates.
	for _, lang := range []string{"en", "cy"} {
		for _, st := range comms.Steps {
			lines := comms.EasyReadStep(lang, st)
			body := strings.Join(lines, "\n")
			r := comms.Measure(lang, body, "Daniel Ross", "Leeds Crown Court", "Monday 12 May 2025", "dydd Llun 12 Mai 2025", "Llys y Goron Leeds")
			if !r.OK() || r.LongestWords > comms.MaxEasyReadWords || lang == "en" && r.Flesch < comms.MinFleschEasyRead {
				t.Errorf("%s %s: longest %d words %q; unexplained %v; flesch %.1f; mean word %.2f\n%s", lang, st, r.LongestWords, r.LongestSent, r.Unexplained, r.Flesch, r.MeanWordLen, body)
			}
		}
	}
}
