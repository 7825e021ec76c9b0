package oversight

import (
	"slices"

	"throughline"
)

// Victims' feedback: the portal's survey after the charge, the verdict and
// the sentence ("How well have we kept you informed?", 1 very poorly to 5
// very well), rolled up per stage (docs/measures.md, "Victims' feedback").
// The counts come from the store already grouped by force, CPS area, stage,
// month and rating; no case and no comment is in them.

// FeedbackStage is the answers of one survey stage.
type FeedbackStage struct {
	Stage   string `json:"stage"`
	Answers int    `json:"answers"`
	// Ratings[i] is how many answered i+1.
	Ratings [5]int `json:"ratings"`
	// Mean is the mean rating, WellInformed the share who answered 4 or
	// 5; both nil with no answers.
	Mean         *float64 `json:"mean"`
	WellInformed *float64 `json:"well_informed"`
}

// Feedback rolls the counts of the months from to to (YYYY-MM, inclusive)
// that keep accepts (nil: all) up per stage, in the order a case reaches
// them; every stage is there, with no answers if none.
func Feedback(counts []throughline.FeedbackCount, from, to string, keep func(throughline.FeedbackCount) bool) []FeedbackStage {
	out := make([]FeedbackStage, len(throughline.FeedbackStages))
	for i, st := range throughline.FeedbackStages {
		out[i].Stage = st
	}
	for _, n := range counts {
		i := slices.Index(throughline.FeedbackStages, n.Stage)
		if i < 0 || n.Rating < 1 || n.Rating > 5 || n.Month < from || n.Month > to || keep != nil && !keep(n) {
			continue
		}
		out[i].Answers += n.Answers
		out[i].Ratings[n.Rating-1] += n.Answers
	}
	for i := range out {
		s := &out[i]
		if s.Answers == 0 {
			continue
		}
		sum := 0
		for r, k := range s.Ratings {
			sum += (r + 1) * k
		}
		mean, well := float64(sum)/float64(s.Answers), float64(s.Ratings[3]+s.Ratings[4])/float64(s.Answers)
		s.Mean, s.WellInformed = &mean, &well
	}
	return out
}
