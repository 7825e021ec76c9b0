package dashboard

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"throughline"
	"throughline/calendar"
	"throughline/oversight"
	"throughline/web/page"
)

// trialFacts is a case reported a year before its trial started on trial,
// in force.
func trialFacts(t *testing.T, ref, force string, trial calendar.Day) []byte {
	n := oversight.None
	f := oversight.Facts{Case: ref, Force: force, Area: "area", Offence: "19C", Sex: "female", Ethnicity: "white", AgeBand: oversight.Age25to34, Court: "not_sent",
		Reported: trial - 365, FileForDecision: n, Decision: n, Charged: n, FirstHearing: n, Sent: n, TrialStarted: trial,
		Completed: n, Closed: n, Last: trial, Exit: n, WithdrewAfterCharge: n}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A count withheld from the commissioner cannot be worked out from the
// counts shown beside it. Built to expose differencing: one force has 3
// trials that started in the period, two others 20 and 31, so that with
// primary suppression alone the national 54 less 20 and 31 gives the 3
// back, and so would the quarters (the 3 fall in one quarter with 2 more)
// and the bands of days.
func TestCommissionerCannotDifferenceAWithheldCount(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	st := &records{head: 1}
	i := 0
	add := func(force string, n int, on calendar.Day) {
		for range n {
			i++
			st.recs = append(st.recs, trialFacts(t, "RS"+strconv.Itoa(i), force, on))
		}
	}
	add("01", 3, calendar.Date(2026, 2, 10)) // the small cell
	add("13", 2, calendar.Date(2026, 2, 11))
	add("13", 18, calendar.Date(2026, 6, 1))
	add("20", 31, calendar.Date(2026, 9, 1))
	d := &Dashboard{Base: &page.Base{Now: func() time.Time { return now }}, Store: st}
	u := throughline.User{Role: throughline.RoleCommissioner, Agency: "commissioner"}
	f, err := parse(nil, u, now)
	if err != nil {
		t.Fatal(err)
	}
	fig, err := d.figures(context.Background(), u, f, now)
	if err != nil {
		t.Fatal(err)
	}
	total := cellOf(t, fig.tables[0], "Report to trial", 4)
	var quarters, groups, bands []string
	for _, r := range fig.charts[0].Table.Rows {
		quarters = append(quarters, r[2].Text)
	}
	primary := false
	for _, r := range fig.charts[1].Table.Rows {
		groups = append(groups, r[2].Text)
		primary = primary || r[2].Text == fewCount
	}
	for _, r := range fig.charts[2].Table.Rows {
		bands = append(bands, r[1].Text)
	}
	if !primary {
		t.Fatalf("the force with 3 trials is not withheld: %v", groups)
	}
	secondary := 0
	for name, parts := range map[string][]string{"quarters": quarters, "forces": groups, "bands of days": bands} {
		unknown, sum := 0, 0
		for _, p := range append([]string{total}, parts...) {
			n, err := strconv.Atoi(p)
			if err != nil {
				unknown++
				secondary += btoi(p == withheldCount)
				continue
			}
			sum += n
		}
		if unknown == 1 {
			t.Errorf("the %s and the national count leave one count withheld: the commissioner subtracts it (national %s, %s %v)", name, total, name, parts)
		}
		if unknown == 0 && total != strconv.Itoa(sum-atoi(total)) {
			t.Errorf("the %s do not add up to the national count %s: %v", name, total, parts)
		}
	}
	if secondary == 0 {
		t.Error("no count was withheld to protect another: secondary suppression did not run")
	}
	// A supervisor, who is not under the control, sees every count.
	lead := throughline.User{Role: throughline.RolePoliceSupervisor, Agency: "police:13"}
	fig, err = d.figures(context.Background(), lead, f, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range fig.charts[1].Table.Rows {
		if _, err := strconv.Atoi(r[2].Text); err != nil {
			t.Errorf("a force lead sees %q for %s", r[2].Text, r[0].Text)
		}
	}
}

// cellOf is the text of column col of the row of table t headed row.
func cellOf(t *testing.T, tb page.Table, row string, col int) string {
	t.Helper()
	for _, r := range tb.Rows {
		if r[0].Text == row {
			return r[col].Text
		}
	}
	t.Fatalf("no row %q in %q", row, tb.Caption)
	return ""
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }
