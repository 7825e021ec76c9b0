package comms

import "bytes"

// EasyReadStep is step's easy-read words in lang, filled with a name, a
// court, a warned hearing, granted measures with s.28 and review dates:
// every branch of next_easy.tmpl that adds words.
func EasyReadStep(lang, step string) []string {
	date, court := "Monday 12 May 2025", "Leeds Crown Court"
	if lang == "cy" {
		date, court = "dydd Llun 12 Mai 2025", "Llys y Goron Leeds"
	}
	d := NextData{Name: "Daniel Ross", Court: court, Hearing: &HearingFacts{Court: court, Date: date, Listing: "warned"},
		Measures: measureWords(lang, []string{"screens", "s28_pre_recorded_cross_examination"}, true), S28: true, AskBy: date, LastDay: date}
	var b bytes.Buffer
	if err := nextTemplates[lang][true].ExecuteTemplate(&b, step, d); err != nil {
		return []string{err.Error()}
	}
	return nonEmptyLines(tidy(b.String()))
}
