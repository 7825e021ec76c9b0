package oversight_test

import (
	"testing"

	"throughline"
	"throughline/oversight"
)

// Victims' feedback per stage: the distribution, the mean and the share
// well informed, over the months asked for and the forces kept; a stage
// with no answers has no mean.
func TestFeedbackRollup(t *testing.T) {
	counts := []throughline.FeedbackCount{
		{Force: "13", CPSArea: "yorkshire_humberside", Stage: "charge", Month: "2026-10", Rating: 5, Answers: 3},
		{Force: "13", CPSArea: "yorkshire_humberside", Stage: "charge", Month: "2026-11", Rating: 2, Answers: 1},
		{Force: "62", CPSArea: "cymru_wales", Stage: "charge", Month: "2026-11", Rating: 4, Answers: 2},
		{Force: "13", CPSArea: "yorkshire_humberside", Stage: "verdict", Month: "2026-11", Rating: 1, Answers: 1},
		{Force: "13", CPSArea: "yorkshire_humberside", Stage: "sentence", Month: "2026-09", Rating: 3, Answers: 4}, // before the period
	}
	all := oversight.Feedback(counts, "2026-10", "2026-12", nil)
	if len(all) != 3 || all[0].Stage != "charge" || all[1].Stage != "verdict" || all[2].Stage != "sentence" {
		t.Fatalf("stages %+v", all)
	}
	c := all[0]
	if c.Answers != 6 || c.Ratings != [5]int{0, 1, 0, 2, 3} || *c.Mean != 25.0/6 || *c.WellInformed != 5.0/6 {
		t.Errorf("charge: %+v mean %v well %v", c, *c.Mean, *c.WellInformed)
	}
	if v := all[1]; v.Answers != 1 || *v.Mean != 1 || *v.WellInformed != 0 {
		t.Errorf("verdict: %+v", v)
	}
	if s := all[2]; s.Answers != 0 || s.Mean != nil || s.WellInformed != nil {
		t.Errorf("sentence, no answers in the period: %+v", s)
	}
	wy := oversight.Feedback(counts, "2026-10", "2026-12", func(n throughline.FeedbackCount) bool { return n.Force == "13" })
	if c := wy[0]; c.Answers != 4 || c.Ratings != [5]int{0, 1, 0, 0, 3} {
		t.Errorf("West Yorkshire's charge: %+v", c)
	}
}
