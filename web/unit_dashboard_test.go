package web_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"throughline"
	"throughline/sqlstore/storetest"
)

// The unit dashboards: a police supervisor sees their force's joint work
// and a CPS manager their area's, in the page and in the CSV, each figure
// from the record (the files assessed add up to the assessments of the
// unit's cases in the period); neither names a case or a complainant or
// suspect; bad filters are a 422 that says which; the commissioner, who has
// no unit, finds none (404), and an officer may not look (403).
func TestUnitDashboards(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		s := newSite(t, dsn)
		markers := s.seedCases(300)
		s.addPerson("lead-cps", "Cal Lead", throughline.RoleCPSManager, "cps:yorkshire_humberside")
		s.addPerson("commissioner", "Grace Whitfield", throughline.RoleCommissioner, "commissioner")
		from, to := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
		assessed := map[string]int{} // by unit
		unitOf := map[string][]string{}
		var staff []string // item owners may be named; a complainant may share a name with one
		if err := s.store.EachEvent(context.Background(), func(e throughline.Event) error {
			switch d := e.Data.(type) {
			case *throughline.CaseOpened:
				unitOf[e.Case] = []string{"police:" + d.Force, "cps:" + d.CPSArea}
			case *throughline.ActionPlanIssued:
				for _, it := range d.Items {
					staff = append(staff, it.OwnerName)
				}
			case *throughline.FileQualityAssessed:
				if day := e.OccurredAt.Date(); !day.Before(from) && !day.After(to) {
					for _, u := range unitOf[e.Case] {
						assessed[u]++
					}
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for _, lead := range []struct{ key, unit, name string }{
			{"supervisor", "police:13", "West Yorkshire Police"},
			{"lead-cps", "cps:yorkshire_humberside", "CPS Yorkshire and Humberside"},
		} {
			if assessed[lead.unit] == 0 {
				t.Fatalf("%s: no file-quality assessment in the unit: the test would compare nothing", lead.unit)
			}
			b := s.signIn(lead.key)
			r := b.get("/dashboard/unit?from=2021Q1&to=2026Q4")
			words := text(r.body)
			for _, w := range []string{"Your unit: " + lead.name, "Action items overdue today on open cases, by owner",
				"Action items by the quarter they fell due", "Reasons files were not acceptable", "Days each party has held the cases open today",
				"Who held the cases closed in the period", "Files not acceptable, by quarter"} {
				if r.status != http.StatusOK || !strings.Contains(words, w) {
					t.Errorf("%s: %d, the unit dashboard does not say %q:\n%.2000s", lead.key, r.status, w, words)
				}
			}
			if n := strings.Count(r.body, "<svg "); n != 2 || strings.Contains(r.body, "style=") {
				t.Errorf("%s: %d charts (want 2), or an inline style", lead.key, n)
			}
			c := b.get("/dashboard/unit.csv?from=2021Q1&to=2026Q4")
			rows, err := csv.NewReader(strings.NewReader(c.body)).ReadAll()
			if c.status != http.StatusOK || err != nil {
				t.Fatalf("%s CSV: %d %v", lead.key, c.status, err)
			}
			files := 0
			for _, row := range rows {
				if strings.HasPrefix(row[0], "File quality and disputes by quarter") && row[2] == "Files assessed" {
					n, _ := strconv.Atoi(row[3])
					files += n
				}
			}
			if files != assessed[lead.unit] {
				t.Errorf("%s: the CSV counts %d files assessed, the record has %d", lead.key, files, assessed[lead.unit])
			}
			for _, m := range markers {
				if slices.ContainsFunc(staff, func(n string) bool { return strings.Contains(n, m) }) {
					continue
				}
				if strings.Contains(r.body, m) || strings.Contains(c.body, m) {
					t.Errorf("%s: the unit dashboard names %q", lead.key, m)
				}
			}
			if p := b.get("/dashboard/unit?from=2031Q1"); p.status != http.StatusUnprocessableEntity || !strings.Contains(text(p.body), "Select a quarter in the list for the start of the period") {
				t.Errorf("%s: a quarter not offered: %d", lead.key, p.status)
			}
		}
		if r := s.signIn("commissioner").get("/dashboard/unit"); r.status != http.StatusNotFound {
			t.Errorf("the commissioner's unit dashboard: %d, want 404", r.status)
		}
		if r := s.signIn("officer").get("/dashboard/unit.csv"); r.status != http.StatusForbidden {
			t.Errorf("an officer's unit CSV: %d, want 403", r.status)
		}
	})
}
