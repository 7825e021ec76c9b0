package throughline_test

import (
	"strings"
	"testing"

	"throughline"
)

func materialDecision(decision, material, request string) *throughline.MaterialDecision {
	return &throughline.MaterialDecision{ComplainantID: "C1", RequestID: request, Decision: decision, Material: material,
		Reason: "Her school records bear on no issue in the case."}
}

// TestMaterialDecisionRefusals: a decision naming a request she has no
// record of, or about someone who is not a complainant, is refused; a
// revisit needs a decision under review for that material; a revisit, or a
// request for that material sent, ends the review.
func TestMaterialDecisionRefusals(t *testing.T) {
	c := fold(t, journey(t)[:2])
	at := flowAt(t)
	refused(t, c, at(throughline.TypeMaterialDecision, "2026-03-02", officerID, materialDecision(throughline.MaterialWithheld, "education", "R9")), "has no information request R9")
	stranger := materialDecision(throughline.MaterialNotSought, "education", "")
	stranger.ComplainantID = "C9"
	if _, err := throughline.Decide(c, at(throughline.TypeMaterialDecision, "2026-03-02", officerID, stranger)); err == nil {
		t.Errorf("a decision about no complainant was accepted")
	}
	refused(t, c, at(throughline.TypeMaterialDecision, "2026-03-02", officerID, materialDecision(throughline.MaterialRevisited, "education", "")), "nothing to revisit")
	// A reason too short to be one, or a decision not in the list, is not
	// a valid payload.
	for _, raw := range []string{
		`{"complainant_id":"C1","decision":"not_sought","material":"education","reason":"not needed"}`,
		`{"complainant_id":"C1","decision":"ignored","material":"education","reason":"Her school records bear on no issue."}`,
	} {
		if _, err := throughline.DecodeData(throughline.TypeMaterialDecision, []byte(raw)); throughline.ErrorCode(err) != throughline.EINVALID {
			t.Errorf("%s: %v", raw, err)
		}
	}

	step(t, c, at(throughline.TypeMaterialDecision, "2026-03-02", officerID, materialDecision(throughline.MaterialNotSought, "education", "")))
	step(t, c, at(throughline.TypeInformationRequested, "2026-03-02", officerID, medicalRequest("R1")))
	refused(t, c, at(throughline.TypeMaterialDecision, "2026-03-01", officerID, materialDecision(throughline.MaterialWithheld, "medical", "R1")), "is before the request was recorded")
	step(t, c, at(throughline.TypeMaterialDecision, "2026-03-03", officerID, materialDecision(throughline.MaterialWithheld, "medical", "R1")))
	if got := len(c.Complainant("C1").UnderReview); got != 2 {
		t.Fatalf("under review: %+v", c.Complainant("C1").UnderReview)
	}
	step(t, c, at(throughline.TypeMaterialDecision, "2026-04-01", officerID, materialDecision(throughline.MaterialRevisited, "education", "")))
	if r := c.Complainant("C1").UnderReview; len(r) != 1 || r[0].Material != "medical" || r[0].RequestID != "R1" {
		t.Errorf("after revisiting education: %+v", r)
	}
	refused(t, c, at(throughline.TypeMaterialDecision, "2026-04-02", officerID, materialDecision(throughline.MaterialRevisited, "education", "")), "nothing to revisit")
}

// TestMaterialDecisionSealed: the reason is sealed personal data, and
// reads Erased once the case's key is destroyed.
func TestMaterialDecisionSealed(t *testing.T) {
	const secret = "She told her counsellor about the night in March."
	d := &throughline.MaterialDecision{ComplainantID: "C1", RequestID: "R1", Decision: throughline.MaterialWithheld, Material: "counselling_notes", Reason: secret}
	public, personal, err := throughline.SplitPersonal(d)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(public), "counsellor") || !strings.Contains(string(public), `"decision":"withheld"`) {
		t.Errorf("public payload %s", public)
	}
	back, _ := throughline.DecodeStored(throughline.TypeMaterialDecision, public, personal)
	if back.(*throughline.MaterialDecision).Reason != secret {
		t.Errorf("round trip lost the reason: %+v", back)
	}
	erased, _ := throughline.DecodeStored(throughline.TypeMaterialDecision, public, nil)
	if got := erased.(*throughline.MaterialDecision).Reason; got != throughline.Erased {
		t.Errorf("erased reads %q", got)
	}
}
