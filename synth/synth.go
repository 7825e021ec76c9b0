// Package synth generates realistic, fully consistent synthetic RASSO cases
// for demonstrations, tests and benchmarks. Every event goes through the
// domain's Decide and Apply, exactly as a live write would: there is no back
// door into the tables, so synthetic data cannot hold a state the product
// could not reach.
//
// The model is calibrated to published figures for England and Wales (see
// calibration below): about 52,000 rape reports a year, around 6% charged,
// a median of 374 days from report to charge, a mean of about 706 days from
// report to the start of the trial, and the outcomes, withdrawals, cracked
// and ineffective trials, custody and bail seen in the 2022 joint
// inspection and the CPS and MoJ statistics it cites. The same seed gives
// the same cases, byte for byte.
package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"throughline"
	"throughline/calendar"
	"throughline/refdata"
)

// Options says what to generate.
type Options struct {
	Cases    int
	Seed     uint64
	FromYear int // first year of reports
	ToYear   int // last year of reports
	// Now is the present: no event is generated after it, so recent cases
	// are still open at whatever stage they have reached.
	Now time.Time
}

// calibration: the model's parameters, with where they come from.
var calibration = struct {
	chargeRate           float64 // share of reports charged: 3,144 of 52,207 (year to March 2021) ≈ 6%
	reportToChargeMedian float64 // days: 374 (HMICFRS/HMCPSI 2022, year to Dec 2021)
	reportToChargeSigma  float64 // lognormal spread
	victimWithdrawsPre   float64 // share of uncharged reports where the victim withdraws support (~40–50%, Home Office outcome 16)
	earlyAdviceShare     float64 // share of charged cases with early advice first
	custodyShare         float64 // charged in custody / remanded
	postalShare          float64 // charged by postal requisition (inspection chapter on postal requisitions)
	pleaAtPTPH           float64 // guilty pleas at the PTPH
	trialMeanDays        float64 // PTPH → first trial listing, mean: what takes report→trial to a mean of 706 days after relistings
	ineffectiveFixture   float64 // ineffective trials, fixtures
	ineffectiveFloater   float64 // ineffective trials, floaters and warned list
	crackedShare         float64 // cracked on the day
	withdrawalPerYear    float64 // complainant withdrawal hazard after charge, per year of waiting, rising
	convictRate          float64 // of effective trials, convictions (~60% of RASSO trials in recent CPS data)
	hungRate             float64
	lateInform           float64 // Victims' Code updates given late
	missedInform         float64 // Victims' Code updates never recorded
}{0.06, 374, 0.55, 0.45, 0.35, 0.30, 0.15, 0.25, 185, 0.18, 0.40, 0.12, 0.10, 0.60, 0.05, 0.12, 0.06}

// Generate builds opts.Cases cases and calls emit with each case's events in
// log order, case after case. It stops at the first error emit returns.
func Generate(opts Options, emit func([]throughline.Event) error) error {
	if opts.Cases < 0 {
		return fmt.Errorf("cases must be zero or more")
	}
	if opts.ToYear < opts.FromYear {
		return fmt.Errorf("--to-year %d is before --from-year %d", opts.ToYear, opts.FromYear)
	}
	forces := refdata.Forces()
	var total float64
	for _, f := range forces {
		total += float64(f.Population)
	}
	cum := make([]float64, len(forces))
	var acc float64
	for i, f := range forces {
		acc += float64(f.Population) / total
		cum[i] = acc
	}
	start := time.Date(opts.FromYear, 1, 1, 0, 0, 0, 0, throughline.London)
	end := time.Date(opts.ToYear+1, 1, 1, 0, 0, 0, 0, throughline.London)
	if opts.Now.Before(end) {
		end = opts.Now
	}
	span := end.Sub(start).Hours() / 24
	if span < 1 {
		return fmt.Errorf("no days between %d and now to report cases in", opts.FromYear)
	}
	for i := range opts.Cases {
		r := rand.New(rand.NewPCG(opts.Seed, uint64(i)))
		// Reports spread evenly in time, in index order, so the references
		// of one force rise with the date as real URNs do.
		day := start.AddDate(0, 0, int(span*(float64(i)+r.Float64())/float64(opts.Cases)))
		force := forces[pick(r, cum)]
		g := &caseGen{r: r, now: opts.Now}
		evs, err := g.build(i, force, day)
		if err != nil {
			return fmt.Errorf("synthetic case %d: %w", i, err)
		}
		if err := emit(evs); err != nil {
			return err
		}
	}
	return nil
}

func pick(r *rand.Rand, cum []float64) int {
	u := r.Float64()
	for i, c := range cum {
		if u < c {
			return i
		}
	}
	return len(cum) - 1
}

// caseGen builds one case, deciding each event as it goes.
type caseGen struct {
	r     *rand.Rand
	now   time.Time
	c     throughline.Case
	evs   []throughline.Event
	ref   string
	done  bool // reached the present: no more events
	hearN int
	team  *rand.Rand // the team's own draws (team.go)
	work  *rand.Rand // requests' and special measures' own draws (requests.go)
}

// add decides and applies one event at day t (a London date) or instant.
// Events after now are not generated; add reports whether the case goes on.
func (g *caseGen) add(t time.Time, dateOnly bool, d throughline.Data) bool {
	return g.addAs(t, dateOnly, "synthetic", d)
}

// addAs is add for an event recorded by agency (a rule of the domain turns
// on who recorded it: a dispute is settled by both agencies' supervisors).
func (g *caseGen) addAs(t time.Time, dateOnly bool, agency string, d throughline.Data) bool {
	return g.record(t, dateOnly, agency, "synth", d)
}

// addBy is addAs for a dated event recorded by a named actor (a supervisor
// approves what someone else drafted).
func (g *caseGen) addBy(t time.Time, agency, actor string, d throughline.Data) bool {
	return g.record(t, true, agency, actor, d)
}

func (g *caseGen) record(t time.Time, dateOnly bool, agency, actor string, d throughline.Data) bool {
	if g.done || t.After(g.now) {
		g.done = true
		return false
	}
	w := throughline.At(t)
	if dateOnly {
		y, m, dd := t.Date()
		w = throughline.On(y, m, dd)
	}
	e := throughline.Event{Case: g.ref, Type: d.EventType(), OccurredAt: w, RecordedAt: w, Actor: actor, Agency: agency, Data: d}
	if _, err := throughline.Decide(&g.c, e); err != nil {
		panic(fmt.Sprintf("synthetic case %s: %s refused: %v", g.ref, e.Type, err))
	}
	g.c.Apply(e)
	g.evs = append(g.evs, e)
	return true
}

func (g *caseGen) build(i int, force refdata.Force, reported time.Time) (evs []throughline.Event, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("%v", v)
		}
	}()
	r := g.r
	g.ref = fmt.Sprintf("%sRS%07d/%02d", force.Code, i+1, reported.Year()%100)
	area := force.CPSAreas[r.IntN(len(force.CPSAreas))]
	female := r.Float64() < 0.89 // ~89% of recorded rape victims are female
	c := throughline.ComplainantRecord{ID: "C1", Sex: "female", Language: "en", Ethnicity: ethnicity(r)}
	ho, cjs := "19C", "SX03002"
	first := femaleNames
	if !female {
		c.Sex, ho, cjs, first = "male", "19F", "SX03004", maleNames
	}
	if force.Code >= "60" && r.Float64() < 0.2 {
		c.Language = "cy"
	}
	c.Name = first[r.IntN(len(first))] + " " + surnames[r.IntN(len(surnames))]
	c.DateOfBirth = reported.AddDate(-complainantAge(r), -r.IntN(12), -r.IntN(28)).Format(time.DateOnly)
	suspects := []throughline.SuspectRecord{{ID: "D1", Name: maleNames[r.IntN(len(maleNames))] + " " + surnames[r.IntN(len(surnames))]}}
	if r.Float64() < 0.08 {
		suspects = append(suspects, throughline.SuspectRecord{ID: "D2", Name: maleNames[r.IntN(len(maleNames))] + " " + surnames[r.IntN(len(surnames))]})
	}
	offs := []throughline.Offence{{HOCode: ho, CJSCode: cjs}}
	g.add(reported, true, &throughline.CaseOpened{Force: force.Code, CPSArea: area, Offences: offs,
		Complainants: []throughline.ComplainantRecord{c}, Suspects: suspects})
	g.designate(reported, "officer_in_case", "Allocated to the RASSO unit when the report was made")
	if r.Float64() < 0.7 {
		g.add(g.days(reported, 1+r.IntN(10)), true, prefs(r, c))
	}
	cal := calibration
	if r.Float64() >= cal.chargeRate {
		g.notCharged(reported, suspects)
		return g.evs, nil
	}
	g.charged(reported, suspects, offs)
	return g.evs, nil
}

// maxComplainantAge caps the age drawn at report. The draw is exponential
// (most complainants are young adults), so its tail is unbounded: over
// 20,000 cases it reached 135, a date of birth in the 1870s that the import
// edge (throughline.MinYear) rightly refuses, so an export of generated
// cases could not be imported back.
const maxComplainantAge = 95

// complainantAge is her age when she reports: 16 and over, most often in
// her late teens and twenties.
func complainantAge(r *rand.Rand) int {
	return min(16+int(r.ExpFloat64()*12), maxComplainantAge)
}

func ethnicity(r *rand.Rand) string {
	// ONS 2021 England and Wales: White 81.7%, Asian 9.3%, Black 4.0%, Mixed 2.9%, Other 2.1%.
	u := r.Float64()
	switch {
	case u < 0.80:
		return "white"
	case u < 0.893:
		return "asian"
	case u < 0.933:
		return "black"
	case u < 0.962:
		return "mixed"
	case u < 0.983:
		return "other"
	}
	return "not_stated"
}

func prefs(r *rand.Rand, c throughline.ComplainantRecord) *throughline.ContactPreferencesSet {
	p := &throughline.ContactPreferencesSet{ComplainantID: c.ID, Language: c.Language, NeverWriteHome: r.Float64() < 0.3}
	handle := fmt.Sprintf("victim%d", r.IntN(1_000_000))
	switch u := r.Float64(); {
	case u < 0.55:
		p.Channels = []string{"email", "sms"}
		p.Email, p.Mobile = handle+"@example.org", fmt.Sprintf("07700 9%05d", r.IntN(100000))
	case u < 0.8:
		p.Channels = []string{"sms", "phone"}
		p.Mobile = fmt.Sprintf("07700 9%05d", r.IntN(100000))
	case u < 0.92:
		p.Channels = []string{"phone"}
		p.NominatedContact = "ISVA"
	default:
		p.Channels = []string{"letter"}
		p.Address = fmt.Sprintf("%d Example Street, Testtown", 1+r.IntN(200))
	}
	if r.Float64() < 0.3 {
		p.SafeTimes = "weekdays after 6pm"
	}
	// One who asks for letters asks to be written to at home: a letter to
	// one who asked never to be is refused without a reason. Set after the
	// draws, so the seeded stream, and every other case, is unchanged.
	if p.Channels[0] == "letter" {
		p.NeverWriteHome = false
	}
	return p
}

// days adds n calendar days.
func (g *caseGen) days(t time.Time, n int) time.Time { return t.AddDate(0, 0, n) }

// weekday moves t forward to a working day (courts and the CPS do not sit
// at weekends or on bank holidays).
func weekday(t time.Time) time.Time {
	for !calendar.IsWorkingDay(t) {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

func lognormal(r *rand.Rand, median, sigma float64) float64 {
	return median * math.Exp(sigma*r.NormFloat64())
}

// notCharged: most reports end without a charge — the victim withdraws,
// or the police or CPS decide there is not enough evidence.
func (g *caseGen) notCharged(reported time.Time, suspects []throughline.SuspectRecord) {
	r := g.r
	t := reported
	if r.Float64() < calibration.victimWithdrawsPre {
		t = g.days(t, 14+int(r.ExpFloat64()*120))
		if !g.add(t, true, &throughline.ComplainantWithdrew{ComplainantID: "C1", Reason: "does not support police action"}) {
			return
		}
		g.add(g.days(t, 7+r.IntN(30)), true, &throughline.CaseClosed{Reason: "victim does not support further action (outcome 16)"})
		return
	}
	if r.Float64() < 0.6 {
		t = g.days(t, int(lognormal(r, 250, 0.5)))
		s := suspects[0].ID
		g.informationRequest(t)
		if !g.add(t, true, &throughline.FileSubmitted{SuspectID: s, Purpose: "charging_decision"}) {
			return
		}
		fileDay := t
		t = g.days(t, 20+int(r.ExpFloat64()*60))
		if !g.fileWork(s, fileDay, t) {
			return
		}
		if !g.add(t, true, &throughline.ChargingDecision{SuspectID: s, Decision: "no_further_action"}) {
			return
		}
		g.inform(t, "charging_decision")
		g.add(g.days(t, 14+r.IntN(30)), true, &throughline.CaseClosed{Reason: "CPS decided not to charge (evidential stage)"})
		return
	}
	t = g.days(t, int(lognormal(r, 300, 0.6)))
	g.informationRequest(t)
	if !g.add(t, true, &throughline.PoliceNoFurtherAction{SuspectID: suspects[0].ID}) {
		return
	}
	g.inform(t, throughline.TypePoliceNoFurtherAction)
	g.add(g.days(t, 7), true, &throughline.CaseClosed{Reason: "evidential difficulties: no further police action (outcome 15)"})
}

// inform records the complainant told about an event: usually within a
// working day, sometimes late, sometimes never (a duty missed).
func (g *caseGen) inform(t time.Time, about string) {
	r := g.r
	if slices.Contains(throughline.ReceivedAbouts, about) {
		// The court sends its result to the Witness Care Unit the same day,
		// and the WCU records receiving it: its clock to tell runs from then.
		g.add(t, true, &throughline.NewsReceived{About: about, From: "court"})
	}
	u := r.Float64()
	switch {
	case u < calibration.missedInform:
		return
	case u < calibration.missedInform+calibration.lateInform:
		t = weekday(g.days(t, 3+r.IntN(10)))
	default:
		t = weekday(g.days(t, r.IntN(2)))
	}
	ch := "phone"
	if p := g.c.Complainant("C1").Preferences; p != nil {
		ch = p.Channels[0]
	}
	g.add(t, true, &throughline.VictimInformed{ComplainantID: "C1", About: about, Channel: ch})
}

// charged: the post-charge journey, from file to outcome.
func (g *caseGen) charged(reported time.Time, suspects []throughline.SuspectRecord, offs []throughline.Offence) {
	r := g.r
	cal := calibration
	chargeDay := g.days(reported, max(30, int(lognormal(r, cal.reportToChargeMedian, cal.reportToChargeSigma))))
	s := suspects[0].ID
	if r.Float64() < cal.earlyAdviceShare {
		t := g.days(reported, max(7, int(float64(chargeDay.Sub(reported).Hours()/24)*0.3)))
		if !g.add(t, true, &throughline.FileSubmitted{SuspectID: s, Purpose: "early_advice"}) {
			return
		}
		t = g.days(t, 10+r.IntN(25))
		if !g.add(t, true, &throughline.EarlyAdviceGiven{SuspectID: s}) {
			return
		}
		if r.Float64() < 0.6 {
			g.addAs(t, true, "cps:"+g.c.CPSArea, &throughline.ActionPlanIssued{PlanID: "AP1", Items: []throughline.ActionItem{
				{ItemID: "1", Category: "digital", Description: "Obtain the digital download report", Owner: "police", OwnerName: g.officer(), Due: g.days(t, 28).Format(time.DateOnly)},
				{ItemID: "2", Category: "medical", Description: "Obtain medical records with consent", Owner: "police", OwnerName: g.officer(), Due: g.days(t, 42).Format(time.DateOnly)},
			}})
			if r.Float64() < 0.8 {
				g.add(g.days(t, 10+r.IntN(40)), true, &throughline.ActionItemCompleted{PlanID: "AP1", ItemID: "1"})
			}
		}
	}
	fileDay := g.days(chargeDay, -(20 + r.IntN(60)))
	if len(g.evs) > 0 && fileDay.Before(g.evs[len(g.evs)-1].OccurredAt.Time()) {
		fileDay = g.evs[len(g.evs)-1].OccurredAt.Time()
	}
	g.informationRequest(fileDay)
	if !g.maybeHandOver(fileDay, "officer_in_case", officerChangeShare, "Moved to another team; the file is ready for the CPS, the outstanding enquiries are listed in the action plan") {
		return
	}
	if !g.add(fileDay, true, &throughline.FileSubmitted{SuspectID: s, Purpose: "charging_decision"}) {
		return
	}
	if chargeDay.Before(fileDay) {
		chargeDay = g.days(fileDay, 1)
	}
	chargeDay = weekday(chargeDay)
	if !g.fileWork(s, fileDay, chargeDay) {
		return
	}
	if !g.add(chargeDay, true, &throughline.ChargingDecision{SuspectID: s, Decision: "charge"}) {
		return
	}
	if !g.designate(chargeDay, "reviewing_prosecutor", "Allocated by the RASSO unit on the decision to charge") {
		return
	}
	method := "bail"
	switch u := r.Float64(); {
	case u < cal.custodyShare:
		method = "custody"
	case u < cal.custodyShare+cal.postalShare:
		method = "postal_requisition"
	}
	chargedAt := time.Date(chargeDay.Year(), chargeDay.Month(), chargeDay.Day(), 9+r.IntN(8), r.IntN(60), 0, 0, throughline.London)
	if !g.add(chargedAt, false, &throughline.Charged{DefendantID: s, Offences: offs, Method: method}) {
		return
	}
	g.inform(chargeDay, "charged")
	if !g.designate(chargeDay, "witness_care_officer", "Allocated by the Witness Care Unit on the charge") {
		return
	}
	// First appearance: next day in custody; weeks later on bail; a postal
	// requisition takes longest (the inspection's chapter on them).
	wait := 1
	switch method {
	case "bail":
		wait = 14 + r.IntN(21)
	case "postal_requisition":
		wait = 28 + r.IntN(60)
	}
	fa := weekday(g.days(chargeDay, wait))
	if !g.hearing(chargeDay, fa, "first_appearance", g.magistrates(), "fixture") {
		return
	}
	if !g.add(fa, true, &throughline.SentToCrownCourt{DefendantID: s, Court: g.court()}) {
		return
	}
	ptph := weekday(g.days(fa, 28))
	if !g.hearing(fa, ptph, "ptph", g.c.Defendant(s).Court, "fixture") {
		return
	}
	if r.Float64() < cal.pleaAtPTPH {
		if !g.add(ptph, true, &throughline.Verdict{DefendantID: s, Result: "guilty_plea"}) {
			return
		}
		g.inform(ptph, "verdict")
		g.sentence(ptph, s)
		return
	}
	if !g.maybeHandOver(ptph, "reviewing_prosecutor", prosecutorChangeShare, "Reallocated within the unit; trial preparation is up to date, the outstanding disclosure is listed in the plan") {
		return
	}
	// Before the earliest day trial() lists the first trial.
	g.specialMeasures(ptph, g.days(ptph, int(cal.trialMeanDays*0.5)))
	g.trial(ptph, s, method == "custody")
}

// court picks a Crown Court centre of the case's area.
func (g *caseGen) court() string {
	var ids []string
	for _, c := range refdata.CrownCourts() {
		if c.CPSArea == g.c.CPSArea {
			ids = append(ids, c.ID)
		}
	}
	return ids[g.r.IntN(len(ids))]
}

// magistrates picks a magistrates' court of the case's force for the first
// appearance, without drawing from the random stream (so a seed gives the
// same cases as before). A force whose magistrates' courts are not yet in the
// reference data appears at its first Crown Court: a court that exists, so
// every generated event is one the API would accept.
func (g *caseGen) magistrates() string {
	var ids []string
	for _, c := range refdata.MagistratesCourts() {
		if c.Force == g.c.Force {
			ids = append(ids, c.ID)
		}
	}
	if len(ids) == 0 {
		f, _ := refdata.LookupForce(g.c.Force)
		return f.CrownCourts[0]
	}
	sum := 0
	for _, b := range []byte(g.ref) {
		sum += int(b)
	}
	return ids[sum%len(ids)]
}

// hearing lists a hearing on listedOn for day, and holds it (effective) on
// that day, unless the present comes first.
func (g *caseGen) hearing(listedOn, day time.Time, kind, court, listing string) bool {
	id := g.listHearing(listedOn, day, kind, court, listing)
	if id == "" {
		return false
	}
	return g.add(day, true, &throughline.HearingHeld{HearingID: id, Outcome: "effective"})
}

func (g *caseGen) listHearing(listedOn, day time.Time, kind, court, listing string) string {
	g.hearN++
	id := fmt.Sprintf("H%d", g.hearN)
	starts := time.Date(day.Year(), day.Month(), day.Day(), 10, 0, 0, 0, throughline.London).Format(time.RFC3339)
	if !g.add(listedOn, true, &throughline.HearingListed{HearingID: id, Kind: kind, Court: court, StartsAt: starts, Listing: listing}) {
		return ""
	}
	g.inform(listedOn, "hearing_listed")
	return id
}

// trial lists the trial and plays out ineffective listings, cracks,
// withdrawals and the verdict.
func (g *caseGen) trial(ptph time.Time, s string, custody bool) {
	r := g.r
	cal := calibration
	listed := ptph
	day := weekday(g.days(ptph, int(cal.trialMeanDays*(0.5+r.ExpFloat64()*0.5))))
	sent := g.c.Defendant(s).Sent.Time()
	extended := false
	for attempt := 0; ; attempt++ {
		// A complainant may withdraw while waiting; the longer the wait, the likelier.
		waitYears := day.Sub(listed).Hours() / 24 / 365
		if r.Float64() < 1-math.Exp(-cal.withdrawalPerYear*waitYears*(1+waitYears)) {
			t := g.days(listed, int(r.Float64()*day.Sub(listed).Hours()/24))
			if !g.add(t, true, &throughline.ComplainantWithdrew{ComplainantID: "C1", Reason: "no longer able to support the prosecution after the delay"}) {
				return
			}
			t = weekday(g.days(t, 7+r.IntN(21)))
			how := "discontinued"
			if r.Float64() < 0.4 {
				how = "no_evidence_offered"
			}
			if !g.add(t, true, &throughline.ProsecutionStopped{DefendantID: s, How: how}) {
				return
			}
			g.inform(t, "prosecution_stopped")
			g.add(g.days(t, 28+r.IntN(28)), true, &throughline.CaseClosed{Reason: "prosecution stopped"})
			return
		}
		if custody && !extended && day.Sub(sent).Hours()/24 > 170 {
			ext := g.days(sent, 160)
			if ext.Before(listed) {
				ext = listed
			}
			if !g.add(weekday(ext), true, &throughline.CTLExtended{DefendantID: s, ExpiresOn: g.days(day, 30).Format(time.DateOnly), Decision: "extended: fixture date, prosecution acted with due diligence"}) {
				return
			}
			extended = true
		}
		listing := "fixture"
		if u := r.Float64(); u < 0.25 {
			listing = "floater"
		} else if u < 0.35 {
			listing = "warned"
		}
		id := g.listHearing(listed, day, "trial", g.c.Defendant(s).Court, listing)
		if id == "" {
			return
		}
		pIneff := cal.ineffectiveFixture
		if listing != "fixture" {
			pIneff = cal.ineffectiveFloater
		}
		switch u := r.Float64(); {
		case u < pIneff && attempt < 3:
			// The commonest reasons in HMCTS's ineffective trial figures.
			reasons := []string{"no_courtroom_or_judge", "no_courtroom_or_judge", "prosecution_witness_absent", "defence_not_ready", "prosecution_not_ready", "defendant_absent", "insufficient_time"}
			if !g.add(day, true, &throughline.HearingHeld{HearingID: id, Outcome: "ineffective", Reason: reasons[r.IntN(len(reasons))]}) {
				return
			}
			g.inform(day, "hearing_held")
			listed = day
			day = weekday(g.days(day, 60+r.IntN(120)))
			continue
		case u < pIneff+cal.crackedShare:
			if !g.add(day, true, &throughline.HearingHeld{HearingID: id, Outcome: "cracked", Reason: "late_guilty_plea"}) {
				return
			}
			if !g.add(day, true, &throughline.Verdict{DefendantID: s, Result: "guilty_plea"}) {
				return
			}
			g.inform(day, "verdict")
			g.sentence(day, s)
			return
		}
		if !g.add(day, true, &throughline.TrialStarted{HearingID: id}) {
			return
		}
		if !g.add(day, true, &throughline.HearingHeld{HearingID: id, Outcome: "effective"}) {
			return
		}
		end := weekday(g.days(day, 3+r.IntN(6)))
		switch u := r.Float64(); {
		case u < cal.convictRate:
			if !g.add(end, true, &throughline.Verdict{DefendantID: s, Result: "guilty"}) {
				return
			}
			g.inform(end, "verdict")
			g.sentence(end, s)
		case u < cal.convictRate+cal.hungRate && attempt < 3:
			if !g.add(end, true, &throughline.Verdict{DefendantID: s, Result: "hung_jury"}) {
				return
			}
			g.inform(end, "verdict")
			listed = end
			day = weekday(g.days(end, 90+r.IntN(90)))
			continue
		default:
			if !g.add(end, true, &throughline.Verdict{DefendantID: s, Result: "not_guilty"}) {
				return
			}
			g.inform(end, "verdict")
			g.add(g.days(end, 28+r.IntN(28)), true, &throughline.CaseClosed{Reason: "acquitted"})
		}
		return
	}
}

// sentence lists and holds the sentencing hearing and closes the case.
func (g *caseGen) sentence(convicted time.Time, s string) {
	day := weekday(g.days(convicted, 28+g.r.IntN(28)))
	if !g.hearing(convicted, day, "sentence", g.c.Defendant(s).Court, "fixture") {
		return
	}
	if !g.add(day, true, &throughline.Sentenced{DefendantID: s}) {
		return
	}
	g.inform(day, "sentenced")
	g.add(g.days(day, 28+g.r.IntN(28)), true, &throughline.CaseClosed{Reason: "sentenced"})
}
