package deadline_test

import (
	"strings"
	"testing"

	"throughline"
	"throughline/deadline"
)

func TestEarlyAdvice(t *testing.T) {
	l := open("2023-01-03", false, "S1", "S2", "S3")
	// Before the national operating model (10 Jul 2023): not in force.
	l.add("2023-02-08", &throughline.FileSubmitted{SuspectID: "S3", Purpose: "early_advice"})
	// S1: file Thu 8 Feb 2024 + 21 days = 29 Feb (leap year); advice Fri 1 Mar:
	// 1 working day late.
	l.add("2024-02-08", &throughline.FileSubmitted{SuspectID: "S1", Purpose: "early_advice"})
	l.add("2024-03-01", &throughline.EarlyAdviceGiven{SuspectID: "S1"})
	// S2: file 10 Aug 2023 + 21 = 31 Aug; a charging file on 20 Aug overtakes it.
	l.add("2023-08-10", &throughline.FileSubmitted{SuspectID: "S2", Purpose: "early_advice"})
	l.add("2023-08-20", &throughline.FileSubmitted{SuspectID: "S2", Purpose: "charging_decision"})
	ds := l.compute()

	s1 := one(t, ds, deadline.EarlyAdvice, "defendant:S1", "")
	check(t, s1, "2024-02-29", "2024-03-01", 1, "2024-04-01", deadline.StatusMetLate)
	if s1.Owner != "cps" || s1.MetBy != "early_advice_given" {
		t.Errorf("%+v", s1)
	}
	s2 := one(t, ds, deadline.EarlyAdvice, "defendant:S2", "")
	check(t, s2, "2023-08-31", "-", 0, "2023-09-30", deadline.StatusNotApplicable)
	if !strings.Contains(s2.NotApplicable, "file_submitted on 2023-08-20") {
		t.Errorf("reason %q", s2.NotApplicable)
	}
	s3 := one(t, ds, deadline.EarlyAdvice, "defendant:S3", "")
	if s3.Status(day("2023-06-01")) != deadline.StatusNotApplicable || !strings.Contains(s3.NotApplicable, "2023-07-10") {
		t.Errorf("before the rule: %q", s3.NotApplicable)
	}
}

func TestPTPHAndBCMStagesCustody(t *testing.T) {
	l := open("2023-06-01", false, "D1").
		charge("2024-01-31", "D1", "custody").
		sent("2024-02-01", "D1").
		hearing("2024-02-02", "P1", "ptph", "2024-02-27").
		held("2024-02-27", "P1").
		raw(deadline.TypeStage1Served, "2024-03-25").
		raw(deadline.TypeStage2Served, "2024-04-22")
	ds := l.compute()
	// Sent Thu 1 Feb 2024 + 28 = 29 Feb; PTPH held 27 Feb.
	p := one(t, ds, deadline.PTPH, "defendant:D1", "hearing:P1")
	check(t, p, "2024-02-29", "2024-02-27", 0, "2024-03-01", deadline.StatusMet)
	if p.Owner != "court" {
		t.Errorf("owner %s", p.Owner)
	}
	// Custody: 1 Feb + 50 = 22 Mar (Feb 1 + 28 = Feb 29, + 22). Served Mon 25
	// Mar: (Fri 22, Mon 25] = 1 working day late.
	s1 := one(t, ds, deadline.BCMStage1, "defendant:D1", "")
	check(t, s1, "2024-03-22", "2024-03-25", 1, "2024-05-01", deadline.StatusMetLate)
	// Stage 2 from Stage 1 served: 25 Mar + 28 = 22 Apr; served 22 Apr.
	s2 := one(t, ds, deadline.BCMStage2, "defendant:D1", "")
	check(t, s2, "2024-04-22", "2024-04-22", 0, "2024-05-01", deadline.StatusMet)
	if s2.StartedBy != deadline.TypeStage1Served || s2.Owner != "defence" {
		t.Errorf("stage 2 started by %s, owner %s", s2.StartedBy, s2.Owner)
	}
}

func TestBCMStagesBailFallback(t *testing.T) {
	l := open("2023-06-01", false, "D1").
		charge("2024-01-31", "D1", "bail").
		sent("2024-02-01", "D1")
	ds := l.compute()
	// Bail: 1 Feb + 70 = 11 Apr (Feb 1 + 29 = Mar 1, + 31 = Apr 1, + 10).
	s1 := one(t, ds, deadline.BCMStage1, "defendant:D1", "")
	check(t, s1, "2024-04-11", "-", 0, "2024-04-04", deadline.StatusDueSoon)
	// No Stage 1 served: Stage 2 from the Stage 1 due date, 11 Apr + 28 = 9 May.
	s2 := one(t, ds, deadline.BCMStage2, "defendant:D1", "")
	check(t, s2, "2024-05-09", "-", 0, "2024-04-04", deadline.StatusPending)
	if s2.StartedBy != deadline.BCMStage1 || s2.StartVersion != 0 {
		t.Errorf("fallback start %s v%d", s2.StartedBy, s2.StartVersion)
	}
	// PTPH not held by 29 Feb: missed.
	check(t, one(t, ds, deadline.PTPH, "defendant:D1", ""), "2024-02-29", "-", 0, "2024-03-01", deadline.StatusMissed)

	// A guilty plea before the due dates makes them not applicable.
	l.add("2024-02-20", &throughline.Verdict{DefendantID: "D1", Result: "guilty_plea"})
	ds = l.compute()
	for _, r := range []string{deadline.PTPH, deadline.BCMStage1, deadline.BCMStage2} {
		if d := one(t, ds, r, "defendant:D1", ""); d.Status(day("2024-06-01")) != deadline.StatusNotApplicable {
			t.Errorf("%s after a plea: %s", r, d.Status(day("2024-06-01")))
		}
	}
}

// Crown Court limit less the days already in the custody of the magistrates'
// court, with the magistrates' limit met by sending.
func TestCTLMagistratesTimeDeducted(t *testing.T) {
	l := open("2022-06-01", false, "D1").
		charge("2023-01-10", "D1", "custody").
		hearing("2023-01-10", "F1", "first_appearance", "2023-01-11").
		held("2023-01-11", "F1").
		sent("2023-02-01", "D1")
	ds := l.compute()
	// Rape is indictable only, sent under s.51 CDA 1998: no magistrates'
	// limit; the magistrates' custody counts against the Crown Court's.
	if ms := pick(ds, deadline.CTLMagistrates, "defendant:D1", "*"); len(ms) != 0 {
		t.Errorf("magistrates' limit for rape:\n%s", dump(ms))
	}
	// The same for sexual assault (either way): first appearance 11 Jan 2023
	// + 70 = Wed 22 Mar (Jan 11 + 20 = Jan 31, + 28 = Feb 28 (48), + 22).
	// Met by sending on 1 Feb.
	sa := open("2022-06-01", false, "D1").
		chargeWith("2023-01-10", "D1", "custody", sexualAssault).
		hearing("2023-01-10", "F1", "first_appearance", "2023-01-11").
		held("2023-01-11", "F1").
		sent("2023-02-01", "D1").compute()
	m := one(t, sa, deadline.CTLMagistrates, "defendant:D1", "offence:SX03007")
	check(t, m, "2023-03-22", "2023-02-01", 0, "2023-03-01", deadline.StatusMet)
	if m.StartedBy != "hearing_held" || m.MetBy != "sent_to_crown_court" {
		t.Errorf("started by %s, met by %s", m.StartedBy, m.MetBy)
	}
	check(t, one(t, sa, deadline.CTLCrown, "defendant:D1", ""), "2023-07-12", "-", 0, "2023-06-01", deadline.StatusPending)
	// Crown: sent 1 Feb; 21 days in magistrates' custody (11 Jan → 1 Feb):
	// 1 Feb + (182 − 21 = 161) = 12 Jul 2023 (Feb 1 + 27 = Feb 28, + 31 = Mar 31,
	// + 30 = Apr 30, + 31 = May 31, + 30 = Jun 30, + 12 = Jul 12: 161).
	// The same as 11 Jan + 182.
	c := one(t, ds, deadline.CTLCrown, "defendant:D1", "")
	check(t, c, "2023-07-12", "-", 0, "2023-06-01", deadline.StatusPending)
	if c.RuleVersion != "1987" || c.Owner != "cps" {
		t.Errorf("version %s owner %s", c.RuleVersion, c.Owner)
	}
	// Warnings 28, 14 and 7 days before: 14 Jun, 28 Jun, 5 Jul.
	if len(c.Warnings) != 3 || ds10(c.Warnings[0]) != "2023-06-14" || ds10(c.Warnings[1]) != "2023-06-28" || ds10(c.Warnings[2]) != "2023-07-05" {
		t.Errorf("warnings %v", c.Warnings)
	}
	if s := c.Status(day("2023-06-14")); s != deadline.StatusDueSoon {
		t.Errorf("28 days before: %s, want due_soon", s)
	}
	if s := c.Status(day("2023-06-13")); s != deadline.StatusPending {
		t.Errorf("29 days before: %s, want pending", s)
	}
	if s := c.Status(day("2023-07-13")); s != deadline.StatusMissed {
		t.Errorf("after expiry in custody: %s, want missed", s)
	}

	// Trial starts on 10 Jul, before expiry: met.
	l.hearing("2023-03-01", "T1", "trial", "2023-07-10").add("2023-07-10", &throughline.TrialStarted{HearingID: "T1"})
	c = one(t, l.compute(), deadline.CTLCrown, "defendant:D1", "")
	check(t, c, "2023-07-12", "2023-07-10", 0, "2023-08-01", deadline.StatusMet)
}

// A bail gap in the magistrates' court: only the custody days are deducted.
func TestCTLBailGapInMagistrates(t *testing.T) {
	l := open("2022-06-01", false, "D1").
		charge("2023-01-10", "D1", "custody").
		hearing("2023-01-10", "F1", "first_appearance", "2023-01-11").
		held("2023-01-11", "F1").
		remand("2023-01-21", "D1", "bail").    // 10 days: 11 → 21 Jan
		remand("2023-01-26", "D1", "custody"). // 6 days: 26 Jan → 1 Feb
		sent("2023-02-01", "D1")
	c := one(t, l.compute(), deadline.CTLCrown, "defendant:D1", "")
	// 1 Feb + (182 − 16 = 166) = 17 Jul 2023 (12 Jul + 5).
	check(t, c, "2023-07-17", "-", 0, "2023-06-01", deadline.StatusPending)
}

// Events recorded out of order: a remand in custody recorded after the
// sending it preceded. Also checks the Stage 1 custody timescale follows it.
func TestCTLOutOfOrderRemand(t *testing.T) {
	l := open("2024-06-01", false, "D1").
		chargeWith("2025-01-02", "D1", "bail", sexualAssault).
		sent("2025-01-20", "D1")
	l.addRec("2025-01-10", "2025-01-22", &throughline.RemandStatusChanged{DefendantID: "D1", Status: "custody"})
	ds := l.compute()
	// No first appearance recorded: magistrates' time counts from the charge
	// date (2 Jan); in custody 10 → 20 Jan = 10 days. Crown: 20 Jan + 172 =
	// 11 Jul 2025 (Jan 20 + 11 = Jan 31, + 28 = Feb 28, + 31 = Mar 31, + 30 =
	// Apr 30, + 31 = May 31, + 30 = Jun 30, + 11 = Jul 11).
	check(t, one(t, ds, deadline.CTLCrown, "defendant:D1", ""), "2025-07-11", "-", 0, "2025-06-01", deadline.StatusPending)
	// Magistrates' (sexual assault, either way): 70 custody days from 2 Jan
	// counting only from 10 Jan: 10 Jan + 70 = Fri 21 Mar (Jan 31 (21), Feb 28
	// (49), + 21); met by sending on 20 Jan.
	check(t, one(t, ds, deadline.CTLMagistrates, "defendant:D1", "offence:SX03007"), "2025-03-21", "2025-01-20", 0, "2025-06-01", deadline.StatusMet)
	// In custody at sending: Stage 1 in 50 days, 20 Jan + 50 = 11 Mar.
	check(t, one(t, ds, deadline.BCMStage1, "defendant:D1", ""), "2025-03-11", "-", 0, "2025-02-01", deadline.StatusPending)
	// The victim duty for the remand runs from when it was recorded: Wed 22 Jan
	// + 1 = Thu 23 Jan.
	check(t, one(t, ds, deadline.VCRemandChange, "complainant:C1", "defendant:D1"), "2025-01-23", "-", 0, "2025-01-23", deadline.StatusDueSoon)
}

// SI 2020/953: 238 days for an accused first in custody from 28 Sep 2020 to
// 27 Jun 2021 (saved after 28 Jun 2021); 182 for one already subject to a
// Crown Court limit before 28 Sep 2020 or first in custody after 27 Jun 2021.
func TestCTLCoronavirus238(t *testing.T) {
	crown := func(charged, sent string) throughline.Deadline {
		t.Helper()
		l := open("2020-01-06", false, "D1").charge(charged, "D1", "custody").sent(sent, "D1")
		return one(t, l.compute(), deadline.CTLCrown, "defendant:D1", "")
	}
	for _, c := range []struct {
		charged, sent, due, version, why string
	}{
		{"2020-10-05", "2020-10-06", "2021-05-28", "SI2020/953",
			"charged 5 Oct (1 day in magistrates' custody), sent 6 Oct + 237 = Mon 31 May 2021 " +
				"(Oct 6 + 25 = Oct 31, Nov 30 (55), Dec 31 (86), Jan 31 (117), Feb 28 (145), Mar 31 (176), Apr 30 (206), May 31 (237)), " +
				"the Spring bank holiday: reg. 2(5) moves it back past Sun 30 and Sat 29 to Fri 28 May"},
		{"2021-03-02", "2021-03-02", "2021-10-26", "SI2020/953",
			"first in custody in the window, expiry after 28 Jun 2021: saved. 2 Mar + 238 = 26 Oct " +
				"(Mar 31 (29), Apr 30 (59), May 31 (90), Jun 30 (120), Jul 31 (151), Aug 31 (182), Sep 30 (212), + 26)"},
		{"2020-09-01", "2020-09-01", "2021-03-02", "1987",
			"already subject to a Crown Court limit before 28 Sep 2020: 1 Sep + 182 = 2 Mar 2021 " +
				"(Sep 30 (29), Oct 31 (60), Nov 30 (90), Dec 31 (121), Jan 31 (152), Feb 28 (180), + 2)"},
		{"2021-07-01", "2021-07-01", "2021-12-30", "1987",
			"first in custody after the window: 1 Jul + 182 = 30 Dec 2021 (Jul 31 (30), Aug 31 (61), Sep 30 (91), Oct 31 (122), Nov 30 (152), Dec 30 (182))"},
	} {
		d := crown(c.charged, c.sent)
		if ds10(d.Due) != c.due || d.RuleVersion != c.version {
			t.Errorf("charged %s sent %s: due %s (%s), want %s (%s): %s", c.charged, c.sent, ds10(d.Due), d.RuleVersion, c.due, c.version, c.why)
		}
		// A 238-day limit says that it is not for a defendant under 18,
		// whose age is not recorded; a 182-day limit needs no such word.
		if under18 := strings.Contains(d.Alert, "under 18"); under18 != (c.version == "SI2020/953") {
			t.Errorf("charged %s sent %s (%s): alert %q", c.charged, c.sent, d.RuleVersion, d.Alert)
		}
	}

	// First in custody before 28 Sep 2020 (1 Aug), 8 days in magistrates'
	// custody (FA 2 Aug → bailed 10 Aug), sent on 1 Dec 2020 and remanded in
	// custody that day: the Crown Court limit began while the Regulations were
	// in force, but 238 − 8 = 230 days from 1 Dec is 19 Jul 2021, after they
	// lapsed, and reg. 3(2) does not save this accused. 182 − 8 = 174 days from
	// 1 Dec is 24 May 2021 (Dec 31 (30), Jan 31 (61), Feb 28 (89), Mar 31 (120),
	// Apr 30 (150), + 24), which had passed when 238 days stopped applying: so
	// the limit expired on the last day of the Regulations, Sun 27 Jun 2021,
	// which reg. 2(5) moves back to Fri 25 Jun; with an alert to check it.
	l := open("2020-01-06", false, "D1").
		charge("2020-08-01", "D1", "custody").
		hearing("2020-08-01", "F1", "first_appearance", "2020-08-02").
		held("2020-08-02", "F1").
		remand("2020-08-10", "D1", "bail").
		remand("2020-12-01", "D1", "custody").
		sent("2020-12-01", "D1")
	d := one(t, l.compute(), deadline.CTLCrown, "defendant:D1", "")
	if ds10(d.Due) != "2021-06-25" || d.RuleVersion != "1987" || !strings.Contains(d.Alert, "lapsed") {
		t.Errorf("lapsed 238-day limit: due %s (%s), alert %q", ds10(d.Due), d.RuleVersion, d.Alert)
	}
}

func TestCTLExtension(t *testing.T) {
	base := func() *caseLog {
		return open("2023-06-01", false, "D1").
			charge("2024-01-02", "D1", "custody").
			hearing("2024-01-02", "F1", "first_appearance", "2024-01-03").
			held("2024-01-03", "F1").
			sent("2024-01-03", "D1")
	}
	// 3 Jan 2024 + 182 = 3 Jul 2024 (Jan 31 (28), Feb 29 (57), Mar 31 (88),
	// Apr 30 (118), May 31 (149), Jun 30 (179), + 3).
	c := one(t, base().compute(), deadline.CTLCrown, "defendant:D1", "")
	check(t, c, "2024-07-03", "-", 0, "2024-06-01", deadline.StatusPending)

	// Extended on 20 Jun to 30 Sep: the extension replaces the expiry; the
	// warnings move with it (2, 16 and 23 Sep).
	l := base().add("2024-06-20", &throughline.CTLExtended{DefendantID: "D1", ExpiresOn: "2024-09-30", Decision: "granted"})
	c = one(t, l.compute(), deadline.CTLCrown, "defendant:D1", "")
	check(t, c, "2024-09-30", "-", 0, "2024-07-04", deadline.StatusPending)
	if ds10(c.Warnings[0]) != "2024-09-02" || ds10(c.Warnings[2]) != "2024-09-23" {
		t.Errorf("warnings %v", c.Warnings)
	}

	// Extended on 10 Jul, after the limit expired on 3 Jul: refused by the
	// law, flagged, and the limit stays missed.
	l = base().add("2024-07-10", &throughline.CTLExtended{DefendantID: "D1", ExpiresOn: "2024-09-30", Decision: "granted"})
	c = one(t, l.compute(), deadline.CTLCrown, "defendant:D1", "")
	check(t, c, "2024-07-03", "-", 0, "2024-07-04", deadline.StatusMissed)
	if !strings.Contains(c.Alert, "cannot be extended") {
		t.Errorf("alert %q", c.Alert)
	}
}

func TestCTLEndings(t *testing.T) {
	base := func() *caseLog {
		return open("2023-06-01", false, "D1").
			charge("2024-01-02", "D1", "custody").
			sent("2024-01-02", "D1").
			hearing("2024-01-05", "T1", "trial", "2024-07-08")
	}
	// Expiry 2 Jan + 182 = 2 Jul 2024. The trial starts 8 Jul, in custody:
	// missed, with an alert; a late start never makes it met.
	l := base().add("2024-07-08", &throughline.TrialStarted{HearingID: "T1"})
	c := one(t, l.compute(), deadline.CTLCrown, "defendant:D1", "")
	check(t, c, "2024-07-02", "-", 0, "2024-07-31", deadline.StatusMissed)
	if !strings.Contains(c.Alert, "past the limit") {
		t.Errorf("alert %q", c.Alert)
	}
	// Bailed on 1 May, before expiry: no longer applicable.
	c = one(t, base().remand("2024-05-01", "D1", "bail").compute(), deadline.CTLCrown, "defendant:D1", "")
	check(t, c, "-", "-", 0, "2024-07-31", deadline.StatusNotApplicable)
	if !strings.Contains(c.NotApplicable, "2024-05-01") {
		t.Errorf("reason %q", c.NotApplicable)
	}
	// Bailed on 1 May and remanded again on 11 May: the 10 days on bail do not
	// count, 2 Jul + 10 = 12 Jul.
	c = one(t, base().remand("2024-05-01", "D1", "bail").remand("2024-05-11", "D1", "custody").compute(), deadline.CTLCrown, "defendant:D1", "")
	check(t, c, "2024-07-12", "-", 0, "2024-06-01", deadline.StatusPending)
	// A guilty plea on 3 Jun ends it: met.
	c = one(t, base().add("2024-06-03", &throughline.Verdict{DefendantID: "D1", Result: "guilty_plea"}).compute(), deadline.CTLCrown, "defendant:D1", "")
	check(t, c, "2024-07-02", "2024-06-03", 0, "2024-07-31", deadline.StatusMet)
	// Discontinued on 3 Jun: met (custody ends with the prosecution).
	c = one(t, base().add("2024-06-03", &throughline.ProsecutionStopped{DefendantID: "D1", How: "discontinued"}).compute(), deadline.CTLCrown, "defendant:D1", "")
	check(t, c, "2024-07-02", "2024-06-03", 0, "2024-07-31", deadline.StatusMet)
	// Never in custody: no limits.
	ds := open("2023-06-01", false, "D1").charge("2024-01-02", "D1", "bail").sent("2024-01-02", "D1").compute()
	if len(pick(ds, deadline.CTLCrown, "defendant:D1", "*"))+len(pick(ds, deadline.CTLMagistrates, "defendant:D1", "*")) != 0 {
		t.Errorf("limits for a defendant on bail:\n%s", dump(ds))
	}
}

// The magistrates' limit runs out in the magistrates' court.
func TestCTLMagistratesMissed(t *testing.T) {
	l := open("2023-06-01", false, "D1").chargeWith("2024-01-02", "D1", "custody", sexualAssault)
	// No first appearance recorded: from the charge, 2 Jan + 70 = Tue 12 Mar
	// 2024 (Jan 31 (29), Feb 29 (58), + 12).
	m := one(t, l.compute(), deadline.CTLMagistrates, "defendant:D1", "offence:SX03007")
	check(t, m, "2024-03-12", "-", 0, "2024-03-05", deadline.StatusDueSoon)
	if m.StartedBy != "charged" {
		t.Errorf("started by %s", m.StartedBy)
	}
	l.sent("2024-03-13", "D1")
	m = one(t, l.compute(), deadline.CTLMagistrates, "defendant:D1", "offence:SX03007")
	check(t, m, "2024-03-12", "-", 0, "2024-03-13", deadline.StatusMissed)
}

// A defendant in custody with no charge recorded: no limit can be computed,
// and that is shown loudly.
func TestCTLAlertWhenNotComputable(t *testing.T) {
	l := open("2023-06-01", false, "D1").remand("2024-01-02", "D1", "custody")
	d := one(t, l.compute(), deadline.CTLMagistrates, "defendant:D1", "")
	if d.Alert == "" || !d.Due.IsZero() || d.Status(day("2024-01-03")) != deadline.StatusDueSoon {
		t.Errorf("%+v status %s", d, d.Status(day("2024-01-03")))
	}
}
