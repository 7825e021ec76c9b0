package deadline_test

import (
	"testing"

	"throughline"
	"throughline/deadline"
)

// The duties issue 20 added, each computed by hand from its source across
// bank holidays: when the Witness Care Unit received the news, the court's
// result to it, a police decision of no further action, Right 8.2, bail
// conditions and warrants, the Victims' Right to Review and s.44B notice.

func (l *caseLog) received(date, about, from string, d throughline.NewsReceived) *caseLog {
	d.About, d.From = about, from
	return l.add(date, &d)
}

// The Witness Care Unit's clock runs from its receipt of the news; without
// a recorded receipt, from when the event was recorded.
func TestWCUClockFromReceipt(t *testing.T) {
	base := func() *caseLog {
		return open("2025-06-02", false, "D1").charge("2025-07-01", "D1", "bail").sent("2025-07-02", "D1").
			hearing("2026-04-02", "H1", "mention", "2026-05-11T10:00:00+01:00")
	}
	// Listed Thu 2 Apr 2026, recorded that day, no receipt recorded: from 2
	// Apr; Good Friday 3 and Easter Monday 6 Apr are not working days: Tue 7.
	d := one(t, base().compute(), deadline.VCHearingDate, "complainant:C1", "hearing:H1")
	check(t, d, "2026-04-07", "-", 0, "2026-04-02", deadline.StatusDueSoon)
	// The WCU received it from the court on Tue 7 Apr: 1 working day, Wed 8.
	l := base().received("2026-04-07", throughline.TypeHearingListed, "court", throughline.NewsReceived{HearingID: "H1"})
	d = one(t, l.compute(), deadline.VCHearingDate, "complainant:C1", "hearing:H1")
	check(t, d, "2026-04-08", "-", 0, "2026-04-07", deadline.StatusDueSoon)
	// A receipt about another hearing is not this one's.
	l = base().received("2026-04-07", throughline.TypeHearingListed, "court", throughline.NewsReceived{HearingID: "H9"})
	d = one(t, l.compute(), deadline.VCHearingDate, "complainant:C1", "hearing:H1")
	check(t, d, "2026-04-07", "-", 0, "2026-04-02", deadline.StatusDueSoon)
}

// The court's 5 working days to send a result, and the WCU's 1 from receipt,
// across Christmas and New Year.
func TestCourtResultToWCU(t *testing.T) {
	l := open("2025-06-02", false, "D1").charge("2025-07-01", "D1", "bail").sent("2025-07-02", "D1").
		hearing("2025-11-03", "H1", "mention", "2025-12-18T10:00:00Z").
		add("2025-12-18", &throughline.HearingHeld{HearingID: "H1", Outcome: "ineffective", Reason: "no_judge"}).
		received("2025-12-31", throughline.TypeHearingHeld, "court", throughline.NewsReceived{HearingID: "H1"})
	ds := l.compute()
	// Held Thu 18 Dec 2025: Fri 19 (1), Mon 22 (2), Tue 23 (3), Wed 24 (4),
	// Christmas Day and Boxing Day, Mon 29 (5). Received Wed 31: 2 late (30, 31).
	court := one(t, ds, deadline.CourtResult, "case", "hearing:H1")
	check(t, court, "2025-12-29", "2025-12-31", 2, "2026-01-05", deadline.StatusMetLate)
	if court.Owner != "court" {
		t.Errorf("owner %s", court.Owner)
	}
	// Received Wed 31 Dec: Thu 1 Jan 2026 is New Year's Day: due Fri 2 Jan.
	wcu := one(t, ds, deadline.VCOutcome, "complainant:C1", "hearing:H1")
	check(t, wcu, "2026-01-02", "-", 0, "2026-01-05", deadline.StatusMissed)

	// News of it from the CPS is the WCU's receipt, not the court's sending.
	l = open("2025-06-02", false, "D1").charge("2025-07-01", "D1", "bail").sent("2025-07-02", "D1").
		hearing("2025-11-03", "H1", "mention", "2025-12-18T10:00:00Z").
		add("2025-12-18", &throughline.HearingHeld{HearingID: "H1", Outcome: "ineffective", Reason: "no_judge"}).
		received("2025-12-19", throughline.TypeHearingHeld, "cps", throughline.NewsReceived{HearingID: "H1"})
	ds = l.compute()
	check(t, one(t, ds, deadline.CourtResult, "case", "hearing:H1"), "2025-12-29", "-", 0, "2026-01-05", deadline.StatusMissed)
	check(t, one(t, ds, deadline.VCOutcome, "complainant:C1", "hearing:H1"), "2025-12-22", "-", 0, "2025-12-19", deadline.StatusDueSoon)
}

// A police decision of no further action: 1 working day for a victim of a
// sexual offence even when recorded as not enhanced; 5 otherwise.
func TestPoliceNFACoronation(t *testing.T) {
	nfa := &throughline.PoliceNoFurtherAction{SuspectID: "D1"}
	// Fri 5 May 2023; Mon 8 May was the coronation bank holiday: Tue 9.
	l := open("2023-01-03", true, "D1").add("2023-05-05", nfa)
	for _, c := range []string{"complainant:C1", "complainant:C2"} {
		d := one(t, l.compute(), deadline.VCPoliceNFA, c, "defendant:D1")
		check(t, d, "2023-05-09", "-", 0, "2023-05-05", deadline.StatusDueSoon)
		if d.Owner != "police" {
			t.Errorf("owner %s", d.Owner)
		}
	}
	// Not a sexual offence, C2 not enhanced: Tue 9 (1) … Mon 15 May (5);
	// told by phone on Mon 15: on time.
	l = open("2023-01-03", true, "D1").add("2023-05-05", nfa).told("2023-05-15", "C2", throughline.TypePoliceNoFurtherAction).nonSexual()
	check(t, one(t, l.compute(), deadline.VCPoliceNFA, "complainant:C2", "defendant:D1"), "2023-05-15", "2023-05-15", 0, "2023-05-15", deadline.StatusMet)
}

// Right 8.2: told within 1 working day, for all victims, of the WCU
// receiving the CPS's decision; across the Platinum Jubilee.
func TestEvidenceRequiredJubilee(t *testing.T) {
	l := open("2021-06-01", true, "D1").nonSexual().
		add("2022-05-31", &throughline.WitnessRequirementDecided{ComplainantID: "C2", Requirement: "required"}).
		received("2022-06-01", throughline.TypeWitnessRequirementDecided, "cps", throughline.NewsReceived{ComplainantID: "C2"})
	// Received Wed 1 Jun 2022; Thu 2 and Fri 3 Jun were bank holidays: Mon 6,
	// though C2 is not enhanced.
	check(t, one(t, l.compute(), deadline.VCEvidence, "complainant:C2", ""), "2022-06-06", "-", 0, "2022-06-01", deadline.StatusDueSoon)
	if ds := pick(l.compute(), deadline.VCEvidence, "complainant:C1", "*"); len(ds) != 0 {
		t.Errorf("a decision about C2 owes C1 nothing:\n%s", dump(ds))
	}
}

// Right 8.1: a warrant, told within 1 working day (enhanced) or 5, across
// the State Funeral of 19 September 2022.
func TestWarrantStateFuneral(t *testing.T) {
	l := open("2021-06-01", true, "D1").charge("2022-01-10", "D1", "bail").nonSexual().
		add("2022-09-16", &throughline.WarrantIssued{DefendantID: "D1"}).
		add("2022-09-20", &throughline.VictimInformed{ComplainantID: "C1", About: throughline.TypeWarrantIssued, Channel: "phone"})
	ds := l.compute()
	// Fri 16 Sep, received (recorded) that day; Mon 19 a bank holiday: Tue 20.
	check(t, one(t, ds, deadline.VCBailWarrant, "complainant:C1", "defendant:D1"), "2022-09-20", "2022-09-20", 0, "2022-09-20", deadline.StatusMet)
	// C2, standard: Tue 20 (1) … Mon 26 (5).
	check(t, one(t, ds, deadline.VCBailWarrant, "complainant:C2", "defendant:D1"), "2022-09-26", "-", 0, "2022-09-27", deadline.StatusMissed)
}

// The Victims' Right to Review: the scheme's 30 working days to decide,
// across Christmas and New Year; a decision of the other scheme does not
// meet it.
func TestVRRResponse(t *testing.T) {
	l := open("2025-01-06", false, "D1").
		add("2025-12-01", &throughline.ReviewRequested{ComplainantID: "C1", Scheme: "cps"}).
		add("2025-12-01", &throughline.ReviewRequested{ComplainantID: "C1", Scheme: "police"}).
		add("2026-01-14", &throughline.ReviewDecided{ComplainantID: "C1", Scheme: "cps", Result: "decision_upheld"})
	ds := l.compute()
	// Mon 1 Dec 2025: 2–5 Dec (4), 8–12 (9), 15–19 (14), 22–24 (17), 29–31
	// (20), Fri 2 Jan (21), 5–9 (26), 12–15 (30): Thu 15 Jan 2026.
	check(t, one(t, ds, deadline.VRRCPS, "complainant:C1", ""), "2026-01-15", "2026-01-14", 0, "2026-01-20", deadline.StatusMet)
	police := one(t, ds, deadline.VRRPolice, "complainant:C1", "")
	check(t, police, "2026-01-15", "-", 0, "2026-01-20", deadline.StatusMissed)
	if police.Owner != "police" {
		t.Errorf("owner %s", police.Owner)
	}
}

// s.44B: notice in writing; a later notice with its reason recorded first is
// met, not late; the s.44B(5) exception owes none.
func TestInfoRequestNoticeLaw(t *testing.T) {
	req := func(id string) *throughline.InformationRequested {
		return &throughline.InformationRequested{ComplainantID: "C1", RequestID: id, Material: "medical", Holder: "GP", Reason: "to establish the timeline of injuries"}
	}
	exc := func(id, kind string) *throughline.InformationNoticeException {
		return &throughline.InformationNoticeException{ComplainantID: "C1", RequestID: id, Exception: kind, Reason: "the victim was in hospital and could not be reached"}
	}
	l := open("2025-06-02", false, "D1").
		add("2026-02-02", req("R1")).
		told("2026-02-02", "C1", throughline.TypeInformationRequested). // a phone call is not notice in writing
		add("2026-03-02", req("R2")).
		add("2026-03-02", exc("R2", throughline.NoticeLater)).
		wrote("2026-03-04", "C1", throughline.TypeInformationRequested). // not reasonably practicable before: met
		add("2026-04-01", req("R3")).
		add("2026-04-01", exc("R3", throughline.NoticeNone)).
		add("2026-05-01", req("R4")).
		wrote("2026-05-05", "C1", throughline.TypeInformationRequested).
		add("2026-05-06", exc("R4", throughline.NoticeLater)). // the reason came after the notice: late
		add("2026-06-01", req("R5")).
		add("2026-06-01", exc("R5", throughline.NoticeLater))
	ds := pick(l.compute(), deadline.InfoRequestNotice, "complainant:C1", "")
	if len(ds) != 5 {
		t.Fatalf("want 5:\n%s", dump(ds))
	}
	check(t, ds[0], "2026-02-02", "-", 0, "2026-02-03", deadline.StatusMissed)
	check(t, ds[1], "-", "2026-03-04", 0, "2026-03-05", deadline.StatusMet)
	if ds[2].Status(day("2026-05-01")) != deadline.StatusNotApplicable {
		t.Errorf("s.44B(5): %s (%s)", ds[2].Status(day("2026-05-01")), ds[2].NotApplicable)
	}
	// Fri 1 May 2026 request, Tue 5 May notice (Mon 4 May a bank holiday): 1 working day late.
	check(t, ds[3], "2026-05-01", "2026-05-05", 1, "2026-05-06", deadline.StatusMetLate)
	// Reason recorded, no notice yet: no fixed day, so it needs attention.
	if ds[4].Alert == "" || ds[4].Status(day("2026-06-10")) != deadline.StatusDueSoon {
		t.Errorf("later notice outstanding: %s, alert %q", ds[4].Status(day("2026-06-10")), ds[4].Alert)
	}
}

// A notice naming its request meets that request's deadline only: a notice
// of the later request does not pass, in date order, for a late notice of
// the earlier one.
func TestInfoRequestNoticeNamesItsRequest(t *testing.T) {
	req := func(id string) *throughline.InformationRequested {
		return &throughline.InformationRequested{ComplainantID: "C1", RequestID: id, Material: "medical", Holder: "GP", Reason: "to establish the timeline of injuries"}
	}
	notice := func(id string) *throughline.VictimInformed {
		return &throughline.VictimInformed{ComplainantID: "C1", About: throughline.TypeInformationRequested, Channel: "email", RequestID: id}
	}
	l := open("2025-06-02", false, "D1").
		add("2026-03-02", req("R1")).
		add("2026-03-04", notice("R2")). // in advance of R2, on time; says nothing of R1
		add("2026-03-05", req("R2"))
	ds := pick(l.compute(), deadline.InfoRequestNotice, "complainant:C1", "")
	if len(ds) != 2 {
		t.Fatalf("want 2:\n%s", dump(ds))
	}
	check(t, ds[0], "2026-03-02", "-", 0, "2026-03-03", deadline.StatusMissed)
	check(t, ds[1], "2026-03-05", "2026-03-04", 0, "2026-03-06", deadline.StatusMet)
}

// The request is made when it is sent (s.44A(2)): a notice after the draft
// but on or before the send is on time; one after the send is late; a
// request withdrawn unsent owes none.
func TestInfoRequestNoticeByTheSend(t *testing.T) {
	req := func(id string) *throughline.InformationRequested {
		return &throughline.InformationRequested{ComplainantID: "C1", RequestID: id, Material: "medical", Holder: "GP", Reason: "to establish the timeline of injuries"}
	}
	notice := func(id string) *throughline.VictimInformed {
		return &throughline.VictimInformed{ComplainantID: "C1", About: throughline.TypeInformationRequested, Channel: "letter", RequestID: id}
	}
	sent := func(id string) *throughline.InformationRequestSent {
		return &throughline.InformationRequestSent{ComplainantID: "C1", RequestID: id}
	}
	l := open("2025-06-02", false, "D1").
		add("2026-03-02", req("R1")).
		add("2026-03-04", notice("R1")). // two days after the draft, the day it is sent
		add("2026-03-04", sent("R1")).
		add("2026-03-02", req("R2")).
		add("2026-03-09", sent("R2")).
		add("2026-03-10", notice("R2")). // the day after it was sent: late
		add("2026-03-02", req("R3")).
		add("2026-03-03", &throughline.InformationRequestWithdrawn{ComplainantID: "C1", RequestID: "R3", Reason: "She gave the dates herself in a statement."})
	ds := pick(l.compute(), deadline.InfoRequestNotice, "complainant:C1", "")
	if len(ds) != 3 {
		t.Fatalf("want 3:\n%s", dump(ds))
	}
	check(t, ds[0], "2026-03-04", "2026-03-04", 0, "2026-03-05", deadline.StatusMet)
	check(t, ds[1], "2026-03-09", "2026-03-10", 1, "2026-03-11", deadline.StatusMetLate)
	if ds[2].Status(day("2026-03-20")) != deadline.StatusNotApplicable {
		t.Errorf("withdrawn unsent: %s (%s)", ds[2].Status(day("2026-03-20")), ds[2].NotApplicable)
	}
}

// A child's notice is given to an adult for her (s.44B(4)): a letter to
// her own address does not meet the deadline; one to her mother does.
func TestInfoRequestNoticeToAChild(t *testing.T) {
	req := &throughline.InformationRequested{ComplainantID: "C1", RequestID: "R1", Material: "education", Holder: "school", Reason: "to establish when she first told a teacher"}
	l := open("2025-06-02", false, "D1")
	l.evs[0].Data.(*throughline.CaseOpened).Complainants[0].DateOfBirth = "2011-09-01"
	toHer := &throughline.VictimInformed{ComplainantID: "C1", About: throughline.TypeInformationRequested, Channel: "letter", RequestID: "R1"}
	l.add("2026-03-02", req).add("2026-03-02", toHer)
	check(t, one(t, l.compute(), deadline.InfoRequestNotice, "complainant:C1", ""), "2026-03-02", "-", 0, "2026-03-03", deadline.StatusMissed)
	toMother := *toHer
	toMother.Recipient = "parent_or_guardian"
	l.add("2026-03-03", &toMother)
	check(t, one(t, l.compute(), deadline.InfoRequestNotice, "complainant:C1", ""), "2026-03-02", "2026-03-03", 1, "2026-03-04", deadline.StatusMetLate)
}

// Right 7: after a conviction, the chance to make or update the personal
// statement, by the day of sentence.
func TestStatementBeforeSentence(t *testing.T) {
	vps := func(action string) *throughline.VictimPersonalStatement {
		return &throughline.VictimPersonalStatement{ComplainantID: "C1", Action: action}
	}
	l := open("2023-01-03", false, "D1").charge("2023-03-01", "D1", "bail").
		add("2023-12-01", vps("made")). // before the conviction: not the update before sentence
		add("2023-12-22", &throughline.Verdict{DefendantID: "D1", Result: "guilty_plea"})
	d := one(t, l.compute(), deadline.VCStatement, "complainant:C1", "defendant:D1")
	if d.Alert == "" || d.Status(day("2024-01-02")) != deadline.StatusDueSoon {
		t.Errorf("no sentencing hearing yet: %s, alert %q", d.Status(day("2024-01-02")), d.Alert)
	}
	l.hearing("2023-12-27", "S1", "sentence", "2024-01-26T10:00:00Z")
	check(t, one(t, l.compute(), deadline.VCStatement, "complainant:C1", "defendant:D1"), "2024-01-26", "-", 0, "2024-01-22", deadline.StatusPending)
	// Her asking for help to write it leaves the duty open: the help is the offer.
	l.add("2024-01-10", vps("help_wanted"))
	check(t, one(t, l.compute(), deadline.VCStatement, "complainant:C1", "defendant:D1"), "2024-01-26", "-", 0, "2024-01-22", deadline.StatusPending)
	l.add("2024-01-25", vps("updated"))
	check(t, one(t, l.compute(), deadline.VCStatement, "complainant:C1", "defendant:D1"), "2024-01-26", "2024-01-25", 0, "2024-01-26", deadline.StatusMet)
	// Sentenced on Mon 29 Jan, the statement updated only on the day after:
	// the sentence is the due day, and it was 1 working day late.
	l = open("2023-01-03", false, "D1").charge("2023-03-01", "D1", "bail").
		add("2023-12-22", &throughline.Verdict{DefendantID: "D1", Result: "guilty"}).
		add("2024-01-29", &throughline.Sentenced{DefendantID: "D1"}).
		add("2024-01-30", vps("offered"))
	check(t, one(t, l.compute(), deadline.VCStatement, "complainant:C1", "defendant:D1"), "2024-01-29", "2024-01-30", 1, "2024-02-01", deadline.StatusMetLate)
	// An acquittal owes none.
	l = open("2023-01-03", false, "D1").charge("2023-03-01", "D1", "bail").add("2023-12-22", &throughline.Verdict{DefendantID: "D1", Result: "not_guilty"})
	if ds := pick(l.compute(), deadline.VCStatement, "complainant:C1", "*"); len(ds) != 0 {
		t.Errorf("an acquittal owes a statement:\n%s", dump(ds))
	}
}

// With two hearings listed, telling the victim of one meets only that
// hearing's duty; a telling that names no hearing (as recorded before
// tellings named theirs) meets the first still owed, as it always did.
func TestTellingNamesItsHearing(t *testing.T) {
	base := func() *caseLog {
		return open("2025-06-02", false, "D1").charge("2025-07-01", "D1", "bail").sent("2025-07-02", "D1").
			hearing("2026-04-01", "H1", "mention", "2026-05-11T10:00:00+01:00").
			hearing("2026-04-01", "H2", "ptph", "2026-06-15T10:00:00+01:00")
	}
	told := func(l *caseLog, hearing string) *caseLog {
		return l.add("2026-04-02", &throughline.VictimInformed{ComplainantID: "C1", About: throughline.TypeHearingListed, Channel: "phone", HearingID: hearing})
	}
	ds := told(base(), "H2").compute()
	if d := one(t, ds, deadline.VCHearingDate, "complainant:C1", "hearing:H1"); !d.MetAt.IsZero() {
		t.Errorf("telling her of H2 met H1's duty: %+v", d)
	}
	if d := one(t, ds, deadline.VCHearingDate, "complainant:C1", "hearing:H2"); d.MetAt.IsZero() {
		t.Errorf("telling her of H2 did not meet H2's duty: %+v", d)
	}
	ds = told(base(), "").compute()
	for _, h := range []string{"hearing:H1", "hearing:H2"} {
		if d := one(t, ds, deadline.VCHearingDate, "complainant:C1", h); d.MetAt.IsZero() {
			t.Errorf("a telling naming no hearing did not meet %s's duty: %+v", h, d)
		}
	}
}
