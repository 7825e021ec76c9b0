package deadline_test

import (
	"testing"

	"throughline"
	"throughline/deadline"
)

// assault is an offence outside the sexual offence reference data: its
// victims get the enhanced service only if recorded as entitled to it.
var assault = []throughline.Offence{{HOCode: "8N"}}

// nonSexual makes the case one of a non-sexual offence, as opened and charged.
func (l *caseLog) nonSexual() *caseLog {
	for _, e := range l.evs {
		switch d := e.Data.(type) {
		case *throughline.CaseOpened:
			d.Offences = assault
		case *throughline.Charged:
			d.Offences = assault
		}
	}
	return l
}

// A complainant of a sexual offence is entitled to the enhanced service even
// when stored as not enhanced: 1 working day, not 5.
func TestSexualOffenceComplainantAlwaysEnhanced(t *testing.T) {
	// Rape: C2 recorded enhanced: false. Charged Fri 1 Mar 2024: due Mon 4 Mar.
	l := open("2024-01-02", true, "D1").charge("2024-03-01", "D1", "bail")
	check(t, one(t, l.compute(), deadline.VCCharge, "complainant:C2", "defendant:D1"), "2024-03-04", "-", 0, "2024-03-01", deadline.StatusDueSoon)
	// The same case of assault: C2's record decides: 5 working days, Fri 8 Mar.
	l = open("2024-01-02", true, "D1").charge("2024-03-01", "D1", "bail").nonSexual()
	check(t, one(t, l.compute(), deadline.VCCharge, "complainant:C2", "defendant:D1"), "2024-03-08", "-", 0, "2024-03-01", deadline.StatusPending)
	// Opened as assault but charged with rape: the charge makes it a sexual offence.
	l = open("2024-01-02", true, "D1").nonSexual().charge("2024-03-01", "D1", "bail")
	check(t, one(t, l.compute(), deadline.VCCharge, "complainant:C2", "defendant:D1"), "2024-03-04", "-", 0, "2024-03-01", deadline.StatusDueSoon)
}

// Under the 2020 Code a hearing's date (Right 8.1) and an outcome (Right 9)
// are due within 1 working day for all victims; the 2015 Code kept 5 for
// victims without the enhanced service.
func TestHearingAndOutcomeOneDayForAll(t *testing.T) {
	// Not a sexual offence, C2 not enhanced. Listing received Thu 17 Apr 2025:
	// Good Friday 18, Easter Monday 21 → due Tue 22 Apr for C1 and C2 alike.
	l := open("2024-06-03", true, "D1").charge("2025-01-06", "D1", "bail").sent("2025-01-07", "D1").
		hearing("2025-04-17", "P1", "ptph", "2025-05-06").
		add("2025-05-06", &throughline.HearingHeld{HearingID: "P1", Outcome: "effective"}).
		add("2025-05-09", &throughline.Verdict{DefendantID: "D1", Result: "guilty_plea"}).
		nonSexual()
	ds := l.compute()
	for _, c := range []string{"complainant:C1", "complainant:C2"} {
		check(t, one(t, ds, deadline.VCHearingDate, c, "hearing:P1"), "2025-04-22", "-", 0, "2025-04-17", deadline.StatusDueSoon)
		// PTPH held Tue 6 May → Wed 7 May; plea Fri 9 May → Mon 12 May.
		check(t, one(t, ds, deadline.VCOutcome, c, "hearing:P1"), "2025-05-07", "-", 0, "2025-05-06", deadline.StatusDueSoon)
		check(t, one(t, ds, deadline.VCOutcome, c, "defendant:D1"), "2025-05-12", "-", 0, "2025-05-09", deadline.StatusDueSoon)
	}
	// Under the 2015 Code (clock from Thu 11 Mar 2021): C2 had 5 working days,
	// Fri 12, Mon 15, Tue 16, Wed 17, Thu 18 Mar.
	l = open("2020-06-01", true, "D1").charge("2021-01-06", "D1", "bail").sent("2021-01-07", "D1").
		hearing("2021-03-11", "P1", "ptph", "2021-04-06").nonSexual()
	d := one(t, l.compute(), deadline.VCHearingDate, "complainant:C2", "hearing:P1")
	check(t, d, "2021-03-18", "-", 0, "2021-03-11", deadline.StatusPending)
	if d.RuleVersion != "VC2015" {
		t.Errorf("version %s", d.RuleVersion)
	}
}

// The CPS's decision not to charge owes the victim a VCL letter.
func TestVCLNoCharge(t *testing.T) {
	l := open("2022-06-01", true, "S1")
	l.add("2023-04-20", &throughline.FileSubmitted{SuspectID: "S1", Purpose: "charging_decision"})
	// Decided Fri 5 May 2023; Mon 8 May the coronation bank holiday.
	l.add("2023-05-05", &throughline.ChargingDecision{SuspectID: "S1", Decision: "no_further_action"})
	l.told("2023-05-10", "C1", "charging_decision")
	ds := l.compute()
	// Enhanced: due Tue 9 May; told Wed 10: 1 working day late.
	d := one(t, ds, deadline.VCLNoCharge, "complainant:C1", "defendant:S1")
	check(t, d, "2023-05-09", "2023-05-10", 1, "2023-06-01", deadline.StatusMetLate)
	if d.Owner != "cps" || d.StartedBy != "charging_decision" {
		t.Errorf("%+v", d)
	}
	// C2, recorded not enhanced, is a victim of rape: 1 working day too.
	check(t, one(t, ds, deadline.VCLNoCharge, "complainant:C2", "defendant:S1"), "2023-05-09", "-", 0, "2023-05-10", deadline.StatusMissed)
	// A decision to charge owes no such letter.
	ds = open("2022-06-01", false, "S1").charge("2023-05-05", "S1", "bail").compute()
	if got := pick(ds, deadline.VCLNoCharge, "complainant:C1", "*"); len(got) != 0 {
		t.Errorf("letter for a charge:\n%s", dump(got))
	}
}
