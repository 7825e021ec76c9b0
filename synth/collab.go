package synth

import (
	"hash/fnv"
	"math/rand/v2"
	"time"

	"throughline"
)

// The joint police–CPS work on a charging file: the CPS's file-quality
// assessment, the police's answer to each reason, disputes settled by both
// supervisors, and sometimes a case conference with an action for the
// police. Drawn from a stream of its own (seeded by the case reference), so
// that the calibrated journey draws exactly what it drew before.
//
// Proportions (assumptions, not published figures): HMCPSI's file-quality
// reviews have found roughly a third of charging files falling short of the
// National File Standard; most feedback is accepted; about one reason in
// five is disputed, and about half of those are withdrawn when the
// supervisors meet.
const (
	notAcceptableShare = 0.35
	disputedShare      = 0.2
	withdrawnShare     = 0.5
	conferenceShare    = 0.15
)

var synthReasons = []string{"missing_statements", "no_digital_review", "unused_not_scheduled", "third_party_not_reviewed", "mg3_incomplete", "forensic_outstanding", "medical_outstanding"}

// fileWork adds the file-quality work between a charging file (submitted on
// fileDay) and the decision on decided, every event dated before the
// decision and in date order. It reports whether the case goes on.
func (g *caseGen) fileWork(suspect string, fileDay, decided time.Time) bool {
	h := fnv.New64a()
	h.Write([]byte(g.ref))
	x := rand.New(rand.NewPCG(h.Sum64(), 13))
	police, cps := "police:"+g.c.Force, "cps:"+g.c.CPSArea
	gap := int(decided.Sub(fileDay).Hours() / 24)
	if gap < 3 {
		return true // decided at once: no separate assessment recorded
	}
	day := fileDay
	step := func(max int) time.Time { // a later day, leaving room before the decision
		left := int(decided.Sub(day).Hours()/24) - 1
		if left < 1 {
			return day
		}
		day = g.days(day, 1+x.IntN(min(max, left)))
		return day
	}
	a := &throughline.FileQualityAssessed{AssessmentID: "Q1", SuspectID: suspect, Outcome: "acceptable"}
	if x.Float64() < notAcceptableShare {
		a.Outcome = "not_acceptable"
		for _, i := range x.Perm(len(synthReasons))[:1+x.IntN(2)] {
			a.Reasons = append(a.Reasons, throughline.QualityReason{Code: synthReasons[i]})
		}
	}
	if !g.addAs(step(5), true, cps, a) {
		return false
	}
	for _, r := range a.Reasons {
		ans := &throughline.FileQualityAnswered{AssessmentID: "Q1", Reason: r.Code, Answer: "accepted"}
		disputed := x.Float64() < disputedShare
		if disputed {
			ans.Answer, ans.Comment = "disputed", "The material was in the file as submitted"
		}
		if !g.addAs(step(4), true, police, ans) {
			return false
		}
		if disputed {
			outcome := "upheld"
			if x.Float64() < withdrawnShare {
				outcome = "withdrawn"
			}
			on := step(7)
			for _, side := range []string{police, cps} {
				if !g.addAs(on, true, side, &throughline.DisputeResolved{AssessmentID: "Q1", Reason: r.Code, Outcome: outcome, Note: "Agreed at the monthly joint review"}) {
					return false
				}
			}
		}
	}
	if x.Float64() < conferenceShare && int(decided.Sub(day).Hours()/24) > 10 {
		on := step(5)
		due := g.days(on, 14).Format(time.DateOnly)
		if !g.addAs(on, true, police, &throughline.CaseConferenceHeld{ConferenceID: "CC1",
			Attendees: []throughline.Attendee{{Agency: "police", Name: "Officer in the case"}, {Agency: "cps", Name: "Reviewing prosecutor"}, {Agency: "isva", Name: "ISVA"}},
			Decisions: "Agreed the outstanding enquiries before a charging decision",
			Items:     []throughline.ActionItem{{ItemID: "1", Category: "statements", Description: "Further statement from the first-account witness", Owner: "police", Due: due}}}) {
			return false
		}
		if !g.addAs(step(10), true, police, &throughline.ActionItemCompleted{PlanID: "CC1", ItemID: "1"}) {
			return false
		}
	}
	return true
}
