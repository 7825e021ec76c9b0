package deadline

import "throughline"

// The Victims' Right to Review: a victim may ask the CPS (or, for their own
// decisions, the police) to review a decision not to charge or to stop a
// prosecution. The duty the table keeps is the scheme's: to decide the
// review and tell her, from when it received her request. Her own window (a
// request within 10 working days of being told of the decision for a prompt
// review, accepted up to 3 months after, later only in exceptional
// circumstances) is hers, not a duty of an agency, so it is not a row: a
// request after 10 working days is not late (ADR 0006).

// vrrCPSFrom is when the CPS scheme began: qualifying decisions made on or
// after 5 June 2013.
var vrrCPSFrom = date(2013, 6, 5)

// vrrPoliceFrom is when the police scheme began: decisions on or after
// 1 April 2015.
var vrrPoliceFrom = date(2015, 4, 1)

func reviewRows() []Rule {
	return []Rule{{
		ID: VRRCPS, Version: "VRR-CPS", Title: "CPS Victims' Right to Review: the review decided and the victim told",
		Source: "CPS Victims' Right to Review scheme (legal guidance, Annex B: timeframes); Victims' Code 2020 Right 6",
		Starts: []string{throughline.TypeReviewRequested}, StartKinds: []string{throughline.TypeReviewRequested + ":cps"}, From: FromOccurred,
		Protects: "complainant", Subject: "complainant", Owner: "cps", Unit: WorkingDays, Days: 30,
		MetBy: []string{throughline.TypeReviewDecided}, MetKinds: []string{throughline.TypeReviewDecided + ":cps"},
		DueSoon: 5, EffectiveFrom: vrrCPSFrom,
		Notes: "From when the CPS received the request (review_requested's occurred_at), met by its review_decided. " +
			"Assumption to confirm against Annex B of the guidance: 30 working days for the decision, the period the guidance gives " +
			"outside complex cases (where the victim must be told of the delay). The victim's own window is not a duty: see the top of review.go.",
	}, {
		ID: VRRPolice, Version: "VRR-police", Title: "Police Victims' Right to Review: the review decided and the victim told",
		Source: "National Police Chiefs' Council Victims' Right to Review scheme (as published by forces and police and crime commissioners); Victims' Code 2020 Right 6",
		Starts: []string{throughline.TypeReviewRequested}, StartKinds: []string{throughline.TypeReviewRequested + ":police"}, From: FromOccurred,
		Protects: "complainant", Subject: "complainant", Owner: "police", Unit: WorkingDays, Days: 30,
		MetBy: []string{throughline.TypeReviewDecided}, MetKinds: []string{throughline.TypeReviewDecided + ":police"},
		DueSoon: 5, EffectiveFrom: vrrPoliceFrom,
		Notes: "From when the force received the request, met by its review_decided: \"the review should be completed and the decision " +
			"communicated to the victim within an overall timeframe of 30 working days (i.e. 6 weeks from receipt of the request)\", " +
			"longer in complex cases with the victim told why (read in a police and crime commissioner's publication of the scheme). " +
			"Requests are accepted up to 3 months after the victim was told of the decision.",
	}}
}
