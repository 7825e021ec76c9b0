package staff

import (
	"slices"
	"time"

	"throughline"
)

// Why a form waits, in a caseworker's words, true of the case at hand: a
// case already sent is not told "you can record a sending after a charge",
// nor one whose trial is listed for next month "once a hearing is listed".
// Each reason says what it is, or "" when it does not fit this case; the
// domain's own refusal, with names for ids, is shown then.

type waitReason func(c *throughline.Case, now time.Time) string

// charged are the case's defendants charged so far.
func charged(c *throughline.Case) []throughline.Defendant {
	return slices.DeleteFunc(slices.Clone(c.Defendants), func(d throughline.Defendant) bool { return d.Charged.IsZero() })
}

// every reports whether f holds of every defendant in ds, and there is one.
func every(ds []throughline.Defendant, f func(d throughline.Defendant) bool) bool {
	return len(ds) > 0 && !slices.ContainsFunc(ds, func(d throughline.Defendant) bool { return !f(d) })
}

// prosecuted reports whether d's prosecution goes on: charged, with no
// verdict, plea or stop (a hung jury awaits its retrial decision).
func prosecuted(d throughline.Defendant) bool {
	return slices.Contains([]string{throughline.StageCharged, throughline.StageCrownCourt, throughline.StageTrial, throughline.StageRetrial}, d.Stage)
}

// beforeCharge is a reason for an event that comes before a charge.
func beforeCharge(first string) waitReason {
	return func(c *throughline.Case, _ time.Time) string {
		if every(c.Defendants, func(d throughline.Defendant) bool { return !d.Charged.IsZero() }) {
			return first + " comes before a charge, and everyone on this case is charged."
		}
		return ""
	}
}

// afterCharge is a reason for an event that needs a charge, then another
// for a case with one.
func afterCharge(none string, then waitReason) waitReason {
	return func(c *throughline.Case, now time.Time) string {
		if len(charged(c)) == 0 {
			return none
		}
		if then != nil {
			return then(c, now)
		}
		return ""
	}
}

func fixed(why string) waitReason { return func(*throughline.Case, time.Time) string { return why } }

// nextSitting is the case's first listed hearing not yet held that
// matches f, if every such hearing is in the future: the one that says why
// its outcome cannot be recorded yet.
func nextSitting(c *throughline.Case, now time.Time, f func(h throughline.Hearing) bool) (throughline.Hearing, bool) {
	var next throughline.Hearing
	for _, h := range c.Hearings {
		if h.Status != "listed" || !f(h) {
			continue
		}
		if !h.StartsAt.After(now) {
			return throughline.Hearing{}, false
		}
		if next.ID == "" || h.StartsAt.Before(next.StartsAt) {
			next = h
		}
	}
	return next, next.ID != ""
}

func anyHearing(throughline.Hearing) bool { return true }

// nextStep is a reason for a step a defendant takes after an earlier one
// (a sending after a charge, Stage 2 after Stage 1): none if no one has
// taken the earlier step, all if everyone who has has taken this one too.
func nextStep(earlier, this func(d throughline.Defendant) throughline.When, none, all string) waitReason {
	return func(c *throughline.Case, _ time.Time) string {
		ready := slices.DeleteFunc(slices.Clone(c.Defendants), func(d throughline.Defendant) bool { return earlier(d).IsZero() })
		switch {
		case len(ready) == 0:
			return none
		case every(ready, func(d throughline.Defendant) bool { return !this(d).IsZero() }):
			return all
		}
		return ""
	}
}

var waitsFor = map[string]waitReason{
	throughline.TypeEarlyAdviceGiven: func(c *throughline.Case, now time.Time) string {
		if why := beforeCharge("Early advice")(c, now); why != "" {
			return why
		}
		return "You can record early advice once the police have sent a file for it."
	},
	throughline.TypeChargingDecision: func(c *throughline.Case, now time.Time) string {
		if why := beforeCharge("A charging decision")(c, now); why != "" {
			return why
		}
		return "You can record a charging decision once the police have sent a file for one."
	},
	throughline.TypeCharged: func(c *throughline.Case, _ time.Time) string {
		if every(c.Defendants, func(d throughline.Defendant) bool { return !d.Charged.IsZero() }) {
			return "Everyone on this case is charged."
		}
		return "You can record a charge after the CPS decides to charge."
	},
	throughline.TypeRemandStatusChanged: afterCharge("You can record bail or custody after a charge.", nil),
	throughline.TypeSentToCrownCourt: nextStep(func(d throughline.Defendant) throughline.When { return d.Charged }, func(d throughline.Defendant) throughline.When { return d.Sent },
		"You can record a sending after a charge.", "Everyone charged has been sent to the Crown Court."),
	throughline.TypeAllocationDecided: afterCharge("You can record where the court decided an offence triable either way is to be tried after a charge with one.", func(c *throughline.Case, _ time.Time) string {
		if every(charged(c), func(d throughline.Defendant) bool { return !d.Sent.IsZero() }) {
			return "Everyone charged has been sent to the Crown Court: where an offence triable either way is tried is decided before sending."
		}
		return "You can record where the court decided an offence triable either way is to be tried after a charge with one, before sending."
	}),
	throughline.TypeHearingVacated: func(c *throughline.Case, _ time.Time) string {
		if !slices.ContainsFunc(c.Hearings, listed) {
			return "No hearing on this case is listed to sit: you can record one vacated once it is listed."
		}
		return ""
	},
	throughline.TypeHearingHeld: func(c *throughline.Case, now time.Time) string {
		if !slices.ContainsFunc(c.Hearings, listed) {
			return "No hearing on this case is listed to sit: you can record a hearing's outcome once one is listed."
		}
		if h, ok := nextSitting(c, now, anyHearing); ok {
			return "You can record a hearing's outcome on or after the day it sits: the next is the " + hearingNoun(h.Kind) + " at " + courtName(h.Court) + " on " + day(h.StartsAt) + "."
		}
		return ""
	},
	throughline.TypeTrialStarted: func(c *throughline.Case, now time.Time) string {
		trial := func(h throughline.Hearing) bool { return h.Kind == "trial" && !h.TrialOpen }
		if !slices.ContainsFunc(c.Hearings, func(h throughline.Hearing) bool { return listed(h) && trial(h) }) {
			return "No trial is listed on this case: you can record a trial started once one is listed."
		}
		if h, ok := nextSitting(c, now, trial); ok {
			return "The trial is listed for " + day(h.StartsAt) + ": you can record it started on that day or after."
		}
		return ""
	},
	throughline.TypeVerdict: afterCharge("You can record a verdict or plea after a charge.", func(c *throughline.Case, _ time.Time) string {
		if !slices.ContainsFunc(charged(c), prosecuted) {
			return "No one charged is awaiting a verdict or plea: each has one, or their prosecution was stopped."
		}
		return ""
	}),
	throughline.TypeSentenced: func(c *throughline.Case, _ time.Time) string {
		convicted := slices.DeleteFunc(slices.Clone(c.Defendants), func(d throughline.Defendant) bool {
			return d.Verdict != "guilty" && d.Verdict != "guilty_plea"
		})
		if len(convicted) == 0 {
			return "You can record a sentence after a conviction."
		}
		if every(convicted, func(d throughline.Defendant) bool { return !d.Sentenced.IsZero() }) {
			return "Everyone convicted on this case has been sentenced."
		}
		return ""
	},
	throughline.TypeProsecutionStopped: afterCharge("You can record a prosecution stopped after a charge.", func(c *throughline.Case, _ time.Time) string {
		if !slices.ContainsFunc(charged(c), prosecuted) {
			return "No prosecution on this case is still going on: each defendant charged has a verdict or plea, or was already stopped."
		}
		return ""
	}),
	throughline.TypeStage1Served: nextStep(func(d throughline.Defendant) throughline.When { return d.Sent }, func(d throughline.Defendant) throughline.When { return d.Stage1Served },
		"You can record Stage 1 after the case is sent to the Crown Court.", "Stage 1 is recorded for everyone sent to the Crown Court."),
	throughline.TypeStage2Served: nextStep(func(d throughline.Defendant) throughline.When { return d.Stage1Served }, func(d throughline.Defendant) throughline.When { return d.Stage2Served },
		"You can record Stage 2 after Stage 1 is served.", "Stage 2 is recorded for everyone whose Stage 1 was served."),
	throughline.TypeSpecialMeasuresDecided: func(c *throughline.Case, _ time.Time) string {
		if !slices.ContainsFunc(c.Complainants, func(cp throughline.Complainant) bool { return len(cp.MeasuresApplied) > 0 }) {
			return "You can record the court's decision once special measures have been applied for."
		}
		return ""
	},
	throughline.TypeCaseClosed: func(c *throughline.Case, _ time.Time) string {
		if slices.ContainsFunc(c.Defendants, prosecuted) {
			return "You can close the case once no one is still being prosecuted."
		}
		return ""
	},
	// PCSCA 2022 s.39(3): her agreement waits for the written notice.
	throughline.TypeDeviceExtractionAnswered:  fixed("You can record her answer once a request to extract from her device is recorded. You can record her agreement once the written notice has reached her."),
	throughline.TypeDeviceExtractionWithdrawn: fixed("You can record that she withdrew her agreement once she has agreed to a device extraction."),
	throughline.TypeFileSubmitted:             beforeCharge("A file for early advice or a charging decision"),
	throughline.TypePoliceNoFurtherAction: func(c *throughline.Case, now time.Time) string {
		if beforeCharge("")(c, now) != "" {
			return "The police can decide no further action before a charge; after it, stopping the prosecution is the CPS's decision."
		}
		return ""
	},
	throughline.TypeActionItemCompleted: fixed("You can record an action done once an action plan has one still to do."),
	throughline.TypeActionItemDisputed:  fixed("You can dispute an action given to your agency, while it is not yet done."),
	throughline.TypeActionItemCancelled: fixed("You can cancel an action once an action plan has one still to do."),
	throughline.TypeActionItemCommented: fixed("You can comment on an action once an action plan has one still to do."),
	throughline.TypeFileQualityAnswered: fixed("You can answer a file-quality reason once the CPS has found a file not acceptable."),
	throughline.TypeReviewRequested:     fixed("You can record a request for a review once there is a decision not to charge, or to stop the prosecution."),
	throughline.TypeReviewDecided:       fixed("You can record a review decision once the victim has asked for a review."),
	throughline.TypeMaterialDecision:    fixed("You can record a decision about material once the case has a complainant, and a decision revisited once one not to seek or to withhold that material has been recorded."),
}
