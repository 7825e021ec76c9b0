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

// Every case has an officer in the case from its report; a charged case a
// reviewing prosecutor and a Witness Care officer from the charge; some
// change hands, each change with a hand-over note and a new person.
func TestTeamChanges(t *testing.T) {
	far := time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)
	var cases, charged, officerChanges, prosecutorChanges int
	for _, evs := range generate(t, Options{Cases: 5000, Seed: 4, FromYear: 2020, ToYear: 2021, Now: far}) {
		cases++
		c := &throughline.Case{}
		held := map[string]string{}
		for _, e := range evs {
			c.Apply(e)
			d, ok := e.Data.(*throughline.CaseTeamChanged)
			if !ok {
				continue
			}
			if d.Handover == "" || held[d.Role] == d.Name {
				t.Errorf("%s: %s to %q without a hand-over or to the same person", c.Ref, d.Role, d.Name)
			}
			if held[d.Role] != "" {
				switch d.Role {
				case "officer_in_case":
					officerChanges++
				case "reviewing_prosecutor":
					prosecutorChanges++
				}
			}
			held[d.Role] = d.Name
		}
		if held["officer_in_case"] == "" {
			t.Errorf("%s: no officer in the case", c.Ref)
		}
		if c.Defendants[0].Stage != throughline.StageInvestigation && c.Defendants[0].Stage != throughline.StagePreCharge && c.Defendants[0].Stage != throughline.StageNFA {
			charged++
			if held["reviewing_prosecutor"] == "" || held["witness_care_officer"] == "" {
				t.Errorf("%s: charged (%s) without a prosecutor or a Witness Care officer: %v", c.Ref, c.Defendants[0].Stage, held)
			}
		}
	}
	if charged == 0 || officerChanges < charged/8 || prosecutorChanges == 0 {
		t.Fatalf("%d cases, %d charged, %d officer and %d prosecutor hand-overs", cases, charged, officerChanges, prosecutorChanges)
	}
	t.Logf("%d cases, %d charged, %d officer and %d prosecutor hand-overs", cases, charged, officerChanges, prosecutorChanges)
}
