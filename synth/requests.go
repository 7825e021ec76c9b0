package synth

import (
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"time"

	"throughline"
)

// Two pieces of casework the generated cases carry so that every page has
// something real to show: a request for the complainant's records held by
// someone else (a victim information request, PCSCA 2022 Chapter 3A, made
// the lawful way: each s.44A condition answered, a supervisor's approval
// for counselling information, her written notice delivered before it is
// sent, s.44B), and, once a not-guilty plea sends the case towards trial,
// the CPS's application for special measures for her evidence (YJCEA 1999
// ss.23–30) and the court's decision. Drawn from a stream of their own,
// seeded by the case reference, so the calibrated journey draws what it
// drew before.
//
// Proportions (assumptions, not published figures): the joint inspection
// found requests for third-party material routine in rape investigations
// (the concern that led to Chapter 3A); a third of investigations reaching
// a file make one here, most for medical records. Complainants of sexual
// offences are eligible for special measures (YJCEA 1999 s.17(4)); nearly
// every case going to trial applies, and courts grant most measures sought.
const (
	requestShare         = 0.33
	counsellingRefused   = 0.25 // holders refusing a counselling request
	otherRefused         = 0.1
	specialMeasuresShare = 0.9
	s28Share             = 0.4 // pre-recorded cross-examination sought, where the video interview is used
	measureRefusedShare  = 0.05
)

// requested is what a request seeks and from whom, drawn by weight.
var requested = []struct {
	weight   float64
	material string
	holder   string
}{
	{0.45, "medical", "Her GP practice"},
	{0.2, "counselling_notes", "The rape crisis counselling service supporting her"},
	{0.15, "social_care", "The local authority's children's social care service"},
	{0.1, "education", "Her college's safeguarding lead"},
	{0.05, "therapy_notes", "The NHS talking therapies service"},
	{0.05, "other", "Her employer's occupational health service"},
}

// draws is the case's own stream for this casework.
func (g *caseGen) draws() *rand.Rand {
	if g.work == nil {
		h := fnv.New64a()
		h.Write([]byte(g.ref))
		g.work = rand.New(rand.NewPCG(h.Sum64(), 19))
	}
	return g.work
}

// lastDay is the day of the latest event generated so far.
func (g *caseGen) lastDay() time.Time {
	return g.evs[len(g.evs)-1].OccurredAt.Time()
}

// informationRequest may add, between the latest event and before (the next
// event of the journey), a victim information request and its workflow, in
// date order: each step only if it still falls before before.
func (g *caseGen) informationRequest(before time.Time) {
	x := g.draws()
	if x.Float64() >= requestShare {
		return
	}
	u, pick := x.Float64(), requested[len(requested)-1]
	for _, r := range requested {
		if u < r.weight {
			pick = r
			break
		}
		u -= r.weight
	}
	day := g.lastDay()
	step := func(min, spread int) bool { // the next step's day, if it comes before before
		day = weekday(g.days(day, min+x.IntN(spread)))
		return day.Before(before)
	}
	police := "police:" + g.c.Force
	rq := &throughline.InformationRequested{ComplainantID: "C1", RequestID: "R1", Material: pick.material, Holder: pick.holder,
		HolderBelief:  "She told the officer in her first account that she had spoken to them about what happened",
		LineOfEnquiry: "Whether her account to them at the time is consistent with her account to the police: a reasonable line of enquiry, not speculation, as she named them",
		Necessity:     "Only the part of the record from the week after the incident is sought; nothing else would show what she said at the time",
		Reason:        "To see what you told them in the week after it happened, because you mentioned it in your account",
		Handling:      "Only the officer and the prosecutor will read it; nothing will be shared without telling you first",
	}
	if rq.Counselling() {
		rq.ProbativeValue = "Her disclosure to them was the first after the incident and is likely to carry substantial weight on consistency"
	}
	if !step(3, 20) || !g.addBy(day, police, "synth-officer", rq) {
		return
	}
	approve := func() bool {
		return step(1, 3) && g.addBy(day, police, "synth-supervisor", &throughline.InformationRequestApproved{ComplainantID: "C1", RequestID: "R1",
			Note: "The request is narrow and each condition is answered: approved"})
	}
	if rq.Counselling() && !approve() {
		return
	}
	// Her written notice first (s.44B(3)(a)): to a parent or guardian while
	// she is a child (s.44B(4)).
	if !step(1, 3) {
		return
	}
	notice := &throughline.VictimInformed{ComplainantID: "C1", About: throughline.TypeInformationRequested, Channel: g.writtenChannel(), RequestID: "R1"}
	if !throughline.NoticeReaches(g.c.Complainant("C1").DateOfBirth, day, "") {
		notice.Recipient = "parent_or_guardian"
	}
	if !g.addBy(day, police, "synth-officer", notice) {
		return
	}
	if !step(0, 3) || !g.addBy(day, police, "synth-officer", &throughline.InformationRequestSent{ComplainantID: "C1", RequestID: "R1"}) {
		return
	}
	result, refused := "received", otherRefused
	if rq.Counselling() {
		refused = counsellingRefused
	}
	if x.Float64() < refused {
		result = "refused"
	}
	if step(14, 28) {
		g.addBy(day, police, "synth-officer", &throughline.InformationRequestResponse{ComplainantID: "C1", RequestID: "R1", Result: result})
	}
}

// writtenChannel is how her notice reaches her in writing (s.44B(2)): the
// first written way she asked to be told, else a letter, or the victim
// portal if she asked never to be written to at home.
func (g *caseGen) writtenChannel() string {
	p := g.c.Complainant("C1").Preferences
	if p == nil {
		return "letter"
	}
	for _, ch := range p.Channels {
		if slices.Contains(throughline.WrittenChannels, ch) {
			return ch
		}
	}
	if p.NeverWriteHome {
		return "portal"
	}
	return "letter"
}

// specialMeasures may add, after a not-guilty plea at the PTPH and before
// trial, the CPS's application for special measures for her evidence and
// the court's decision (the application within 28 days of the plea, Criminal
// Procedure Rules 18.3).
func (g *caseGen) specialMeasures(ptph, trial time.Time) {
	x := g.draws()
	if x.Float64() >= specialMeasuresShare {
		return
	}
	measures := []string{"screens", "video_recorded_interview"}
	if x.Float64() < s28Share {
		measures = append(measures, "s28_pre_recorded_cross_examination")
	}
	applied := weekday(g.days(ptph, 1+x.IntN(20)))
	if !applied.Before(trial) || !g.addAs(applied, true, "cps:"+g.c.CPSArea, &throughline.SpecialMeasuresApplied{ComplainantID: "C1", Measures: measures}) {
		return
	}
	decided := weekday(g.days(applied, 7+x.IntN(21)))
	if !decided.Before(trial) {
		return
	}
	d := &throughline.SpecialMeasuresDecided{ComplainantID: "C1"}
	for _, m := range measures {
		if x.Float64() < measureRefusedShare {
			d.Refused = append(d.Refused, m)
		} else {
			d.Granted = append(d.Granted, m)
		}
	}
	g.addAs(decided, true, "wcu:"+g.c.Force, d)
}
