package deadline_test

import (
	"strings"
	"testing"

	"throughline"
	"throughline/deadline"
)

func decided(comp, decision, material string) *throughline.MaterialDecision {
	return &throughline.MaterialDecision{ComplainantID: comp, Decision: decision, Material: material, Reason: "not relevant to any reasonable line of enquiry"}
}

// Four decisions made on Wed 1 Apr 2026, one PTPH listed for Tue 5 May
// 2026 and the defence statement served on Fri 22 May 2026.
//
// Before the PTPH: the working day before Tue 5 May is Fri 1 May (Mon 4 May
// is the Early May bank holiday, 2 and 3 May a weekend).
// After the defence statement: 5 working days after Fri 22 May are Tue 26,
// Wed 27, Thu 28, Fri 29 May and Mon 1 Jun (Mon 25 May is the Spring bank
// holiday): due Mon 1 Jun.
func TestMaterialReview(t *testing.T) {
	l := open("2025-06-02", false, "D1").
		sent("2026-02-02", "D1").
		add("2026-04-01", decided("C1", throughline.MaterialWithheld, "medical")).
		add("2026-04-01", decided("C1", throughline.MaterialNotSought, "education")).
		add("2026-04-01", decided("C1", throughline.MaterialNotSought, "counselling_notes")).
		hearing("2026-04-08", "P1", "ptph", "2026-05-05T10:00:00+01:00").
		add("2026-04-30", decided("C1", throughline.MaterialRevisited, "medical")).
		add("2026-05-22", &throughline.Stage2Served{DefendantID: "D1"}).
		add("2026-05-26", &throughline.InformationRequested{ComplainantID: "C1", RequestID: "R1", Material: "counselling_notes", Holder: "Rape Crisis", Reason: "the defence statement puts her account in issue"}).
		add("2026-06-02", &throughline.InformationRequestSent{ComplainantID: "C1", RequestID: "R1"}).
		add("2026-06-03", decided("C1", throughline.MaterialWithheld, "social_care"))
	ds := l.compute()
	c := "complainant:C1"
	// Revisited on Thu 30 Apr: on time for both points.
	check(t, one(t, ds, deadline.MaterialReview, c, "medical, before the PTPH"), "2026-05-01", "2026-04-30", 0, "2026-06-10", deadline.StatusMet)
	check(t, one(t, ds, deadline.MaterialReview, c, "medical, after the defence statement"), "2026-06-01", "2026-04-30", 0, "2026-06-10", deadline.StatusMet)
	// Never revisited: both missed.
	check(t, one(t, ds, deadline.MaterialReview, c, "education, before the PTPH"), "2026-05-01", "-", 0, "2026-05-05", deadline.StatusMissed)
	check(t, one(t, ds, deadline.MaterialReview, c, "education, after the defence statement"), "2026-06-01", "-", 0, "2026-06-02", deadline.StatusMissed)
	// A request for the material sent on Tue 2 Jun ends the review, late:
	// 20 working days after Fri 1 May (May: 4+5+5+4 working days after it,
	// the bank holidays of 4 and 25 May left out; then 1 and 2 Jun), and 1
	// working day after Mon 1 Jun.
	check(t, one(t, ds, deadline.MaterialReview, c, "counselling notes, before the PTPH"), "2026-05-01", "2026-06-02", 20, "2026-06-10", deadline.StatusMetLate)
	check(t, one(t, ds, deadline.MaterialReview, c, "counselling notes, after the defence statement"), "2026-06-01", "2026-06-02", 1, "2026-06-10", deadline.StatusMetLate)
	// A decision after both points: no PTPH or defence statement after it.
	for _, p := range []string{"social care, before the PTPH", "social care, after the defence statement"} {
		if d := one(t, ds, deadline.MaterialReview, c, p); d.Status(day("2026-06-10")) != deadline.StatusNotApplicable {
			t.Errorf("%s: %s (%s)", p, d.Status(day("2026-06-10")), d.NotApplicable)
		}
	}
}

// Before a PTPH is listed the reminder has no day: it is not applicable,
// and says why. Once one is listed (Fri 12 Jun 2026, listed Mon 1 Jun) it
// is due the working day before, Thu 11 Jun.
func TestMaterialReviewWaitsForThePTPH(t *testing.T) {
	l := open("2025-06-02", false, "D1").
		sent("2026-05-06", "D1").
		add("2026-05-11", decided("C1", throughline.MaterialNotSought, "medical"))
	d := one(t, l.compute(), deadline.MaterialReview, "complainant:C1", "medical, before the PTPH")
	if d.Status(day("2026-05-12")) != deadline.StatusNotApplicable || !strings.Contains(d.NotApplicable, "no PTPH is listed") {
		t.Errorf("before listing: %s (%q)", d.Status(day("2026-05-12")), d.NotApplicable)
	}
	l.hearing("2026-06-01", "P1", "ptph", "2026-06-12T10:00:00+01:00")
	check(t, one(t, l.compute(), deadline.MaterialReview, "complainant:C1", "medical, before the PTPH"), "2026-06-11", "-", 0, "2026-06-10", deadline.StatusDueSoon)
	// A guilty plea before the due day ends the prosecution: nothing to review.
	l.add("2026-06-05", &throughline.Verdict{DefendantID: "D1", Result: "guilty_plea"})
	if d := one(t, l.compute(), deadline.MaterialReview, "complainant:C1", "medical, before the PTPH"); d.NotApplicable == "" {
		t.Errorf("after the plea: %s", d.Status(day("2026-06-12")))
	}
}
