package comms

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"text/template"
	"time"

	"throughline"
)

// What happens next, at every stage of her case, in plain words and from
// the record: the portal's "What happens next" (templates/{en,cy}/next.tmpl,
// one define per step). The same plain-language limits as the messages hold
// for every step (readability_test: TestNextStepsArePlain).

// Steps of a case, as the victim lives them.
const (
	StepInvestigation  = "investigation" // the police are investigating, or the CPS is deciding
	StepNotCharged     = "not_charged"   // no further action
	StepCharged        = "charged"       // charged; no first hearing to come
	StepFirstHearing   = "first_hearing" // the first hearing is to come
	StepWaiting        = "waiting"       // at the Crown Court, waiting for a trial date
	StepBeforeTrial    = "before_trial"  // a trial date is set
	StepTrial          = "trial"         // the trial has started
	StepRetrial        = "retrial"       // the jury could not agree
	StepBeforeSentence = "before_sentence"
	StepSentenced      = "sentenced"
	StepAcquitted      = "acquitted"
	StepStopped        = "stopped" // the prosecution was stopped
	StepClosed         = "closed"
)

// Steps lists them in the order a case goes through them.
var Steps = []string{StepInvestigation, StepNotCharged, StepCharged, StepFirstHearing, StepWaiting, StepBeforeTrial, StepTrial,
	StepRetrial, StepBeforeSentence, StepSentenced, StepAcquitted, StepStopped, StepClosed}

// NextData is what a step's words are filled from.
type NextData struct {
	Name    string        // the defendant, where the step is about one
	Court   string        // where the case is
	Hearing *HearingFacts // the hearing the step waits for, if listed
	// Measures are the special measures the court granted her, in plain
	// words; S28 is whether her evidence is to be recorded before the trial.
	Measures []string
	S28      bool
	By       string // whose decision not to charge it was: "police", "cps" or "" (not known)
	AskBy    string // the Victims' Right to Review, if she may still ask: ask by (10 working days)
	LastDay  string // and at the latest (3 months)
	CPSArea  string
}

// Next is the step of the case for cp and its words, one paragraph a line
// (Easy: one short sentence a line, in easy read).
type Next struct {
	Step  string
	Lines []string
	Names []string // names, courts and dates: left out of the word checks
	Easy  bool
}

// nextTemplates[lang][easy] holds the steps of next.tmpl, and of
// next_easy.tmpl, the easy-read version for a victim who asked for it.
var nextTemplates = func() map[string]map[bool]*template.Template {
	out := map[string]map[bool]*template.Template{}
	for _, lang := range throughline.Languages {
		out[lang] = map[bool]*template.Template{}
		for easy, file := range map[bool]string{false: "next.tmpl", true: "next_easy.tmpl"} {
			t := template.Must(template.New("next").Funcs(template.FuncMap{"cap": capitalise}).Option("missingkey=error").ParseFS(templateFS, "templates/"+lang+"/"+file))
			for _, st := range Steps {
				if t.Lookup(st) == nil {
					panic(fmt.Sprintf("templates/%s/%s has no step %s", lang, file, st))
				}
			}
			out[lang][easy] = t
		}
	}
	return out
}()

// WhatNext says what happens next in cp's case at now, in language lang,
// in easy read when she asked for it (her formats).
func WhatNext(lang string, c *throughline.Case, cp *throughline.Complainant, now time.Time) Next {
	step, d := stepOf(c, now)
	easy := cp.Preferences.Wants("easy_read")
	data := NextData{Measures: measureWords(lang, cp.MeasuresGranted, easy), S28: slices.Contains(cp.MeasuresGranted, "s28_pre_recorded_cross_examination")}
	var names []string
	if d != nil {
		data.Name, data.By = d.Name, d.DecisionBy
		data.Court = CourtName(lang, d.Court)
		names = append(names, d.Name, data.Court)
	}
	kind := map[string]string{StepFirstHearing: "first_appearance", StepBeforeTrial: "trial", StepBeforeSentence: "sentence"}[step]
	if h := nextOfKind(c, now, kind); kind != "" && h != nil {
		f := hearingFacts(lang, h)
		data.Hearing = &f
		names = append(names, f.Court, f.Date, f.Time)
	}
	if rv, ok := throughline.ReviewFor(c, cp); ok && (step == StepStopped || step == StepNotCharged) {
		data.AskBy, data.LastDay = reviewDates(lang, rv.Decided)
		data.CPSArea = cpsAreaName(c)
		names = append(names, data.AskBy, data.LastDay, data.CPSArea)
	}
	var b bytes.Buffer
	if err := nextTemplates[lang][easy].ExecuteTemplate(&b, step, data); err != nil {
		// The templates are checked for every step at start and in the
		// tests; a failure here is a bug, and the victim still gets words.
		return Next{Step: step, Lines: []string{StageWords(lang, c)}}
	}
	return Next{Step: step, Lines: nonEmptyLines(tidy(b.String())), Names: names, Easy: easy}
}

// stepOf is the case's step at now, and the defendant it is about (the
// one furthest on), or nil before a charge.
func stepOf(c *throughline.Case, now time.Time) (string, *throughline.Defendant) {
	stage := c.Stage()
	var d *throughline.Defendant
	for i := range c.Defendants {
		if c.Defendants[i].Stage == stage {
			d = &c.Defendants[i]
			break
		}
	}
	switch stage {
	case throughline.StageCharged:
		if nextOfKind(c, now, "first_appearance") != nil {
			return StepFirstHearing, d
		}
		return StepCharged, d
	case throughline.StageCrownCourt:
		if nextOfKind(c, now, "trial") != nil {
			return StepBeforeTrial, d
		}
		return StepWaiting, d
	}
	if st, ok := stepOfStage[stage]; ok {
		return st, d
	}
	return StepInvestigation, d
}

// stepOfStage is the step of each stage that has one step.
var stepOfStage = map[string]string{
	throughline.StageNFA: StepNotCharged, throughline.StageTrial: StepTrial, throughline.StageRetrial: StepRetrial,
	throughline.StageConvicted: StepBeforeSentence, throughline.StageSentenced: StepSentenced, throughline.StageAcquitted: StepAcquitted,
	throughline.StageStopped: StepStopped, throughline.StageClosed: StepClosed,
}

// nextOfKind is the earliest hearing of kind still listed from today on.
func nextOfKind(c *throughline.Case, now time.Time, kind string) *throughline.Hearing {
	today := throughline.At(now).Date()
	var best *throughline.Hearing
	for i := range c.Hearings {
		h := &c.Hearings[i]
		if h.Kind == kind && h.Status == "listed" && !h.StartsAt.Date().Before(today) && (best == nil || h.StartsAt.Before(best.StartsAt)) {
			best = h
		}
	}
	return best
}

func nonEmptyLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// measureWords says special measures in plain words, or in easy read.
func measureWords(lang string, ms []string, easy bool) []string {
	words := specialMeasureWords
	if easy {
		words = easyMeasureWords
	}
	var out []string
	for _, m := range ms {
		if w := words[lang][m]; w != "" {
			out = append(out, w)
		}
	}
	return out
}

var specialMeasureWords = map[string]map[string]string{
	"en": {
		"screens":                            "a screen, so that you do not see the person accused in court",
		"live_link":                          "a video link, so that you can give evidence from another room",
		"evidence_in_private":                "clearing the public from the court while you give evidence",
		"removal_of_wigs_and_gowns":          "the judge and lawyers taking off their wigs and gowns",
		"video_recorded_interview":           "your video interview with the police being played to the jury",
		"s28_pre_recorded_cross_examination": "recording your answers to questions on video before the trial",
		"intermediary":                       "an intermediary, a person who helps you understand questions and be understood",
		"communication_aids":                 "aids to help you communicate",
	},
	"cy": {
		"screens":                            "sgrin, fel nad ydych yn gweld y person sydd wedi'i gyhuddo yn y llys",
		"live_link":                          "cyswllt fideo, fel y gallwch roi tystiolaeth o ystafell arall",
		"evidence_in_private":                "gofyn i'r cyhoedd adael y llys tra byddwch yn rhoi tystiolaeth",
		"removal_of_wigs_and_gowns":          "y barnwr a'r cyfreithwyr yn tynnu eu wigiau a'u gynau",
		"video_recorded_interview":           "dangos eich cyfweliad fideo gyda'r heddlu i'r rheithgor",
		"s28_pre_recorded_cross_examination": "recordio eich atebion i gwestiynau ar fideo cyn y treial",
		"intermediary":                       "cyfryngwr, person sy'n eich helpu i ddeall cwestiynau ac i gael eich deall",
		"communication_aids":                 "cymhorthion i'ch helpu i gyfathrebu",
	},
}

var easyMeasureWords = map[string]map[string]string{
	"en": {
		"screens":                            "a screen, so you do not see them",
		"live_link":                          "a video link from another room",
		"evidence_in_private":                "the public will leave the court",
		"removal_of_wigs_and_gowns":          "no wigs or gowns",
		"video_recorded_interview":           "the jury will watch your police video",
		"s28_pre_recorded_cross_examination": "your answers filmed before the trial",
		"intermediary":                       "a person to help you understand and be understood",
		"communication_aids":                 "aids to help you talk",
	},
	"cy": {
		"screens":                            "sgrin, fel nad ydych yn eu gweld",
		"live_link":                          "cyswllt fideo o ystafell arall",
		"evidence_in_private":                "bydd y cyhoedd yn gadael y llys",
		"removal_of_wigs_and_gowns":          "dim wigiau na gynau",
		"video_recorded_interview":           "bydd y rheithgor yn gwylio eich fideo gyda'r heddlu",
		"s28_pre_recorded_cross_examination": "ffilmio eich atebion cyn y treial",
		"intermediary":                       "person i'ch helpu i ddeall ac i gael eich deall",
		"communication_aids":                 "cymhorthion i'ch helpu i siarad",
	},
}
