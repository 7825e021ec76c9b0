package synth

import (
	"testing"
	"time"

	"throughline"
)

// Charging files get a file-quality assessment; about a third fall short,
// some reasons are disputed and settled one way or the other by both
// supervisors, and some cases have a case conference whose action is done.
func TestFileWork(t *testing.T) {
	far := time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)
	var files, assessed, notAcceptable, settled, withdrawn, conferences int
	for _, evs := range generate(t, Options{Cases: 20000, Seed: 3, FromYear: 2020, ToYear: 2021, Now: far}) {
		c := &throughline.Case{}
		for _, e := range evs {
			c.Apply(e)
			if f, ok := e.Data.(*throughline.FileSubmitted); ok && f.Purpose == "charging_decision" {
				files++
			}
		}
		for _, a := range c.Assessments {
			assessed++
			if a.Outcome == "not_acceptable" {
				notAcceptable++
			}
			for _, r := range a.Reasons {
				switch r.Status() {
				case throughline.ReasonUpheld:
					settled++
				case throughline.ReasonWithdrawn:
					settled++
					withdrawn++
				case throughline.ReasonDisputed:
					t.Errorf("%s: a dispute left unsettled", c.Ref)
				}
			}
		}
		if len(c.Conferences) > 0 {
			conferences++
			if p := c.Plan("CC1"); p == nil || !p.Complete() {
				t.Errorf("%s: the conference's action is not done", c.Ref)
			}
		}
	}
	share := float64(notAcceptable) / float64(assessed)
	if assessed < files*8/10 || share < 0.28 || share > 0.42 || settled == 0 || withdrawn == 0 || withdrawn == settled || conferences == 0 {
		t.Fatalf("files %d, assessed %d, not acceptable %.2f, settled %d (withdrawn %d), conferences %d", files, assessed, share, settled, withdrawn, conferences)
	}
	t.Logf("files %d, assessed %d, not acceptable %.2f, settled %d (withdrawn %d), conferences %d", files, assessed, share, settled, withdrawn, conferences)
}
