package deadline_test

import (
	"math/rand"
	"strings"
	"testing"
	"time"

	"throughline"
	"throughline/calendar"
	"throughline/deadline"
)

// excluded reports whether reg. 2(5) of the Custody Time Limits Regulations
// 1987 excludes day t as an expiry: a Saturday, Sunday, Christmas Day, Good
// Friday or an England and Wales bank holiday. Written from the regulation's
// words, not from the engine's use of calendar.IsWorkingDay.
func excluded(t time.Time) bool {
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return true
	}
	if t.Month() == time.December && t.Day() == 25 {
		return true
	}
	_, holiday := calendar.IsBankHoliday(t) // the gov.uk list: Good Friday is on it
	return holiday
}

// Reg. 2(5): a limit that would expire on an excluded day expires on the
// next preceding day that is not one, for each kind of excluded day. The
// defendant is charged in custody and sent the same day (no days in the
// magistrates' custody), so the Crown Court limit is the sending + 182 days
// (26 weeks: the same weekday).
func TestCTLPrecedingWorkingDay(t *testing.T) {
	crown := func(charged, sent string) throughline.Deadline {
		t.Helper()
		l := open("2015-01-05", false, "D1").charge(charged, "D1", "custody").sent(sent, "D1")
		return one(t, l.compute(), deadline.CTLCrown, "defendant:D1", "")
	}
	for _, c := range []struct {
		charged, sent, due, why string
	}{
		{"2025-10-06", "2025-10-06", "2026-04-02",
			"the issue's case: Mon 6 Oct 2025 + 182 = Mon 6 Apr 2026, Easter Monday; Sun 5, Sat 4 and Good Friday 3 Apr excluded: Thu 2 Apr"},
		{"2025-01-04", "2025-01-04", "2025-07-04",
			"Sat 4 Jan 2025 + 182 = Sat 5 Jul 2025 (Jan 31 (27), Feb 28 (55), Mar 31 (86), Apr 30 (116), May 31 (147), Jun 30 (177), + 5): Fri 4 Jul"},
		{"2025-01-05", "2025-01-06", "2025-07-04",
			"charged Sun 5 Jan 2025, sent Mon 6 with 1 day deducted: 6 Jan + 181 = Sun 6 Jul 2025: Sat 5 excluded too: Fri 4 Jul"},
		{"2025-06-26", "2025-06-26", "2025-12-24",
			"Thu 26 Jun 2025 + 182 = Christmas Day, Thu 25 Dec 2025 (Jun 30 (4), Jul 31 (35), Aug 31 (66), Sep 30 (96), Oct 31 (127), Nov 30 (157), + 25): Wed 24 Dec"},
		{"2025-06-27", "2025-06-27", "2025-12-24",
			"Fri 27 Jun 2025 + 182 = Boxing Day, Fri 26 Dec 2025; Christmas Day excluded: Wed 24 Dec"},
		{"2025-10-03", "2025-10-03", "2026-04-02",
			"Fri 3 Oct 2025 + 182 = Good Friday, 3 Apr 2026: Thu 2 Apr"},
		{"2022-11-07", "2022-11-07", "2023-05-05",
			"Mon 7 Nov 2022 + 182 = Mon 8 May 2023, the coronation bank holiday (Nov 30 (23), Dec 31 (54), Jan 31 (85), Feb 28 (113), Mar 31 (144), Apr 30 (174), + 8): Fri 5 May"},
		{"2022-03-21", "2022-03-21", "2022-09-16",
			"Mon 21 Mar 2022 + 182 = Mon 19 Sep 2022, the State Funeral bank holiday (Mar 31 (10), Apr 30 (40), May 31 (71), Jun 30 (101), Jul 31 (132), Aug 31 (163), + 19): Fri 16 Sep"},
		{"2020-06-26", "2020-06-26", "2020-12-24",
			"Fri 26 Jun 2020 + 182 = Fri 25 Dec 2020; Thu 24 Dec is a working day: Thu 24 Dec"},
		{"2021-06-28", "2021-06-28", "2021-12-24",
			"Mon 28 Jun 2021 + 182 = Mon 27 Dec 2021, the Christmas Day substitute; Sun 26, Christmas Day (a Saturday): Fri 24 Dec"},
		{"2023-03-07", "2023-03-07", "2023-09-05",
			"Tue 7 Mar 2023 + 182 = Tue 5 Sep 2023, a working day: not moved"},
	} {
		d := crown(c.charged, c.sent)
		if ds10(d.Due) != c.due {
			t.Errorf("charged %s sent %s: due %s, want %s: %s", c.charged, c.sent, ds10(d.Due), c.due, c.why)
		}
	}

	// Warnings count back from the lawful expiry, Thu 2 Apr 2026: 28, 14 and
	// 7 days before are Thu 5 Mar, Thu 19 Mar and Thu 26 Mar.
	d := crown("2025-10-06", "2025-10-06")
	if len(d.Warnings) != 3 || ds10(d.Warnings[0]) != "2026-03-05" || ds10(d.Warnings[1]) != "2026-03-19" || ds10(d.Warnings[2]) != "2026-03-26" {
		t.Errorf("warnings %v", d.Warnings)
	}
	// Still in custody on Good Friday: the limit has expired (missed).
	if s := d.Status(day("2026-04-03")); s != deadline.StatusMissed {
		t.Errorf("status on Good Friday 2026: %s, want missed", s)
	}
	// A trial starting on Easter Monday, the day the unadjusted limit fell
	// on, is after the lawful expiry: still missed, never met late.
	l := open("2025-01-06", false, "D1").charge("2025-10-06", "D1", "custody").sent("2025-10-06", "D1").
		hearing("2025-11-03", "T1", "trial", "2026-04-06").add("2026-04-06", &throughline.TrialStarted{HearingID: "T1"})
	d = one(t, l.compute(), deadline.CTLCrown, "defendant:D1", "")
	if d.MetAt.IsZero() == false || ds10(d.Due) != "2026-04-02" || d.Status(day("2026-04-07")) != deadline.StatusMissed {
		t.Errorf("trial on Easter Monday: due %s met %s status %s alert %q", ds10(d.Due), ds10(d.MetAt), d.Status(day("2026-04-07")), d.Alert)
	}

	// An extension to the Summer bank holiday, Mon 25 Aug 2025, expires on
	// Fri 22 Aug.
	l = open("2024-06-03", false, "D1").charge("2025-01-06", "D1", "custody").sent("2025-01-06", "D1").
		add("2025-06-02", &throughline.CTLExtended{DefendantID: "D1", ExpiresOn: "2025-08-25", Decision: "granted"})
	d = one(t, l.compute(), deadline.CTLCrown, "defendant:D1", "")
	if ds10(d.Due) != "2025-08-22" || d.RuleVersion != "1987+extended" {
		t.Errorf("extension to a bank holiday: due %s (%s)", ds10(d.Due), d.RuleVersion)
	}
}

// Property: no custody time limit expires on a day reg. 2(5) excludes, and
// the warnings are 28, 14 and 7 days before the expiry shown.
func TestCTLNeverExpiresOnExcludedDay(t *testing.T) {
	rng := rand.New(rand.NewSource(2025))
	base := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	d := func(t time.Time) string { return t.Format(time.DateOnly) }
	seen := 0
	for i := 0; i < 3000; i++ {
		charged := base.AddDate(0, 0, rng.Intn(16*365))
		fa := charged.AddDate(0, 0, rng.Intn(3))
		sent := fa.AddDate(0, 0, rng.Intn(60))
		l := open("2014-06-02", false, "D1").charge(d(charged), "D1", "custody").
			hearing(d(charged), "F1", "first_appearance", d(fa)).held(d(fa), "F1")
		if rng.Intn(4) == 0 { // a spell on bail in the magistrates' court
			l.remand(d(fa.AddDate(0, 0, 1)), "D1", "bail").remand(d(fa.AddDate(0, 0, 2+rng.Intn(5))), "D1", "custody")
		}
		if rng.Intn(5) > 0 {
			l.sent(d(sent), "D1")
		}
		if rng.Intn(4) == 0 {
			l.add(d(sent.AddDate(0, 0, 30)), &throughline.CTLExtended{DefendantID: "D1", ExpiresOn: d(sent.AddDate(0, 0, 150+rng.Intn(200))), Decision: "granted"})
		}
		for _, x := range l.compute() {
			if (x.Rule != deadline.CTLCrown && x.Rule != deadline.CTLMagistrates) || x.Due.IsZero() {
				continue
			}
			seen++
			if excluded(x.Due) {
				t.Fatalf("%s expires on %s %s, a day reg. 2(5) excludes:\n%s", x.Rule, x.Due.Weekday(), ds10(x.Due), dump(l.compute()))
			}
			for j, w := range []int{28, 14, 7} {
				if len(x.Warnings) != 3 || !x.Warnings[j].Equal(x.Due.AddDate(0, 0, -w)) {
					t.Fatalf("%s due %s: warnings %v", x.Rule, ds10(x.Due), x.Warnings)
				}
			}
		}
	}
	if seen < 2000 {
		t.Fatalf("only %d limits checked", seen)
	}
}

var (
	sexualAssault = []throughline.Offence{{HOCode: "20A", CJSCode: "SX03007"}} // SOA 2003 s.3: either way
	unknownClass  = []throughline.Offence{{HOCode: "88E"}}                     // exposure or voyeurism: class not in refdata
)

// chargeWith is charge with the given offences.
func (l *caseLog) chargeWith(date, def, method string, offs []throughline.Offence) *caseLog {
	l.add(date, &throughline.FileSubmitted{SuspectID: def, Purpose: "charging_decision"})
	l.add(date, &throughline.ChargingDecision{SuspectID: def, Decision: "charge"})
	return l.add(date, &throughline.Charged{DefendantID: def, Offences: offs, Method: method})
}

// Magistrates' limits run per offence, by how the offence may be tried
// (reg. 4): rape, indictable only, has none; sexual assault, either way, 70
// days; an offence whose class is not known the shortest, 56, with an alert.
func TestCTLMagistratesPerOffence(t *testing.T) {
	offs := append(append(append([]throughline.Offence(nil), rape...), sexualAssault...), unknownClass...)
	// Charged in custody Tue 2 Jan 2024, first appearance Wed 3 Jan.
	ds := open("2023-06-01", false, "D1").chargeWith("2024-01-02", "D1", "custody", offs).
		hearing("2024-01-02", "F1", "first_appearance", "2024-01-03").held("2024-01-03", "F1").compute()
	ms := pick(ds, deadline.CTLMagistrates, "defendant:D1", "*")
	if len(ms) != 2 {
		t.Fatalf("%d magistrates' limits, want 2 (sexual assault, unknown):\n%s", len(ms), dump(ms))
	}
	// Sexual assault: 3 Jan + 70 = Wed 13 Mar 2024 (Jan 31 (28), Feb 29 (57), + 13).
	sa := one(t, ds, deadline.CTLMagistrates, "defendant:D1", "offence:SX03007")
	check(t, sa, "2024-03-13", "-", 0, "2024-02-01", deadline.StatusPending)
	// Not known: 3 Jan + 56 = Wed 28 Feb 2024, with an alert saying why.
	u := one(t, ds, deadline.CTLMagistrates, "defendant:D1", "offence:88E")
	check(t, u, "2024-02-28", "-", 0, "2024-01-04", deadline.StatusPending)
	if !strings.Contains(u.Alert, "not known") {
		t.Errorf("alert %q", u.Alert)
	}
	// Either way, with a Saturday expiry: charged and first appearance Sat 6
	// Jan 2024 + 70 = Sat 16 Mar: reg. 2(5) makes it Fri 15 Mar.
	ds = open("2023-06-01", false, "D1").chargeWith("2024-01-06", "D1", "custody", sexualAssault).compute()
	check(t, one(t, ds, deadline.CTLMagistrates, "defendant:D1", "offence:SX03007"), "2024-03-15", "-", 0, "2024-02-01", deadline.StatusPending)
}

// Reg. 4(4): an either-way offence's magistrates' limit is 56 days, not 70,
// when the court decides on summary trial before 56 days have run from the
// first appearance; a decision after them, or for the Crown Court, leaves
// 70. Charged with sexual assault in custody Mon 5 Jan 2026, first
// appearance Tue 6 Jan: + 56 = Tue 3 Mar 2026 (Jan 25, Feb 28 (53), + 3);
// + 70 = Tue 17 Mar.
func TestCTLSummaryTrialDecided(t *testing.T) {
	base := func() *caseLog {
		return open("2025-09-01", false, "D1").chargeWith("2026-01-05", "D1", "custody", sexualAssault).
			hearing("2026-01-05", "F1", "first_appearance", "2026-01-06").held("2026-01-06", "F1")
	}
	allocated := func(l *caseLog, on, venue string) *caseLog {
		return l.add(on, &throughline.AllocationDecided{DefendantID: "D1", Venue: venue})
	}
	mags := func(l *caseLog) throughline.Deadline {
		t.Helper()
		return one(t, l.compute(), deadline.CTLMagistrates, "defendant:D1", "offence:SX03007")
	}
	check(t, mags(base()), "2026-03-17", "-", 0, "2026-02-01", deadline.StatusPending)
	for _, c := range []struct{ on, venue, due, why string }{
		{"2026-01-21", "magistrates_court", "2026-03-03", "summary trial decided on day 15: 56 days"},
		{"2026-03-03", "magistrates_court", "2026-03-03", "decided on day 56 itself, before its expiry: 56 days"},
		{"2026-03-04", "magistrates_court", "2026-03-17", "decided on day 57: 70 days"},
		{"2026-01-21", "crown_court", "2026-03-17", "Crown Court trial: 70 days until sending"},
	} {
		if d := mags(allocated(base(), c.on, c.venue)); ds10(d.Due) != c.due || d.Alert != "" {
			t.Errorf("%s: due %s, want %s (alert %q)", c.why, ds10(d.Due), c.due, d.Alert)
		}
	}
	// Re-allocated to the Crown Court (s.25 Magistrates' Courts Act 1980):
	// 70 days again.
	if d := mags(allocated(allocated(base(), "2026-01-21", "magistrates_court"), "2026-02-02", "crown_court")); ds10(d.Due) != "2026-03-17" {
		t.Errorf("re-allocated: due %s", ds10(d.Due))
	}
	// Bailed Sat 10 Jan to Tue 20 Jan: 4 custody days (6 to 9 Jan), then 52
	// from 20 Jan = Fri 13 Mar for 56 days (Jan 11, Feb 28 (39), + 13). Summary
	// trial decided Mon 9 Mar — 62 calendar days after the first appearance
	// but 52 in custody — is within the 56 counted as the limit counts: the
	// earlier limit, Fri 13 Mar, not 70 days' Fri 27 Mar.
	bailed := base().remand("2026-01-10", "D1", "bail").remand("2026-01-20", "D1", "custody")
	check(t, mags(bailed), "2026-03-27", "-", 0, "2026-02-01", deadline.StatusPending)
	check(t, mags(allocated(bailed, "2026-03-09", "magistrates_court")), "2026-03-13", "-", 0, "2026-02-01", deadline.StatusPending)
	// The summary trial starts Mon 2 Mar: the limit is met.
	l := allocated(base(), "2026-01-21", "magistrates_court").hearing("2026-01-21", "T1", "trial", "2026-03-02").
		add("2026-03-02", &throughline.TrialStarted{HearingID: "T1"})
	check(t, mags(l), "2026-03-03", "2026-03-02", 0, "2026-03-04", deadline.StatusMet)
	// Rape is not allocated: its magistrates' custody counts against the
	// Crown Court limit instead, and an allocation changes nothing.
	r := open("2025-09-01", false, "D1").chargeWith("2026-01-05", "D1", "custody", rape)
	if got := pick(allocated(r, "2026-01-21", "magistrates_court").compute(), deadline.CTLMagistrates, "defendant:D1", "*"); len(got) != 0 {
		t.Errorf("rape has a magistrates' limit:\n%s", dump(got))
	}
}
