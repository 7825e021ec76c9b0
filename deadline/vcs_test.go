package deadline_test

import (
	"strings"
	"testing"

	"throughline"
	"throughline/deadline"
)

func months(n int) *int { return &n }

// A sentence of 12 months or more owes each victim a referral to the Victim
// Contact Scheme within 10 working days of the referrer learning of it (20
// under the 2015 Code).
func TestVCSReferral(t *testing.T) {
	base := func() *caseLog {
		return open("2024-06-03", true, "D1").charge("2025-01-06", "D1", "bail").sent("2025-01-07", "D1").
			add("2025-11-03", &throughline.Verdict{DefendantID: "D1", Result: "guilty_plea"})
	}
	// Sentenced Mon 15 Dec 2025 to 8 years; the WCU learns of it Fri 19 Dec
	// (recorded_at). 10 working days from Fri 19: Mon 22, Tue 23, Wed 24
	// (Christmas Day and Boxing Day out), Mon 29, Tue 30, Wed 31 (New Year's
	// Day out), Fri 2, Mon 5, Tue 6, Wed 7 Jan 2026.
	l := base().addRec("2025-12-15", "2025-12-19", &throughline.Sentenced{DefendantID: "D1", CustodialMonths: months(96)}).
		told("2026-01-08", "C1", throughline.AboutVictimContactScheme)
	ds := l.compute()
	d := one(t, ds, deadline.VCSReferral, "complainant:C1", "defendant:D1")
	check(t, d, "2026-01-07", "2026-01-08", 1, "2026-01-08", deadline.StatusMetLate)
	if d.Owner != "wcu" || d.RuleVersion != "VC2020" || ds10(d.Starts) != "2025-12-19" {
		t.Errorf("%+v", d)
	}
	// C2, recorded not enhanced, has the same 10 days; never referred.
	check(t, one(t, ds, deadline.VCSReferral, "complainant:C2", "defendant:D1"), "2026-01-07", "-", 0, "2026-01-08", deadline.StatusMissed)
	// Telling her of the sentence is not the referral.
	l = base().add("2025-12-15", &throughline.Sentenced{DefendantID: "D1", CustodialMonths: months(96)}).
		told("2025-12-16", "C1", "sentenced")
	if d := one(t, l.compute(), deadline.VCSReferral, "complainant:C1", "defendant:D1"); !d.MetAt.IsZero() {
		t.Errorf("met by a telling of the sentence: %+v", d)
	}

	// Exactly 12 months, sentenced Wed 1 Apr 2026: Thu 2 (Good Friday 3 and
	// Easter Monday 6 out), Tue 7, Wed 8, Thu 9, Fri 10, Mon 13, Tue 14,
	// Wed 15, Thu 16, Fri 17 Apr. Referred Thu 16: on time.
	l = base().add("2026-04-01", &throughline.Sentenced{DefendantID: "D1", CustodialMonths: months(12)}).
		told("2026-04-16", "C1", throughline.AboutVictimContactScheme)
	check(t, one(t, l.compute(), deadline.VCSReferral, "complainant:C1", "defendant:D1"), "2026-04-17", "2026-04-16", 0, "2026-04-20", deadline.StatusMet)

	// 11 months, or a community order (0): no referral is owed.
	for _, m := range []int{0, 11} {
		l = base().add("2026-04-01", &throughline.Sentenced{DefendantID: "D1", CustodialMonths: months(m)})
		if got := pick(l.compute(), deadline.VCSReferral, "*", "*"); len(got) != 0 {
			t.Errorf("%d months owes a referral:\n%s", m, dump(got))
		}
	}

	// Length not recorded: shown, not applicable, asking for it.
	l = base().add("2026-04-01", &throughline.Sentenced{DefendantID: "D1"})
	d = one(t, l.compute(), deadline.VCSReferral, "complainant:C1", "defendant:D1")
	if !strings.Contains(d.NotApplicable, "custodial_months") || !d.Due.IsZero() {
		t.Errorf("length unknown: %+v", d)
	}

	// Not a sexual offence (the events not validated): not applicable.
	l = base().add("2026-04-01", &throughline.Sentenced{DefendantID: "D1", CustodialMonths: months(24)}).nonSexual()
	if d := one(t, l.compute(), deadline.VCSReferral, "complainant:C1", "defendant:D1"); !strings.Contains(d.NotApplicable, "sexual") {
		t.Errorf("not a sexual offence: %+v", d)
	}

	// Sentenced Mon 15 Mar 2021, before the 2020 Code came into force (1 April
	// 2021): the 2015 Code's 20 working days. Tue 16 … Thu 1 Apr is 13 (Good
	// Friday 2 and Easter Monday 5 Apr out), Tue 6 … Wed 14 Apr is 20.
	l = open("2019-06-03", false, "D1").charge("2020-01-06", "D1", "bail").
		add("2021-03-15", &throughline.Sentenced{DefendantID: "D1", CustodialMonths: months(60)})
	d = one(t, l.compute(), deadline.VCSReferral, "complainant:C1", "defendant:D1")
	check(t, d, "2021-04-14", "-", 0, "2021-04-15", deadline.StatusMissed)
	if d.RuleVersion != "VC2015" || d.NotApplicable != "" {
		t.Errorf("under the 2015 Code: %+v", d)
	}
}
