package deadline

import (
	"math"
	"time"

	"throughline"
	"throughline/calendar"
)

// Clock says which of an event's two times starts a rule's clock.
type Clock string

const (
	// FromOccurred runs the clock from when the event happened in the world:
	// statutory and court clocks (custody time limits, Better Case Management)
	// and duties of the agency whose own act the event is.
	FromOccurred Clock = "occurred_at"
	// FromRecorded runs the clock from when the agency learned of the event:
	// duties to pass news on to a victim (the Witness Care Unit cannot tell a
	// victim of a hearing before the court has told it).
	FromRecorded Clock = "recorded_at"
)

// Unit is how a rule counts its days.
type Unit string

const (
	WorkingDays  Unit = "working_days"  // England and Wales working days (package calendar)
	CalendarDays Unit = "calendar_days" // every day; a period ending on a weekend is not moved
)

// Rule is one version of a timescale: what starts its clock, whom it
// protects, who must act, and by when. A rule that changes gets a new
// version with its own effective dates, so deadlines whose clocks started
// under the old version keep the old timescale.
type Rule struct {
	ID      string // stable id, e.g. "vc_charge"
	Version string // which edition of the source, e.g. "VC2020"
	Title   string
	Source  string // the citation

	// Starts lists the event types that start the clock; From says which of
	// their times. A name in Starts that is not (yet) in the event vocabulary
	// is an event this rule waits for; see Fallback.
	Starts []string
	From   Clock
	// Fallback says where the clock starts when the Starts event has not
	// happened, or "" if the deadline does not exist until it does.
	Fallback string

	Protects string // the party the rule protects: "complainant", "defendant" or "case"
	Owner    string // the duty holder: "police", "cps", "wcu", "court" or "defence"
	Subject  string // who the deadline is kept for: "complainant" or "defendant"

	Unit Unit
	// Days is the due offset. Victim rules give Enhanced (complainants
	// entitled to the Victims' Code enhanced service: every victim of a sexual
	// offence unless recorded otherwise) and Standard; defendant rules whose
	// timescale depends on remand give Custody and Bail (remand status when
	// the clock starts).
	Days, Enhanced, Standard, Custody, Bail int

	// MetBy lists the event types that meet the duty. For victim_informed,
	// About lists the values of its `about` field that count; empty About
	// means any.
	MetBy []string
	About []string
	// NoticeBefore: the duty is to act on or before the event that starts
	// the clock (a notice), so a meeting event before the clock start counts.
	NoticeBefore bool
	// StrictLimit: the duty is a limit that cannot be met late: an ending
	// event after the due date leaves the deadline missed (custody time
	// limits). Otherwise a late meeting event makes it met_late.
	StrictLimit bool

	// DueSoon is how close to its due date (in the rule's Unit) an unmet
	// deadline is shown as due_soon.
	DueSoon int
	// Warnings are the days before the due date at which warnings fall
	// (custody time limits: 28, 14 and 7).
	Warnings []int

	// The version applies to clocks that start on or after EffectiveFrom and
	// before EffectiveTo; a zero time is unbounded. (The custody time limit
	// versions choose by custody dates instead: see ctl_crown's Notes.)
	EffectiveFrom, EffectiveTo time.Time
	Notes                      string

	from, to calendar.Day
}

// DueDays returns the due offset for a complainant entitled to the enhanced
// service (enhanced) and a defendant in custody (custody).
func (r *Rule) DueDays(enhanced, custody bool) int {
	switch {
	case r.Enhanced != 0 || r.Standard != 0:
		if enhanced {
			return r.Enhanced
		}
		return r.Standard
	case r.Custody != 0 || r.Bail != 0:
		if custody {
			return r.Custody
		}
		return r.Bail
	}
	return r.Days
}

// InForce reports whether this version applies to a clock starting on t.
func (r *Rule) InForce(t time.Time) bool { return r.inForce(calendar.DayOf(t)) }

func (r *Rule) inForce(d calendar.Day) bool { return d >= r.from && d < r.to }

// Rule ids.
const (
	VCCharge          = "vc_charge"
	VCRemandChange    = "vc_remand_change"
	VCHearingDate     = "vc_hearing_date"
	VCOutcome         = "vc_outcome"
	VCLLetter         = "vcl_letter"
	EarlyAdvice       = "early_advice"
	PTPH              = "ptph"
	BCMStage1         = "bcm_stage1"
	BCMStage2         = "bcm_stage2"
	CTLMagistrates    = "ctl_magistrates"
	CTLCrown          = "ctl_crown"
	InfoRequestNotice = "info_request_notice"
	RegularUpdate     = "regular_update"
)

// Event types of the vocabulary that start or meet the BCM and information
// request rules.
const (
	TypeStage1Served         = throughline.TypeStage1Served
	TypeStage2Served         = throughline.TypeStage2Served
	TypeInformationRequested = throughline.TypeInformationRequested
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Effective dates.
var (
	victimsCode2015 = date(2015, time.November, 16) // Code of Practice for Victims of Crime 2015 in force
	victimsCode2020 = date(2021, time.April, 1)     // Victims' Code 2020 in force
	bcmPTPH         = date(2016, time.January, 5)   // PTPH and BCM stages nationally
	nationalModel   = date(2023, time.July, 1)      // CPS/NPCC RASSO national operating model
	ctlCovidFrom    = date(2020, time.September, 28)
	ctlCovidTo      = date(2021, time.June, 28)
	ch3AInForce     = date(2026, time.January, 12) // PCSCA 2022 Ch. 3A (Victims and Prisoners Act 2024)
)

const (
	sourceVC2015 = "Code of Practice for Victims of Crime (October 2015), Chapter 2"
	sourceVC2020 = "Code of Practice for Victims of Crime in England and Wales (2020); a statutory duty from 29 January 2025 (Victims and Prisoners Act 2024)"
)

// victimRule returns the two editions of a Victims' Code duty (2015 and
// 2020 codes: the same timescales, different sources).
func victimRule(r Rule, right2015, right2020 string) []Rule {
	r.Protects, r.Subject, r.Unit, r.DueSoon = "complainant", "complainant", WorkingDays, 2
	a, b := r, r
	a.Version, a.Source, a.EffectiveFrom, a.EffectiveTo = "VC2015", sourceVC2015+", "+right2015, victimsCode2015, victimsCode2020
	b.Version, b.Source, b.EffectiveFrom = "VC2020", sourceVC2020+", "+right2020, victimsCode2020
	return []Rule{a, b}
}

var table = func() []Rule {
	var t []Rule
	t = append(t, victimRule(Rule{
		ID: VCCharge, Title: "Victim told of the charge (and bail or custody on charge)",
		Starts: []string{"charged"}, From: FromRecorded, Owner: "police",
		Enhanced: 1, Standard: 5, MetBy: []string{"victim_informed"}, About: []string{"charged"},
	}, "police: charge decisions and bail", "Right 6")...)
	t = append(t, victimRule(Rule{
		ID: VCRemandChange, Title: "Victim told of a change in remand: custody, bail or release",
		Starts: []string{"remand_status_changed"}, From: FromRecorded, Owner: "wcu",
		Enhanced: 1, Standard: 5, MetBy: []string{"victim_informed"}, About: []string{"remand_status_changed"},
		Notes: "After charge remand decisions are the court's, passed to the victim by the Witness Care Unit.",
	}, "Witness Care Unit: bail and remand decisions", "Right 6")...)
	t = append(t, victimRule(Rule{
		ID: VCHearingDate, Title: "Victim told the date, time and place of a hearing",
		Starts: []string{"hearing_listed"}, From: FromRecorded, Owner: "wcu",
		Enhanced: 1, Standard: 5, MetBy: []string{"victim_informed"}, About: []string{"hearing_listed"},
		Notes: "Every listing, including a hearing moved to a new date, starts a clock: the clock runs from when the WCU receives the listing (recorded_at).",
	}, "Witness Care Unit: hearings", "Right 8")...)
	t = append(t, victimRule(Rule{
		ID: VCOutcome, Title: "Victim told the outcome of a hearing, the verdict or the sentence",
		Starts: []string{"hearing_held", "verdict", "sentenced"}, From: FromRecorded, Owner: "wcu",
		Enhanced: 1, Standard: 5, MetBy: []string{"victim_informed"}, About: []string{"hearing_held", "verdict", "sentenced"},
	}, "Witness Care Unit: outcomes", "Rights 8 and 9")...)
	t = append(t, Rule{
		ID: VCLLetter, Version: "VCL", Title: "Victim Communication and Liaison letter: prosecution discontinued, no evidence offered or charge altered",
		Source: "CPS Victim Communication and Liaison (VCL) scheme; Victims' Code Right 6; the letter opens the Victims' Right to Review",
		Starts: []string{"prosecution_stopped"}, From: FromOccurred, Protects: "complainant", Subject: "complainant", Owner: "cps",
		Unit: WorkingDays, Enhanced: 1, Standard: 5, MetBy: []string{"victim_informed"}, About: []string{"prosecution_stopped"},
		DueSoon: 2, EffectiveFrom: victimsCode2015,
		Notes: "The CPS makes the decision and owes the letter, so its clock runs from the decision (occurred_at).",
	})
	t = append(t, Rule{
		ID: EarlyAdvice, Version: "NOM2023", Title: "Early investigative advice given",
		Source: "CPS and NPCC joint national operating model for RASSO (2023): early advice within 21 days of the file",
		Starts: []string{"file_submitted"}, From: FromOccurred, Protects: "case", Subject: "defendant", Owner: "cps",
		Unit: CalendarDays, Days: 21, MetBy: []string{"early_advice_given"}, DueSoon: 7, EffectiveFrom: nationalModel,
		Notes: "Only files submitted with purpose early_advice. A charging-decision file for the suspect before the due date makes it not applicable.",
	})
	t = append(t, Rule{
		ID: PTPH, Version: "BCM2016", Title: "Plea and Trial Preparation Hearing held",
		Source: "Better Case Management (2016); Criminal Practice Directions: PTPH within 28 days of sending",
		Starts: []string{"sent_to_crown_court"}, From: FromOccurred, Protects: "case", Subject: "defendant", Owner: "court",
		Unit: CalendarDays, Days: 28, MetBy: []string{"hearing_held"}, DueSoon: 7, EffectiveFrom: bcmPTPH,
		Notes: "Met by a hearing_held for a hearing listed as kind ptph.",
	})
	t = append(t, Rule{
		ID: BCMStage1, Version: "BCM2016", Title: "Stage 1: prosecution case served",
		Source: "Better Case Management (2016); standard PTPH directions: Stage 1 50 days after sending (custody), 70 (bail)",
		Starts: []string{"sent_to_crown_court"}, From: FromOccurred, Protects: "case", Subject: "defendant", Owner: "cps",
		Unit: CalendarDays, Custody: 50, Bail: 70, MetBy: []string{TypeStage1Served}, DueSoon: 7, EffectiveFrom: bcmPTPH,
		Notes: "Custody or bail is the defendant's remand status at the end of the day of sending.",
	})
	t = append(t, Rule{
		ID: BCMStage2, Version: "BCM2016", Title: "Stage 2: defence response (defence statement)",
		Source: "Better Case Management (2016); standard PTPH directions: Stage 2 28 days after Stage 1",
		Starts: []string{TypeStage1Served}, Fallback: "the Stage 1 due date", From: FromOccurred,
		Protects: "case", Subject: "defendant", Owner: "defence",
		Unit: CalendarDays, Days: 28, MetBy: []string{TypeStage2Served}, DueSoon: 7, EffectiveFrom: bcmPTPH,
	})
	t = append(t, Rule{
		ID: CTLMagistrates, Version: "1987", Title: "Custody time limit in the magistrates' court",
		Source: "Prosecution of Offences (Custody Time Limits) Regulations 1987 (SI 1987/299) reg. 4; CrimPR Part 14",
		Starts: []string{"hearing_held"}, Fallback: "the charge date, when no first appearance has been held", From: FromOccurred,
		Protects: "defendant", Subject: "defendant", Owner: "cps",
		Unit: CalendarDays, Days: 56, MetBy: []string{"sent_to_crown_court", "verdict", "prosecution_stopped", "sentenced"},
		StrictLimit: true, DueSoon: 28, Warnings: []int{28, 14, 7},
		Notes: "From the first appearance (the first first_appearance hearing held on or after the charge). " +
			"Counts custody days only: bail stops the clock and a later remand resumes it. 56 days is the summary-only " +
			"and summary-trial limit; the 70-day either-way limit pending a mode of trial decision is not modelled.",
	})
	crown := Rule{
		ID: CTLCrown, Version: "1987", Title: "Custody time limit in the Crown Court",
		Source: "Prosecution of Offences (Custody Time Limits) Regulations 1987 (SI 1987/299) reg. 5(6B): 182 days from sending less the magistrates' custody",
		Starts: []string{"sent_to_crown_court"}, From: FromOccurred, Protects: "defendant", Subject: "defendant", Owner: "cps",
		Unit: CalendarDays, Days: 182, MetBy: []string{"trial_started", "verdict", "prosecution_stopped", "sentenced"},
		StrictLimit: true, DueSoon: 28, Warnings: []int{28, 14, 7},
		Notes: "Counts custody days since sending plus the days in the custody of the magistrates' court since the first appearance. " +
			"A ctl_extended decision made before the limit expired replaces the expiry date.",
	}
	covid := crown
	covid.Version, covid.Days = "SI2020/953", 238
	covid.Source = "Prosecution of Offences (Custody Time Limits) (Coronavirus) (Amendment) Regulations 2020 (SI 2020/953) regs. 2(b) and 3: 238 days"
	covid.EffectiveFrom, covid.EffectiveTo = ctlCovidFrom, ctlCovidTo
	covid.Notes = "Chosen by custody dates, not the clock start: not for an accused already subject to a Crown Court limit before 28 Sep 2020 (reg. 3(1)); " +
		"for an accused first in custody on or after 28 Sep 2020 and before 28 Jun 2021 it continues after 28 Jun 2021 (reg. 3(2)); " +
		"for one first in custody before 28 Sep 2020 but sent after it, 238 days only while the Regulations were in force (to 27 Jun 2021), " +
		"after which the 182-day limit applies again (flagged for review). The under-18 exclusion (reg. 1A, SI 2021/91) needs the defendant's date of birth, which is not recorded."
	t = append(t, crown, covid)
	t = append(t, Rule{
		ID: InfoRequestNotice, Version: "PCSCA2022", Title: "Victim given notice of a request for information about them",
		Source: "Police, Crime, Sentencing and Courts Act 2022 s.44B (Chapter 3A, inserted by the Victims and Prisoners Act 2024), in force 12 January 2026",
		Starts: []string{TypeInformationRequested}, From: FromOccurred, Protects: "complainant", Subject: "complainant", Owner: "police",
		Unit: CalendarDays, Days: 0, MetBy: []string{"victim_informed"}, About: []string{TypeInformationRequested},
		NoticeBefore: true, DueSoon: 0, EffectiveFrom: ch3AInForce,
		Notes: "Due on or before the request. Notices and requests are paired in date order: a notice given after the previous request and on or before this one is on time; otherwise the first unused notice after it is late.",
	})
	t = append(t, Rule{
		ID: RegularUpdate, Version: "TL1", Title: "Regular update to the victim, even when nothing has changed",
		Source: "Throughline service standard (configurable per complainant by contact_preferences_set.routine_every_days)",
		Starts: []string{"victim_informed", "charged"}, From: FromOccurred, Protects: "complainant", Subject: "complainant", Owner: "wcu",
		Unit: CalendarDays, Days: 28, MetBy: []string{"victim_informed"}, DueSoon: 7,
		Notes: "From the charge (recorded_at of the first charge) and then from each victim_informed (any about) while the case is post-charge and not concluded. " +
			"The period is routine_every_days from the latest contact preferences set on or before the clock start, else 28.",
	})
	for i := range t {
		t[i].from, t[i].to = math.MinInt32, math.MaxInt32
		if !t[i].EffectiveFrom.IsZero() {
			t[i].from = calendar.DayOf(t[i].EffectiveFrom)
		}
		if !t[i].EffectiveTo.IsZero() {
			t[i].to = calendar.DayOf(t[i].EffectiveTo)
		}
	}
	return t
}()

// ruleSet is every version of one rule id.
type ruleSet struct {
	id       string
	versions []*Rule
}

// at returns the version in force for a clock starting on d, or nil. Where
// versions overlap the later-starting one wins.
func (rs *ruleSet) at(d calendar.Day) *Rule {
	var best *Rule
	for _, r := range rs.versions {
		if r.inForce(d) && (best == nil || r.from > best.from) {
			best = r
		}
	}
	return best
}

// first returns the first version in the table: its rule-wide attributes
// (unit, duty holder, due-soon threshold) are shared by every version.
func (rs *ruleSet) first() *Rule { return rs.versions[0] }

var (
	ruleSets  = map[string]*ruleSet{}
	ruleOrder []string

	rsVCCharge, rsVCRemand, rsVCHearing, rsVCOutcome, rsVCL *ruleSet
	rsEarlyAdvice, rsPTPH, rsStage1, rsStage2               *ruleSet
	rsCTLMags, rsCTLCrown, rsInfoRequest, rsRegular         *ruleSet
)

func init() {
	for i := range table {
		r := &table[i]
		rs := ruleSets[r.ID]
		if rs == nil {
			rs = &ruleSet{id: r.ID}
			ruleSets[r.ID] = rs
			ruleOrder = append(ruleOrder, r.ID)
		}
		rs.versions = append(rs.versions, r)
	}
	rsVCCharge, rsVCRemand, rsVCHearing = ruleSets[VCCharge], ruleSets[VCRemandChange], ruleSets[VCHearingDate]
	rsVCOutcome, rsVCL, rsEarlyAdvice = ruleSets[VCOutcome], ruleSets[VCLLetter], ruleSets[EarlyAdvice]
	rsPTPH, rsStage1, rsStage2 = ruleSets[PTPH], ruleSets[BCMStage1], ruleSets[BCMStage2]
	rsCTLMags, rsCTLCrown = ruleSets[CTLMagistrates], ruleSets[CTLCrown]
	rsInfoRequest, rsRegular = ruleSets[InfoRequestNotice], ruleSets[RegularUpdate]
}

// Rules returns the rule table: every version of every rule, in table order.
// The slices inside are shared and must not be changed.
func Rules() []Rule { return append([]Rule(nil), table...) }

// RuleIDs returns the rule ids in table order.
func RuleIDs() []string { return append([]string(nil), ruleOrder...) }

// RuleAt returns the version of rule id in force for a clock starting on t.
func RuleAt(id string, t time.Time) (Rule, bool) {
	rs := ruleSets[id]
	if rs == nil {
		return Rule{}, false
	}
	r := rs.at(calendar.DayOf(t))
	if r == nil {
		return Rule{}, false
	}
	return *r, true
}
