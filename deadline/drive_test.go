package deadline_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"throughline"
	"throughline/deadline"
)

// withRow returns a copy of the rule table with every version of rule id
// changed by change; the built-in table is not touched.
func withRow(id string, change func(r *deadline.Rule)) []deadline.Rule {
	rows := deadline.Rules()
	for i := range rows {
		if rows[i].ID == id {
			change(&rows[i])
		}
	}
	return rows
}

func computeWith(t *testing.T, l *caseLog, rows []deadline.Rule) []throughline.Deadline {
	t.Helper()
	ds, err := deadline.ComputeWith(l.evs, rows)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// The rule table drives the engine: the same table gives what Compute gives,
// and a row's start, meet and end events, changed in the row alone, change
// the deadlines computed.
func TestTableDrivesCompute(t *testing.T) {
	t.Parallel()
	l := busyCase()
	if got, want := computeWith(t, l, deadline.Rules()), l.compute(); !reflect.DeepEqual(got, want) {
		t.Fatalf("the built-in table through ComputeWith differs from Compute:\n%s\nwant\n%s", dump(got), dump(want))
	}

	// PTPH from the charge instead of the sending. Charged Wed 31 Jan 2024
	// + 28 = Wed 28 Feb (from the sending on 1 Feb it is 29 Feb).
	c := open("2023-06-01", false, "D1").
		charge("2024-01-31", "D1", "custody").
		sent("2024-02-01", "D1").
		hearing("2024-02-02", "P1", "ptph", "2024-02-27").
		held("2024-02-27", "P1")
	p := one(t, c.compute(), deadline.PTPH, "defendant:D1", "hearing:P1")
	check(t, p, "2024-02-29", "2024-02-27", 0, "2024-03-01", deadline.StatusMet)
	rows := withRow(deadline.PTPH, func(r *deadline.Rule) { r.Starts = []string{throughline.TypeCharged} })
	p = one(t, computeWith(t, c, rows), deadline.PTPH, "defendant:D1", "hearing:P1")
	check(t, p, "2024-02-28", "2024-02-27", 0, "2024-03-01", deadline.StatusMet)
	if p.StartedBy != throughline.TypeCharged {
		t.Errorf("started by %s, want charged", p.StartedBy)
	}
	// The built-in table is unchanged by the copy.
	if r, _ := deadline.RuleAt(deadline.PTPH, day("2024-02-01")); !slices.Equal(r.Starts, []string{"sent_to_crown_court"}) {
		t.Errorf("built-in PTPH starts %v", r.Starts)
	}

	// PTPH met by a mention instead: the ptph hearing no longer meets it.
	c.hearing("2024-03-01", "M1", "mention", "2024-03-04").held("2024-03-04", "M1")
	rows = withRow(deadline.PTPH, func(r *deadline.Rule) { r.MetKinds = []string{"hearing_held:mention"} })
	p = one(t, computeWith(t, c, rows), deadline.PTPH, "defendant:D1", "hearing:M1")
	check(t, p, "2024-02-29", "2024-03-04", 2, "2024-03-05", deadline.StatusMetLate) // (Thu 29 Feb, Mon 4 Mar] = Fri 1, Mon 4: 2 working days

	// vc_charge met only by a telling about the hearing: the telling about
	// the charge no longer counts.
	v := open("2024-01-02", false, "D1").charge("2024-03-01", "D1", "bail").told("2024-03-04", "C1", "charged")
	check(t, one(t, v.compute(), deadline.VCCharge, "complainant:C1", "defendant:D1"), "2024-03-04", "2024-03-04", 0, "2024-03-05", deadline.StatusMet)
	rows = withRow(deadline.VCCharge, func(r *deadline.Rule) { r.About = []string{"hearing_listed"} })
	check(t, one(t, computeWith(t, v, rows), deadline.VCCharge, "complainant:C1", "defendant:D1"), "2024-03-04", "-", 0, "2024-03-05", deadline.StatusMissed)

	// Early advice no longer overtaken by a charging-decision file.
	e := open("2023-01-03", false, "S2")
	e.add("2023-08-10", &throughline.FileSubmitted{SuspectID: "S2", Purpose: "early_advice"})
	e.add("2023-08-20", &throughline.FileSubmitted{SuspectID: "S2", Purpose: "charging_decision"})
	if d := one(t, e.compute(), deadline.EarlyAdvice, "defendant:S2", ""); d.NotApplicable == "" {
		t.Errorf("built-in: not overtaken: %+v", d)
	}
	rows = withRow(deadline.EarlyAdvice, func(r *deadline.Rule) { r.EndedBy, r.EndKinds = nil, nil })
	check(t, one(t, computeWith(t, e, rows), deadline.EarlyAdvice, "defendant:S2", ""), "2023-08-31", "-", 0, "2023-09-01", deadline.StatusMissed)

	// The Crown Court limit no longer ended by the start of the trial: in
	// the busy case it is then met by the verdict on 20 May 2024.
	rows = withRow(deadline.CTLCrown, func(r *deadline.Rule) {
		r.MetBy = slices.DeleteFunc(slices.Clone(r.MetBy), func(s string) bool { return s == throughline.TypeTrialStarted })
	})
	ctl := one(t, computeWith(t, l, rows), deadline.CTLCrown, "defendant:D1", "")
	check(t, ctl, "2024-06-28", "2024-05-20", 0, "2024-06-01", deadline.StatusMet)
	if ctl.MetBy != throughline.TypeVerdict {
		t.Errorf("met by %s, want verdict", ctl.MetBy)
	}
}

// A table the engine cannot use is refused with a reason.
func TestTableRefused(t *testing.T) {
	t.Parallel()
	for name, rows := range map[string][]deadline.Rule{
		"kind of an unlisted type": withRow(deadline.PTPH, func(r *deadline.Rule) { r.MetKinds = []string{"verdict:guilty"} }),
		"kind without a type":      withRow(deadline.PTPH, func(r *deadline.Rule) { r.MetKinds = []string{"ptph"} }),
		"rule missing": slices.DeleteFunc(deadline.Rules(), func(r deadline.Rule) bool {
			return r.ID == deadline.BCMStage2
		}),
	} {
		if _, err := deadline.ComputeWith(nil, rows); err == nil {
			t.Errorf("%s: accepted", name)
		} else if !strings.Contains(err.Error(), "rule ") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
