package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"throughline/sqlstore/storetest"
	"throughline/web/simulator"
)

// waitMeans reads the mean waits of A and B from the results table.
var waitRow = regexp.MustCompile(`Wait from sending to trial, mean \(days\)</th>\s*<td[^>]*>([0-9,]+) \([^<]*</td>\s*<td[^>]*>([0-9,]+) \(`)

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSimulateComparesScenarios(t *testing.T) {
	s := newSite(t, storetest.DSNs(t)["sqlite"])
	// Signed out: sign in first.
	if r := s.browser().get("/simulate"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/sign-in") {
		t.Fatalf("signed out: %d %s", r.status, r.header.Get("Location"))
	}
	// Any member of staff, whatever their role.
	b := s.signIn("witness")
	form := b.get("/simulate")
	if form.status != 200 || !strings.Contains(form.body, `action="/simulate"`) || !strings.Contains(form.body, `href="/simulate"`) || strings.Contains(form.body, "Results:") {
		t.Fatalf("form: %d %s", form.status, text(form.body))
	}
	r := b.post("/simulate", url.Values{"a": {"today"}, "b": {"specialist-courts"}, "replications": {"20"}, "seed": {"7"}})
	if r.status != 200 {
		t.Fatalf("run: %d %s", r.status, text(r.body))
	}
	m := waitRow.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no wait row: %s", text(r.body))
	}
	for _, want := range []string{"A: today", "B: specialist-courts", "Difference (B − A)", "Backlog at the end", "Withdrawals a year", "Courtroom utilisation",
		`<svg`, `aria-labelledby="backlog-chart-title backlog-chart-desc"`, "<desc", "data as a table", "govuk-details"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("results lack %q", want)
		}
	}
	if strings.Contains(r.body, "style=") {
		t.Error("the page has an inline style, which the CSP forbids")
	}
	if a, bw := atoi(t, m[1]), atoi(t, m[2]); bw >= a {
		t.Errorf("specialist courts wait %d days, today %d: want shorter", bw, a)
	}

	// "What if we open four specialist rape courts in the South East?": the
	// South East's own wait falls, and the table by area shows it.
	r = b.post("/simulate", url.Values{"a": {"today"}, "b": {"today"}, "specialist": {"4"}, "area": {"south_east"}, "replications": {"20"}, "seed": {"3"}})
	if r.status != 200 || !strings.Contains(r.body, "4 specialist rooms in CPS South East") {
		t.Fatalf("one area: %d %s", r.status, text(r.body))
	}
	se := regexp.MustCompile(`South East</th>\s*<td[^>]*>([0-9,]+) \([^)]*\)</td>\s*<td[^>]*>([0-9,]+) `).FindStringSubmatch(r.body)
	if se == nil || atoi(t, se[2]) >= atoi(t, se[1]) {
		t.Fatalf("the South East's wait did not fall: %v\n%s", se, text(r.body))
	}
	if r := b.post("/simulate", url.Values{"a": {"today"}, "b": {"today"}, "area": {"south_east"}, "replications": {"20"}, "seed": {"3"}}); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, "Enter the number of specialist rape courtrooms for the area") {
		t.Fatalf("an area without rooms: %d", r.status)
	}

	// A lever on B names it, and both runs stay paired.
	r = b.post("/simulate", url.Values{"a": {"today"}, "b": {"today"}, "specialist": {"2"}, "ineffective": {"10"}, "share": {"20"}, "replications": {"20"}, "seed": {"1"}})
	if r.status != 200 || !strings.Contains(r.body, "2 specialist rooms in each area") || !strings.Contains(r.body, "10% of fixtures ineffective") {
		t.Fatalf("levers: %d %s", r.status, text(r.body))
	}
	if m := waitRow.FindStringSubmatch(r.body); m == nil || atoi(t, m[2]) >= atoi(t, m[1]) {
		t.Errorf("two specialist rooms an area and fewer ineffective trials did not shorten the wait: %v", m)
	}
}

func TestSimulateValidates(t *testing.T) {
	s := newSite(t, storetest.DSNs(t)["sqlite"])
	b := s.signIn("officer")
	before := simulator.SimRuns()
	for _, tc := range []struct {
		form url.Values
		want []string
	}{
		{url.Values{"a": {"today"}, "b": {"specialist-courts"}, "replications": {"5"}, "seed": {"1"}},
			[]string{`href="#replications"`, "Replications must be a whole number from 20 to 200"}},
		{url.Values{"a": {"today"}, "b": {"specialist-courts"}, "replications": {"100000"}, "seed": {"1"}},
			[]string{"Replications must be a whole number from 20 to 200"}},
		{url.Values{"a": {"nonsense"}, "b": {"../today"}, "specialist": {"-1"}, "ineffective": {"95"}, "share": {"0"}, "replications": {"20"}, "seed": {"x"}},
			[]string{`href="#a"`, `href="#b"`, `href="#specialist"`, `href="#ineffective"`, `href="#share"`, `href="#seed"`}},
	} {
		r := b.post("/simulate", tc.form)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "govuk-error-summary") || !strings.Contains(r.body, "<title>Error: ") || strings.Contains(r.body, "Results:") {
			t.Errorf("%v: %d %s", tc.form, r.status, text(r.body))
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(r.body, w) {
				t.Errorf("%v: page lacks %q", tc.form, w)
			}
		}
	}
	if n := simulator.SimRuns() - before; n != 0 {
		t.Errorf("invalid forms ran %d comparisons", n)
	}
}

// The calibrated scenario is fitted from the case record with the same code
// as the CLI (observe.FromStore, tested in sim/observe). The test record's
// one case was sent to the Crown Court more than a year before the test
// clock, so there is no load to fit: the page says so beside the field and
// runs nothing.
func TestSimulateCalibrated(t *testing.T) {
	s := newSite(t, storetest.DSNs(t)["sqlite"])
	b := s.signIn("inspector")
	before := simulator.SimRuns()
	r := b.post("/simulate", url.Values{"a": {"calibrated"}, "b": {"today"}, "replications": {"20"}, "seed": {"1"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#a"`) ||
		!strings.Contains(r.body, "The case record cannot calibrate a scenario: no case in the record was sent to the Crown Court in the last year") {
		t.Fatalf("calibrated: %d %s", r.status, text(r.body))
	}
	if simulator.SimRuns()-before != 1 {
		t.Error("the calibration was not attempted")
	}
}
