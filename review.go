package throughline

import (
	"slices"
	"time"

	"throughline/calendar"
)

// The Victims' Right to Review, as the victim meets it: which decision of
// her case she may ask to have looked at again, by which scheme, and her
// own window to ask. The portal offers the request from this, and the
// messages and "what happens next" give the same dates.

// Review is a decision a complainant may ask to have reviewed.
type Review struct {
	// Scheme is the scheme that reviews it: "police" for a police decision
	// of no further action, "cps" for a CPS decision not to charge or to
	// stop a prosecution (discontinued or no evidence offered).
	Scheme      string
	DefendantID string
	Decided     When
	// AskBy is the last day to ask for a prompt review (10 working days
	// from the decision); LastDay the last day a request is accepted
	// (3 months), after which only in exceptional circumstances.
	AskBy, LastDay time.Time
}

// ReviewAsked is a request for a review: by which scheme, and when.
type ReviewAsked struct {
	Scheme string
	On     When
}

// ReviewWindow is her window to ask for a review of a decision made on:
// within 10 working days if she can, and at the latest 3 months after
// (CPS VRR guidance; the police scheme accepts requests for 3 months too).
func ReviewWindow(on When) (askBy, lastDay time.Time) {
	return calendar.DayOf(on.Date()).ClockStart().AddWorkingDays(10).Time(), on.Date().AddDate(0, 3, 0)
}

// ReviewFor returns the latest decision of c that complainant cp may ask to
// have reviewed, and false when there is none: no decision not to charge
// or to stop a prosecution stands, or she has already asked that scheme to
// review it. A decision changed since (a charge after further
// investigation, a prosecution that goes on under an altered charge)
// leaves nothing to review.
func ReviewFor(c *Case, cp *Complainant) (Review, bool) {
	var best Review
	for _, d := range c.Defendants {
		r, ok := reviewOf(d)
		asked := slices.ContainsFunc(cp.ReviewsAsked, func(a ReviewAsked) bool { return a.Scheme == r.Scheme && !a.On.Before(r.Decided) })
		if !ok || asked {
			continue
		}
		if best.Decided.IsZero() || best.Decided.Before(r.Decided) {
			best = r
		}
	}
	if best.Decided.IsZero() {
		return Review{}, false
	}
	best.AskBy, best.LastDay = ReviewWindow(best.Decided)
	return best, true
}

// reviewOf is the standing decision about d that a review scheme reviews:
// no further action (by the police or the CPS), or the prosecution
// discontinued or no evidence offered (the CPS).
func reviewOf(d Defendant) (Review, bool) {
	r := Review{DefendantID: d.ID}
	switch {
	case d.Stage == StageNFA:
		r.Scheme, r.Decided = d.DecisionBy, d.DecisionOn
	case d.Stage == StageStopped && (d.StoppedHow == "discontinued" || d.StoppedHow == "no_evidence_offered"):
		r.Scheme, r.Decided = "cps", d.Stopped
	}
	return r, r.Scheme != "" && !r.Decided.IsZero()
}

// reviewable reports whether a decision of scheme stands on c for a
// review to review.
func reviewable(c *Case, scheme string) bool {
	return slices.ContainsFunc(c.Defendants, func(d Defendant) bool {
		r, ok := reviewOf(d)
		return ok && r.Scheme == scheme
	})
}
