package throughline

import (
	"slices"
	"strings"
)

// Decisions not to seek material about a victim, or to withhold it, kept
// under review (ADR 0400). The Attorney General's Guidelines on Disclosure
// (2024) ask that decisions about material, and their reasons, be recorded
// and kept under review throughout the case, and the prosecutor's duty of
// disclosure continues until the case ends (CPIA 1996 s.7A). A decision is
// recorded as material_decision; a later one with decision "revisited" (or
// a new request for the same material, sent) ends its review. The reminders
// are the material_review deadline (deadline/material.go).

// TypeMaterialDecision records a decision about material, or its review.
const TypeMaterialDecision = "material_decision"

// The decisions a material_decision records.
const (
	MaterialNotSought = "not_sought" // the police or CPS decided not to seek it
	MaterialWithheld  = "withheld"   // held, and not disclosed
	MaterialRevisited = "revisited"  // an earlier decision reviewed
)

// MaterialDecisions are the values of MaterialDecision.Decision.
var MaterialDecisions = []string{MaterialNotSought, MaterialWithheld, MaterialRevisited}

// MaterialDecision records a decision about one kind of material about a
// complainant: not to seek it, to withhold it, or, later, that such a
// decision was revisited. The reason is sealed with the case's personal
// data: like a request's answers, it says what she has told others and who
// holds records about her.
type MaterialDecision struct {
	ComplainantID string `json:"complainant_id"`
	// RequestID is the information request the decision concerns, if any
	// (material withheld that a request brought in).
	RequestID string `json:"request_id,omitempty"`
	Decision  string `json:"decision"`
	Material  string `json:"material"`
	Reason    string `json:"reason"`
}

func (*MaterialDecision) EventType() string { return TypeMaterialDecision }
func (d *MaterialDecision) validate(fe *fieldErrors) {
	partyID(fe, "complainant_id", d.ComplainantID)
	if d.RequestID != "" {
		partyID(fe, "request_id", d.RequestID)
	}
	oneOf(fe, "decision", d.Decision, MaterialDecisions)
	oneOf(fe, "material", d.Material, Materials)
	if len(strings.TrimSpace(d.Reason)) < minReasons {
		fe.add("reason", "Say why you made the decision, in at least %d characters", minReasons)
	}
}

// UnderReview is one decision not to seek or to withhold material that has
// not been revisited since (Complainant.UnderReview).
type UnderReview struct {
	Material  string
	Decision  string
	RequestID string `json:",omitzero"`
	On        When
}

// decideMaterial refuses a decision about someone who is not a
// complainant, one naming a request she has no record of (or dated before
// it was recorded), and a "revisited" with no decision about that material
// under review to revisit.
func decideMaterial(c *Case, e Event, d *MaterialDecision) error {
	cp, err := complainant(c, d.ComplainantID)
	if err != nil {
		return err
	}
	if d.RequestID != "" {
		if cp.Request(d.RequestID) == nil {
			return refuse("complainant %s has no information request %s: choose one of her requests, or none", cp.ID, d.RequestID)
		}
		if f := cp.Flow(d.RequestID); f != nil {
			if err := notBefore(e, "the request was recorded", f.Drafted); err != nil {
				return err
			}
		}
	}
	if d.Decision == MaterialRevisited && cp.reviewOf(d.Material) < 0 {
		return refuse("there is no decision not to seek or to withhold %s under review for complainant %s: nothing to revisit", strings.ReplaceAll(d.Material, "_", " "), cp.ID)
	}
	return nil
}

func (cp *Complainant) reviewOf(material string) int {
	for i, r := range cp.UnderReview {
		if r.Material == material {
			return i
		}
	}
	return -1
}

// applyMaterial folds a decision into her decisions under review. A
// revisit, or a request for the same material sent, ends every review of
// that material: the decision has been looked at again.
func (c *Case) applyMaterial(e Event) bool {
	var cp *Complainant
	var material string
	switch d := e.Data.(type) {
	case *MaterialDecision:
		if cp = c.Complainant(d.ComplainantID); cp == nil {
			return true
		}
		if d.Decision != MaterialRevisited {
			cp.UnderReview = append(cp.UnderReview, UnderReview{Material: d.Material, Decision: d.Decision, RequestID: d.RequestID, On: e.OccurredAt})
			return true
		}
		material = d.Material
	case *InformationRequestSent:
		if cp = c.Complainant(d.ComplainantID); cp == nil {
			return false
		}
		rq := cp.Request(d.RequestID)
		if rq == nil {
			return false
		}
		material = rq.Material
	default:
		return false
	}
	cp.UnderReview = slices.DeleteFunc(cp.UnderReview, func(r UnderReview) bool { return r.Material == material })
	_, own := e.Data.(*MaterialDecision)
	return own
}

func (d *MaterialDecision) splitPersonal() (Data, map[string]string) {
	pub, m := *d, map[string]string{}
	take(m, "reason", &pub.Reason)
	return &pub, m
}
func (d *MaterialDecision) mergePersonal(m map[string]string) {
	restore(m, "reason", &d.Reason, true)
}
