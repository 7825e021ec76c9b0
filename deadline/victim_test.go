package deadline_test

import (
	"testing"

	"throughline"
	"throughline/deadline"
)

// vc_charge across Christmas 2020, for an enhanced and a standard complainant.
func TestVCChargeChristmas2020(t *testing.T) {
	l := open("2020-06-01", true, "D1").
		charge("2020-12-24", "D1", "bail").
		told("2020-12-30", "C1", "charged"). // a day late
		told("2021-01-04", "C2", "charged"). // in time
		nonSexual()                          // C2 gets the standard service only outside sexual offences
	ds := l.compute()

	c1 := one(t, ds, deadline.VCCharge, "complainant:C1", "defendant:D1")
	// Charged Thu 24 Dec 2020; enhanced: 1 working day. Fri 25 (Christmas),
	// Sat, Sun, Mon 28 (Boxing Day substitute) → due Tue 29 Dec.
	// Told Wed 30: working days (29, 30] = 1 late.
	check(t, c1, "2020-12-29", "2020-12-30", 1, "2021-01-31", deadline.StatusMetLate)
	if c1.RuleVersion != "VC2015" || c1.Owner != "police" || c1.StartedBy != "charged" || c1.MetBy != "victim_informed" {
		t.Errorf("c1 = %+v", c1)
	}
	// As of Tue 29 (the due day; the telling came on the 30th): due soon.
	if s := c1.Status(day("2020-12-29")); s != deadline.StatusDueSoon {
		t.Errorf("status on the due day = %s, want due_soon", s)
	}

	c2 := one(t, ds, deadline.VCCharge, "complainant:C2", "defendant:D1")
	// Standard: 5 working days from Thu 24: Tue 29 (1), Wed 30 (2), Thu 31
	// (3), [Fri 1 Jan holiday], Mon 4 (4), Tue 5 Jan (5).
	check(t, c2, "2021-01-05", "2021-01-04", 0, "2021-01-31", deadline.StatusMet)
	// Before the telling: as of Thu 31 Dec, (31 Dec, 5 Jan] = Mon 4, Tue 5 =
	// 2 working days left → due soon; as of Tue 29, (29, 5] = 4 → pending.
	if s := c2.Status(day("2020-12-29")); s != deadline.StatusPending {
		t.Errorf("status 29 Dec = %s, want pending", s)
	}
	if s := c2.Status(day("2020-12-31")); s != deadline.StatusDueSoon {
		t.Errorf("status 31 Dec = %s, want due_soon", s)
	}
	// Victims' Code 2020 applies to clocks from 1 April 2021.
	ds = open("2021-06-01", false, "D1").charge("2022-12-23", "D1", "custody").compute()
	c := one(t, ds, deadline.VCCharge, "complainant:C1", "defendant:D1")
	// Fri 23 Dec 2022 → Mon 26 Boxing Day, Tue 27 Christmas substitute → Wed 28.
	check(t, c, "2022-12-28", "-", 0, "2022-12-29", deadline.StatusMissed)
	if c.RuleVersion != "VC2020" {
		t.Errorf("version %s, want VC2020", c.RuleVersion)
	}
}

// The clock runs from recorded_at (when the agency learned of the charge),
// and an event recorded late and appended after the telling still pairs up.
func TestVCChargeRecordedLateOutOfOrder(t *testing.T) {
	l := open("2024-01-02", false, "D1")
	l.add("2024-03-04", &throughline.FileSubmitted{SuspectID: "D1", Purpose: "charging_decision"})
	l.add("2024-03-04", &throughline.ChargingDecision{SuspectID: "D1", Decision: "charge"})
	// The telling is in the log before the charge it is about.
	l.told("2024-03-11", "C1", "charged")
	// Charged Mon 4 Mar 2024 but recorded Fri 8 Mar.
	l.addRec("2024-03-04", "2024-03-08", &throughline.Charged{DefendantID: "D1", Offences: rape, Method: "bail"})
	ds := l.compute()
	d := one(t, ds, deadline.VCCharge, "complainant:C1", "defendant:D1")
	// The charge is the police's own act: the clock runs from it (occurred_at),
	// not from when it was recorded. Mon 4 Mar + 1 working day = Tue 5 Mar.
	// Told Mon 11: (Tue 5, Mon 11] = Wed 6, Thu 7, Fri 8, Mon 11: 4 working
	// days late. (From recorded_at, Fri 8, it would have been on time.)
	check(t, d, "2024-03-05", "2024-03-11", 4, "2024-04-01", deadline.StatusMetLate)
	if d.Starts != day("2024-03-04") || d.StartVersion != 5 || d.MetVersion != 4 {
		t.Errorf("starts %s (v%d), met v%d; want 2024-03-04 v5, met v4", ds10(d.Starts), d.StartVersion, d.MetVersion)
	}
}

// A telling before the event happened cannot meet it; a telling about
// something else does not either.
func TestVCChargeTellingMustFollowAndMatch(t *testing.T) {
	l := open("2024-01-02", false, "D1").
		told("2024-02-01", "C1", "charged"). // before the charge
		charge("2024-02-05", "D1", "bail").
		told("2024-02-05", "C1", "hearing_listed"). // wrong about
		told("2024-02-05", "C9", "charged")         // not a complainant in the case
	ds := l.compute()
	if got := pick(ds, deadline.VCCharge, "complainant:C9", "*"); len(got) != 0 {
		t.Errorf("duties for someone not in the case:\n%s", dump(got))
	}
	d := one(t, ds, deadline.VCCharge, "complainant:C1", "defendant:D1")
	// Mon 5 Feb 2024 + 1 = Tue 6 Feb.
	check(t, d, "2024-02-06", "-", 0, "2024-02-07", deadline.StatusMissed)
}

// vc_hearing_date around Easter 2025, with a listing moved.
func TestVCHearingDateEaster2025(t *testing.T) {
	l := open("2024-06-01", false, "D1").
		charge("2025-03-03", "D1", "bail").
		sent("2025-03-04", "D1").
		// The WCU receives the listing on Maundy Thursday 17 Apr 2025.
		hearing("2025-04-17", "H1", "ptph", "2025-05-12T10:00:00+01:00").
		told("2025-04-22", "C1", "hearing_listed").
		// Moved on Mon 28 Apr.
		hearing("2025-04-28", "H1", "ptph", "2025-05-19T10:00:00+01:00").
		told("2025-05-02", "C1", "hearing_listed")
	ds := pick(l.compute(), deadline.VCHearingDate, "complainant:C1", "hearing:H1")
	if len(ds) != 2 {
		t.Fatalf("%d deadlines, want one per listing:\n%s", len(ds), dump(ds))
	}
	// Thu 17 Apr → Good Friday 18, weekend, Easter Monday 21 → due Tue 22.
	check(t, ds[0], "2025-04-22", "2025-04-22", 0, "2025-06-01", deadline.StatusMet)
	// Mon 28 Apr → due Tue 29. The telling of 22 Apr came before the move, so
	// it cannot meet it; told Fri 2 May: (29 Apr, 2 May] = 30, 1, 2 → 3 late.
	check(t, ds[1], "2025-04-29", "2025-05-02", 3, "2025-06-01", deadline.StatusMetLate)
	if ds[1].Owner != "wcu" {
		t.Errorf("owner %s, want wcu", ds[1].Owner)
	}
}

// vc_outcome: hearing outcome, verdict on leap day 2024, sentence at Easter 2024.
func TestVCOutcome(t *testing.T) {
	l := open("2023-01-02", false, "D1").
		charge("2023-06-01", "D1", "bail").
		sent("2023-06-02", "D1").
		hearing("2023-06-05", "T1", "trial", "2024-02-26").
		add("2024-02-26", &throughline.TrialStarted{HearingID: "T1"}).
		add("2024-02-29", &throughline.Verdict{DefendantID: "D1", Result: "guilty"}).
		held("2024-02-29", "T1").
		told("2024-03-01", "C1", "verdict").
		add("2024-03-28", &throughline.Sentenced{DefendantID: "D1"}).
		told("2024-04-03", "C1", "sentenced")
	ds := l.compute()
	// Verdict Thu 29 Feb 2024 (a leap day) → due Fri 1 Mar; told Fri 1 Mar.
	outs := pick(ds, deadline.VCOutcome, "complainant:C1", "*")
	// The trial went ahead (held, effective): its outcome is the verdict, so
	// the hearing itself starts no duty of its own.
	if len(outs) != 2 {
		t.Fatalf("%d outcome deadlines, want 2 (verdict, sentence):\n%s", len(outs), dump(ds))
	}
	check(t, outs[0], "2024-03-01", "2024-03-01", 0, "2024-05-01", deadline.StatusMet) // verdict
	if outs[0].StartedBy != "verdict" {
		t.Errorf("first outcome started by %s", outs[0].StartedBy)
	}
	// Sentenced Thu 28 Mar 2024 → Good Friday 29, Easter Monday 1 Apr → due
	// Tue 2 Apr; told Wed 3 Apr: 1 working day late.
	check(t, outs[1], "2024-04-02", "2024-04-03", 1, "2024-05-01", deadline.StatusMetLate)
}

// vc_remand_change with the 2022 State Funeral and Jubilee holidays.
func TestVCRemandChange2022(t *testing.T) {
	l := open("2022-01-04", false, "D1").
		charge("2022-05-20", "D1", "bail").
		remand("2022-06-01", "D1", "custody"). // Wed 1 June 2022
		remand("2022-09-16", "D1", "bail").    // Fri 16 Sep 2022
		told("2022-09-20", "C1", "remand_status_changed")
	ds := pick(l.compute(), deadline.VCRemandChange, "complainant:C1", "defendant:D1")
	if len(ds) != 2 {
		t.Fatalf("want 2:\n%s", dump(ds))
	}
	// Wed 1 Jun → Thu 2 (Spring holiday moved), Fri 3 (Platinum Jubilee) →
	// due Mon 6 Jun. The telling of 20 Sep is far too late: met late by the
	// working days (6 Jun, 20 Sep] (not checked here beyond being late).
	if ds[0].Due != day("2022-06-06") {
		t.Errorf("due %s, want 2022-06-06", ds10(ds[0].Due))
	}
	if s := ds[0].Status(day("2022-06-06")); s != deadline.StatusDueSoon {
		t.Errorf("status on the due day %s", s)
	}
	if s := ds[0].Status(day("2022-06-07")); s != deadline.StatusMissed {
		t.Errorf("status the day after %s, want missed", s)
	}
	if s := ds[0].Status(day("2022-09-20")); s != deadline.StatusMetLate {
		t.Errorf("status once told %s, want met_late", s)
	}
	// Fri 16 Sep → Mon 19 (State Funeral) → due Tue 20; told Tue 20.
	check(t, ds[1], "2022-09-20", "2022-09-20", 0, "2022-10-01", deadline.StatusMet)
}

// vcl_letter runs from the decision (occurred_at), for both service levels,
// around the Coronation bank holiday.
func TestVCLLetterCoronation(t *testing.T) {
	l := open("2022-01-04", true, "D1").
		charge("2022-11-01", "D1", "bail")
	// Discontinued Fri 5 May 2023, recorded Tue 9 May.
	l.addRec("2023-05-05", "2023-05-09", &throughline.ProsecutionStopped{DefendantID: "D1", How: "discontinued"})
	l.told("2023-05-09", "C1", "prosecution_stopped")
	ds := l.nonSexual().compute() // C2 gets the standard service only outside sexual offences
	// Fri 5 May → Mon 8 (Coronation) → due Tue 9 May; told Tue 9.
	check(t, one(t, ds, deadline.VCLLetter, "complainant:C1", "defendant:D1"), "2023-05-09", "2023-05-09", 0, "2023-06-01", deadline.StatusMet)
	// Standard: Tue 9 (1), Wed 10 (2), Thu 11 (3), Fri 12 (4), Mon 15 (5). Not told.
	c2 := one(t, ds, deadline.VCLLetter, "complainant:C2", "defendant:D1")
	check(t, c2, "2023-05-15", "-", 0, "2023-05-16", deadline.StatusMissed)
	if c2.Owner != "cps" {
		t.Errorf("owner %s", c2.Owner)
	}
}

// A complainant who withdrew keeps the victim duties.
func TestWithdrawnComplainantKeepsDuties(t *testing.T) {
	l := open("2024-01-02", true, "D1").
		add("2024-02-01", &throughline.ComplainantWithdrew{ComplainantID: "C2", Reason: "r"}).
		charge("2024-03-01", "D1", "bail").
		nonSexual() // C2 gets the standard service only outside sexual offences
	d := one(t, l.compute(), deadline.VCCharge, "complainant:C2", "defendant:D1")
	// Fri 1 Mar 2024, standard: Mon 4 (1) … Fri 8 (5).
	check(t, d, "2024-03-08", "-", 0, "2024-03-04", deadline.StatusPending)
}

// info_request_notice: due on or before each request; paired in order.
func TestInfoRequestNotice(t *testing.T) {
	l := open("2025-06-01", false, "D1").
		raw(deadline.TypeInformationRequested, "2025-12-01"). // before Ch. 3A was in force
		wrote("2026-02-01", "C1", deadline.TypeInformationRequested).
		raw(deadline.TypeInformationRequested, "2026-02-02"). // notice the day before: on time
		raw(deadline.TypeInformationRequested, "2026-03-02"). // notice two days after
		wrote("2026-03-04", "C1", deadline.TypeInformationRequested).
		raw(deadline.TypeInformationRequested, "2026-04-01") // no notice
	ds := pick(l.compute(), deadline.InfoRequestNotice, "complainant:C1", "")
	if len(ds) != 4 {
		t.Fatalf("want 4:\n%s", dump(ds))
	}
	if s := ds[0].Status(day("2026-05-01")); s != deadline.StatusNotApplicable {
		t.Errorf("request before 12 Jan 2026: %s, want not_applicable (%s)", s, ds[0].NotApplicable)
	}
	check(t, ds[1], "2026-02-02", "2026-02-01", 0, "2026-05-01", deadline.StatusMet)
	// Mon 2 Mar request, notice Wed 4 Mar: (2, 4] = 2 working days late.
	check(t, ds[2], "2026-03-02", "2026-03-04", 2, "2026-05-01", deadline.StatusMetLate)
	check(t, ds[3], "2026-04-01", "-", 0, "2026-05-01", deadline.StatusMissed)
	if ds[1].Owner != "police" {
		t.Errorf("owner %s", ds[1].Owner)
	}
}

// regular_update: a chain from the charge, each telling starting the next
// clock, the complainant's own period from contact preferences, stopping when
// the case concludes.
func TestRegularUpdate(t *testing.T) {
	l := open("2023-06-01", false, "D1").
		told("2023-12-01", "C1", "regular_update"). // pre-charge: ignored
		charge("2024-01-08", "D1", "bail").
		told("2024-01-08", "C1", "charged").        // the charge day: no new period
		told("2024-02-01", "C1", "regular_update"). // within 28 days of 8 Jan (due 5 Feb)
		told("2024-03-15", "C1", "regular_update")  // 28 days from 1 Feb = 29 Feb: late
	l.add("2024-03-10", &throughline.ContactPreferencesSet{ComplainantID: "C1", Channels: []string{"phone"}, Mobile: "07700900000", RoutineEveryDays: 14})
	ds := pick(l.compute(), deadline.RegularUpdate, "complainant:C1", "")
	if len(ds) != 3 {
		t.Fatalf("want 3:\n%s", dump(ds))
	}
	// 8 Jan + 28 = 5 Feb.
	check(t, ds[0], "2024-02-05", "2024-02-01", 0, "2024-04-30", deadline.StatusMet)
	// 1 Feb + 28 = 29 Feb (leap year). Told Fri 15 Mar: (29 Feb, 15 Mar] =
	// Fri 1, Mon 4–Fri 8, Mon 11–Fri 15 = 11 working days late.
	check(t, ds[1], "2024-02-29", "2024-03-15", 11, "2024-04-30", deadline.StatusMetLate)
	// From 15 Mar, every 14 days (preferences set on 10 Mar): due 29 Mar.
	check(t, ds[2], "2024-03-29", "-", 0, "2024-03-22", deadline.StatusDueSoon)
	if s := ds[2].Status(day("2024-03-30")); s != deadline.StatusMissed {
		t.Errorf("%s", s)
	}

	// The case concludes (prosecution stopped) before the next update is due:
	// that update no longer applies.
	l.add("2024-03-20", &throughline.ProsecutionStopped{DefendantID: "D1", How: "discontinued"})
	ds = pick(l.compute(), deadline.RegularUpdate, "complainant:C1", "")
	if len(ds) != 3 || ds[2].Status(day("2024-04-30")) != deadline.StatusNotApplicable {
		t.Fatalf("after conclusion:\n%s", dump(ds))
	}
	// No regular updates before charge at all.
	if ds := pick(open("2024-01-02", false, "D1").told("2024-02-01", "C1", "regular_update").compute(), deadline.RegularUpdate, "complainant:C1", ""); len(ds) != 0 {
		t.Errorf("pre-charge regular updates:\n%s", dump(ds))
	}
}
