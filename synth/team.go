package synth

import (
	"hash/fnv"
	"math/rand/v2"
	"time"

	"throughline"
)

// The case team as events: the officer in the case from the report, the
// reviewing prosecutor from the decision to charge, the Witness Care officer
// from the charge; and, now and then, a hand-over to a new officer before
// the charging file goes to the CPS, or to a new prosecutor after the plea
// and trial preparation hearing. Drawn from a stream of its own, seeded by
// the case reference, so the calibrated journey draws what it drew before.
//
// Proportions (assumptions, not published figures): the inspection found
// cases changing hands without a hand-over; a quarter of charged cases
// changing officer before the file, and a fifth changing prosecutor before
// trial, are in keeping with its examples.
const (
	officerChangeShare    = 0.25
	prosecutorChangeShare = 0.2
)

// teamDraws is the case's own stream for its team.
func (g *caseGen) teamDraws() *rand.Rand {
	if g.team == nil {
		h := fnv.New64a()
		h.Write([]byte(g.ref))
		g.team = rand.New(rand.NewPCG(h.Sum64(), 17))
	}
	return g.team
}

// designate puts a new person in role on day t, recorded by the role's
// agency, with a hand-over note (the first holder's says how they came to
// it). It reports whether the case goes on.
func (g *caseGen) designate(t time.Time, role, handover string) bool {
	x := g.teamDraws()
	first := femaleNames
	if x.IntN(2) == 0 {
		first = maleNames
	}
	name := first[x.IntN(len(first))] + " " + surnames[x.IntN(len(surnames))]
	agency := "cps:" + g.c.CPSArea
	switch throughline.TeamRoleAgency(role) {
	case "police":
		name = "DC " + name
		agency = "police:" + g.c.Force
	case "wcu":
		agency = "wcu:" + g.c.Force
	}
	if cur := g.c.Designated(role); cur != nil && cur.Name == name {
		name += " " + surnames[x.IntN(len(surnames))] // a namesake: the new holder is someone else
	}
	return g.addAs(t, true, agency, &throughline.CaseTeamChanged{Role: role, Name: name, Handover: handover})
}

// maybeHandOver hands role over to someone new on day t with probability p.
func (g *caseGen) maybeHandOver(t time.Time, role string, p float64, handover string) bool {
	if g.teamDraws().Float64() >= p {
		return true
	}
	return g.designate(t, role, handover)
}

// officer is the officer in the case's name, or "" before one is designated.
func (g *caseGen) officer() string {
	if d := g.c.Designated("officer_in_case"); d != nil {
		return d.Name
	}
	return ""
}
