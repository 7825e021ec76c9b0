package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"throughline"
	"throughline/oversight"
	"throughline/sqlstore/storetest"
	"throughline/synth"
)

// seedCases imports n synthetic cases reported from 2021 to the site's
// today, and returns every case reference and every person's name in the
// record (the journey's case included): the markers no aggregate may carry.
func (s *site) seedCases(n int) (markers []string) {
	s.t.Helper()
	ctx := context.Background()
	var batch []throughline.Proposed
	if err := synth.Generate(synth.Options{Cases: n, Seed: 15, FromYear: 2021, ToYear: 2026, Now: s.clock.Now()}, func(evs []throughline.Event) error {
		for _, e := range evs {
			batch = append(batch, throughline.Proposed{Event: e})
		}
		return nil
	}); err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.store.Import(ctx, batch, false); err != nil {
		s.t.Fatal(err)
	}
	seen := map[string]bool{}
	if err := s.store.EachEvent(ctx, func(e throughline.Event) error {
		seen[e.Case] = true
		if o, ok := e.Data.(*throughline.CaseOpened); ok {
			for _, c := range o.Complainants {
				seen[c.Name] = true
			}
			for _, d := range o.Suspects {
				seen[d.Name] = true
			}
		}
		return nil
	}); err != nil {
		s.t.Fatal(err)
	}
	for m := range seen {
		if m != "" {
			markers = append(markers, m)
		}
	}
	return markers
}

// expected recomputes the measures the way the dashboard must: from every
// event, through package oversight, over the given cases only.
func (s *site) expected(from, to time.Time, keep func(oversight.Facts) bool) oversight.Report {
	s.t.Helper()
	var c oversight.Collector
	if err := s.store.EachEvent(context.Background(), c.Add); err != nil {
		s.t.Fatal(err)
	}
	var facts []oversight.Facts
	for _, f := range c.Facts() {
		if keep(f) {
			facts = append(facts, f)
		}
	}
	r, err := oversight.Aggregate(facts, oversight.Params{From: from, To: to})
	if err != nil {
		s.t.Fatal(err)
	}
	return r
}

// csvFigure finds one figure of the dashboard's CSV.
func csvFigure(t *testing.T, body, table, row, column string) string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if strings.HasPrefix(r[0], table) && r[1] == row && r[2] == column {
			return r[3]
		}
	}
	t.Fatalf("the CSV has no %s / %s / %s:\n%.2000s", table, row, column, body)
	return ""
}

// statRow is a timeliness row as the page's table writes it.
func statRow(label string, s oversight.Stat) string {
	return fmt.Sprintf("%s %.1f %d %d %d", label, s.Mean, s.Median, s.P90, s.N)
}

// The commissioner's dashboard: the national measures, the same figures as
// package oversight computes from the raw events, in the page and in the
// CSV; nothing in either names a case or a person; every case page answers
// the commissioner 403 or 404, naming nothing; bad filters are a clear
// error (422, as every invalid input).
func TestCommissionerDashboard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		s.addPerson("commissioner", "Grace Whitfield", throughline.RoleCommissioner, "commissioner")
		markers := s.seedCases(400)
		b := s.signIn("commissioner")
		if r := b.get("/"); r.header.Get("Location") != "/dashboard" {
			t.Errorf("the commissioner's home is %q, want /dashboard", r.header.Get("Location"))
		}

		q := url.Values{"from": {"2024Q1"}, "to": {"2026Q4"}, "measure": {oversight.ReportToTrial}, "by": {oversight.ByForce}}
		from, to := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
		want := s.expected(from, to, func(oversight.Facts) bool { return true })
		if want.ReportToTrial.N == 0 || want.ReportToCharge.N == 0 {
			t.Fatalf("the synthetic cases have no trial or charge in the period: the test would compare nothing")
		}
		r := b.get("/dashboard?" + q.Encode())
		if r.status != http.StatusOK {
			t.Fatalf("dashboard: %d %s", r.status, text(r.body))
		}
		words := text(r.body)
		for _, w := range []string{"Measures: England and Wales", statRow("Report to trial", want.ReportToTrial), statRow("Report to charge", want.ReportToCharge), statRow("Charge to trial", want.ChargeToTrial),
			"Report to trial by quarter", "Report to trial by police force", "Report to trial: cases by time taken, England and Wales", "West Yorkshire Police"} {
			if !strings.Contains(words, w) {
				t.Errorf("the dashboard does not say %q:\n%.3000s", w, words)
			}
		}
		if n := strings.Count(r.body, `<svg `); n != 3 {
			t.Errorf("%d charts, want 3 (trend, comparison, distribution)", n)
		}
		if strings.Contains(r.body, `style=`) || strings.Contains(r.body, "<script>") {
			t.Error("the dashboard has an inline style or script (the Content-Security-Policy forbids them)")
		}
		c := b.get("/dashboard.csv?" + q.Encode())
		if c.status != http.StatusOK || !strings.HasPrefix(c.header.Get("Content-Type"), "text/csv") {
			t.Fatalf("CSV: %d %s", c.status, c.header.Get("Content-Type"))
		}
		if got := csvFigure(t, c.body, "Time taken", "Report to trial", "Median"); got != strconv.Itoa(want.ReportToTrial.Median) {
			t.Errorf("CSV report to trial median %s, want %d", got, want.ReportToTrial.Median)
		}
		if got := csvFigure(t, c.body, "Outcomes and compliance", "Cases charged", "England and Wales"); got != strconv.Itoa(want.ChargeRate.Charged) {
			t.Errorf("CSV cases charged %s, want %d", got, want.ChargeRate.Charged)
		}

		// Every measure and comparison, page and CSV: no reference, no name.
		var pages []page
		bys := []string{oversight.ByForce, oversight.ByArea, oversight.ByCourt, oversight.ByOffence, oversight.BySex, oversight.ByEthnicity, oversight.ByAge}
		for i, m := range []string{oversight.ReportToTrial, oversight.ReportToCharge, oversight.ChargeToTrial, "charge_rate", "attrition", "trials_effective", "victims_code", "information_requests", "device_refusals"} {
			v := url.Values{"from": {"2021Q1"}, "to": {"2026Q4"}, "measure": {m}, "by": {bys[i%len(bys)]}}
			for _, path := range []string{"/dashboard?", "/dashboard.csv?"} {
				p := b.get(path + v.Encode())
				if p.status != http.StatusOK {
					t.Fatalf("%s%s: %d %s", path, v.Encode(), p.status, text(p.body))
				}
				pages = append(pages, p)
			}
		}
		// Small numbers are withheld from the commissioner: no count of 1
		// to 4 in any CSV, and no figure beside fewer than 10 cases.
		withheld := 0
		for _, p := range pages {
			if !strings.HasPrefix(p.header.Get("Content-Type"), "text/csv") {
				continue
			}
			recs, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range recs[1:] {
				if r[3] == "Fewer than 5" || r[3] == "Too few cases" {
					withheld++
				}
				if n, err := strconv.Atoi(r[3]); err == nil && n >= 1 && n <= 4 && (strings.HasPrefix(r[2], "Cases") || strings.HasPrefix(r[0], "Outcomes") || r[2] == "cases") {
					t.Errorf("the commissioner is shown a count of %d: %v", n, r)
				}
			}
		}
		if withheld == 0 {
			t.Error("nothing was withheld from the commissioner: the synthetic data has no small group, or suppression is off")
		}
		lower := make([]string, len(pages))
		for i, p := range pages {
			lower[i] = strings.ToLower(p.body)
		}
		if len(markers) < 800 {
			t.Fatalf("%d markers: the cases were not seeded", len(markers))
		}
		for _, m := range markers {
			for i := range lower {
				if strings.Contains(lower[i], strings.ToLower(m)) {
					t.Fatalf("a dashboard shows %q", m)
				}
			}
		}

		// No case page answers the commissioner, even for a real case.
		ref := url.PathEscape(testRef)
		for _, path := range []string{"/cases", "/search?q=Olivia", "/cases/" + ref, "/cases/" + ref + "/record", "/cases/" + ref + "/record/charged",
			"/cases/" + ref + "/consent", "/cases/" + ref + "/victim-view", "/cases/" + ref + "/access-log", "/cases/" + ref + "/team",
			"/cases/" + ref + "/team/requests", "/break-glass?ref=" + ref, "/access-review", "/deadlines", "/deadlines/team",
			"/failed-deliveries", "/not-updated", "/admin/case-teams", "/admin/users"} {
			p := b.get(path)
			if p.status != http.StatusNotFound && p.status != http.StatusForbidden {
				t.Errorf("%s as the commissioner: %d", path, p.status)
			}
			if strings.Contains(p.body, testRef) {
				t.Errorf("%s as the commissioner names the case", path)
			}
		}

		// Bad filters: a clear message by the field, and no figures.
		for query, msg := range map[string]string{
			"measure=median_mood":   "Select a measure in the list",
			"by=postcode":           "Select a comparison in the list",
			"from=2026Q3&to=2025Q1": "The end of the period must be the same as or after its start",
			"from=1999Q1":           "Select a quarter in the list for the start of the period",
			"to=2031Q1":             "Select a quarter in the list for the end of the period",
		} {
			p := b.get("/dashboard?" + query)
			if p.status != http.StatusUnprocessableEntity || !strings.Contains(text(p.body), msg) || strings.Contains(p.body, "<svg ") {
				t.Errorf("%s: %d, want 422 saying %q and no chart: %.400s", query, p.status, msg, text(p.body))
			}
		}
		if p := b.get("/dashboard.csv?by=postcode"); p.status != http.StatusUnprocessableEntity {
			t.Errorf("CSV with a bad breakdown: %d", p.status)
		}
	})
}

// A police supervisor's dashboard: their force's figures beside the
// national ones, each as package oversight computes it over those cases; a
// CPS manager's, their area's. An officer has no dashboard.
func TestLeadsDashboards(t *testing.T) {
	s := newSite(t, storetest.DSNs(t)["sqlite"])
	s.seedCases(600)
	from, to := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	all := s.expected(from, to, func(oversight.Facts) bool { return true })
	// The leads of the force and of the CPS area with the most cases.
	var c oversight.Collector
	if err := s.store.EachEvent(context.Background(), c.Add); err != nil {
		t.Fatal(err)
	}
	forces, areas := map[string]int{}, map[string]int{}
	for _, f := range c.Facts() {
		forces[f.Force]++
		areas[f.Area]++
	}
	force, area := most(forces), most(areas)
	fa, _ := throughline.ParseAgency("police:" + force)
	aa, _ := throughline.ParseAgency("cps:" + area)
	s.addPerson("lead-police", "Dee Lead", throughline.RolePoliceSupervisor, fa.String())
	s.addPerson("lead-cps", "Cal Lead", throughline.RoleCPSManager, aa.String())
	q := "/dashboard?from=2021Q1&to=2026Q4&measure=report_to_charge_days"
	for _, lead := range []struct {
		key, name, by string
		mine          func(oversight.Facts) bool
	}{
		{"lead-police", fa.Name(), "force", func(f oversight.Facts) bool { return f.Force == force }},
		{"lead-cps", aa.Name(), "area", func(f oversight.Facts) bool { return f.Area == area }},
	} {
		own := s.expected(from, to, lead.mine)
		if all.CustodyLimits.Met == 0 || all.DaysHeld.Days.Court == 0 {
			t.Fatalf("no custody time limit met or no day before the court in the generated cases: %+v %+v", all.CustodyLimits, all.DaysHeld)
		}
		if own.ReportToCharge.N == 0 || own.ReportToCharge.N == all.ReportToCharge.N {
			t.Fatalf("%s: %d of %d charged cases are theirs: the test would tell nothing", lead.key, own.ReportToCharge.N, all.ReportToCharge.N)
		}
		r := s.signIn(lead.key).get(q + "&by=" + lead.by)
		words := text(r.body)
		for _, w := range []string{"Measures: " + lead.name + " and England and Wales",
			statRow("Report to charge, "+lead.name, own.ReportToCharge), statRow("Report to charge, England and Wales", all.ReportToCharge),
			lead.name + " (yours)", "Report to charge: cases by time taken, " + lead.name,
			// Who the cases waited on, and custody time limits (held days by
			// package attribution's rule).
			fmt.Sprintf("Cases open in the period %d %d", own.DaysHeld.Cases, all.DaysHeld.Cases),
			fmt.Sprintf("Share of their days waiting on the court %.1f%% (%d days) %.1f%% (%d days)", 100*own.DaysHeld.Share.Court, own.DaysHeld.Days.Court,
				100*all.DaysHeld.Share.Court, all.DaysHeld.Days.Court),
			fmt.Sprintf("Custody time limits met %d %d", own.CustodyLimits.Met, all.CustodyLimits.Met),
			fmt.Sprintf("Met with 7 days or fewer to spare %d %d", own.CustodyLimits.NearMisses, all.CustodyLimits.NearMisses)} {
			if r.status != http.StatusOK || !strings.Contains(words, w) {
				t.Errorf("%s: %d, the dashboard does not say %q:\n%.3000s", lead.key, r.status, w, words)
			}
		}
	}
	if r := s.signIn("officer").get("/dashboard"); r.status != http.StatusForbidden {
		t.Errorf("an officer's dashboard: %d, want 403", r.status)
	}
}

// most is the key with the largest count (the first in order on a tie).
func most(counts map[string]int) string {
	best := ""
	for k, n := range counts {
		if best == "" || n > counts[best] || n == counts[best] && k < best {
			best = k
		}
	}
	return best
}
