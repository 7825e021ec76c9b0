package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"throughline"
	"throughline/oversight"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
	"throughline/synth"
	"throughline/wire"
)

// From the journey's import to `metrics`: each measure of the one case, in
// JSON, CSV and the table, on both databases; the figures are those the
// reference implementation gives for the import file itself.
func TestMetricsFromJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		if code, _, errs := run(t, "", "import", "--db", dsn, "--file", "../../testdata/journey.jsonl"); code != 0 {
			t.Fatal(errs)
		}
		code, out, errs := run(t, "", "metrics", "--from", "2024-01-01", "--to", "2025-12-31", "--json", "--db", dsn)
		if code != 0 {
			t.Fatal(errs)
		}
		var got map[string]json.RawMessage
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err, out)
		}
		// Reported 15 Jan 2024, charged 13 Nov 2024, trial 12 May 2025.
		for k, want := range map[string]string{
			"report_to_trial_days":         `{"mean":483,"median":483,"p90":483,"n":1}`,
			"report_to_charge_days":        `{"mean":303,"median":303,"p90":303,"n":1}`,
			"charge_to_trial_days":         `{"mean":180,"median":180,"p90":180,"n":1}`,
			"cps_receipt_to_decision_days": `{"mean":71,"median":71,"p90":71,"n":1}`,
			"charge_to_completion_days":    `{"mean":184,"median":184,"p90":184,"n":1}`,
		} {
			if compact(t, got[k]) != compact(t, []byte(want)) {
				t.Errorf("%s = %s, want %s", k, got[k], want)
			}
		}
		for _, k := range []string{"attrition", "trial_outcomes", "victims_code_compliance"} {
			if len(got[k]) == 0 {
				t.Errorf("no %s", k)
			}
		}
		if !strings.Contains(string(got["victims_code_compliance"]), `"rule": "vc_charge"`) {
			t.Errorf("victims_code_compliance: %s", got["victims_code_compliance"])
		}
		// The same figures as the reference implementation over the file.
		var evs []throughline.Event
		for _, l := range journeyLines(t) {
			evs = append(evs, l.Event)
		}
		want, err := oversight.Measure(slices.Values([][]throughline.Event{evs}), oversight.Params{From: metricsDay("2024-01-01"), To: metricsDay("2025-12-31")})
		if err != nil {
			t.Fatal(err)
		}
		wantJSON, _ := json.MarshalIndent(want, "", "  ")
		if strings.TrimSpace(out) != string(wantJSON) {
			t.Errorf("metrics --json differs from oversight.Measure over the file:\n%s", cmp.Diff(string(wantJSON), out))
		}

		// CSV: one row per figure, the whole first.
		code, out, errs = run(t, "", "metrics", "--from", "2024-01-01", "--to", "2025-12-31", "--by", "force", "--csv", "--db", dsn)
		if code != 0 {
			t.Fatal(errs)
		}
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rows[0], []string{"by", "key", "label", "from", "to", "measure", "field", "value"}) {
			t.Errorf("CSV header %v", rows[0])
		}
		find := func(key, measure, field string) string {
			for _, r := range rows {
				if r[1] == key && r[5] == measure && r[6] == field {
					return r[7]
				}
			}
			return "(none)"
		}
		if v := find("", "report_to_trial_days", "mean"); v != "483" {
			t.Errorf("CSV report→trial mean %q", v)
		}
		if v := find("13", "report_to_trial_days", "p90"); v != "483" {
			t.Errorf("CSV West Yorkshire report→trial p90 %q", v)
		}
		if v := find("13", "victims_code_compliance", "vc_charge/police.met_on_time"); v != "1" {
			t.Errorf("CSV vc_charge %q", v)
		}

		// The table a person reads. The custody time limit, extended on 1 May
		// 2025 to 30 June, was met on 12 May with 49 days to spare.
		code, out, errs = run(t, "", "metrics", "--from", "2024-01-01", "--to", "2025-12-31", "--by", "force", "--db", dsn)
		if code != 0 {
			t.Fatal(errs)
		}
		for _, want := range []string{"1 January 2024 to 31 December 2025", "report → trial", "483.0", "Conviction rate", "vc_charge", "BY FORCE", "West Yorkshire Police",
			"Custody time limits: near misses             0", "of 1 met, with 7 days or fewer to spare (0.0%)", "Days the cases waited on"} {
			if !strings.Contains(out, want) {
				t.Errorf("table lacks %q:\n%s", want, out)
			}
		}
		// The roll-up consulted no case (docs/adr/0257): each run is one
		// entry in the administrators' log, saying what was asked.
		s := openStore(t, dsn)
		defer s.Close()
		ctx := context.Background()
		consulted := func() bool {
			t.Helper()
			logged, err := s.Consultations(ctx, throughline.ConsultationFilter{CaseRef: "13RS0000101/24"})
			if err != nil {
				t.Fatal(err)
			}
			return slices.ContainsFunc(logged, func(c throughline.Consultation) bool { return c.Target == "metrics" && c.Purpose != "" })
		}
		if consulted() {
			t.Error("metrics from the roll-up wrote a consultation of the case")
		}
		admin, err := s.AdminActions(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		var runs []string
		for _, a := range admin {
			if a.Action == "metrics" && strings.HasPrefix(a.ActorID, "cli:") && a.Detail != "" {
				runs = append(runs, a.Subject)
			}
		}
		if want := []string{"all cases, 2024-01-01 to 2025-12-31, by force", "all cases, 2024-01-01 to 2025-12-31, by force", "all cases, 2024-01-01 to 2025-12-31"}; !slices.Equal(runs, want) {
			t.Errorf("administrators' log of the metrics runs, newest first: %q, want %q", runs, want)
		}
		// The recomputation reads every case's log, dates of birth included:
		// that is logged as a consultation of each case.
		if code, _, errs := run(t, "", "metrics", "--from-events", "--json", "--db", dsn); code != 0 {
			t.Fatal(errs)
		}
		if !consulted() {
			t.Error("metrics --from-events wrote no consultation of the case")
		}
	})
}

// Generated cases through the store and back: `metrics --json`, from the
// roll-up or recomputed from the log's events, equals the reference
// implementation over the generator's own events.
func TestMetricsOfGeneratedCases(t *testing.T) {
	dsn := "sqlite:" + t.TempDir() + "/gen.db"
	if code, _, errs := run(t, "", "generate", "--cases", "2000", "--seed", "5", "--from-year", "2021", "--to-year", "2026", "--as-of", "2026-11-25", "--db", dsn); code != 0 {
		t.Fatal(errs)
	}
	var cases [][]throughline.Event
	present := time.Date(2026, 11, 25, 0, 0, 0, 0, throughline.London)
	if err := synth.Generate(synth.Options{Cases: 2000, Seed: 5, FromYear: 2021, ToYear: 2026, Now: present}, func(evs []throughline.Event) error {
		cases = append(cases, evs)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, by := range []string{"", "area", "age", "quarter", "from events"} {
		args := []string{"metrics", "--from", "2023-01-01", "--to", "2026-11-24", "--json", "--db", dsn}
		switch by {
		case "from events": // the recomputation from the raw events
			args, by = append(args, "--from-events"), ""
		case "":
		default:
			args = append(args, "--by", by)
		}
		code, out, errs := run(t, "", args...)
		if code != 0 {
			t.Fatal(errs)
		}
		want, err := oversight.Measure(slices.Values(cases), oversight.Params{From: metricsDay("2023-01-01"), To: metricsDay("2026-11-24"), By: by})
		if err != nil {
			t.Fatal(err)
		}
		wantJSON, _ := json.MarshalIndent(want, "", "  ")
		if strings.TrimSpace(out) != string(wantJSON) {
			t.Errorf("by %q: metrics --json differs from the reference over the generated events:\n%s", by, cmp.Diff(string(wantJSON), out))
		}
		if by == "" && want.ReportToTrial.N == 0 {
			t.Error("no trials in the generated period")
		}
	}
	// A database written before the narrow records were kept (some cases
	// have none until `rebuild`): the same figures from the full records,
	// and a note that says so and what to do.
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, dsn, wire.Rules())
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.DB().ExecContext(ctx, `DELETE FROM case_facts_narrow WHERE rowid % 3 = 0`)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"metrics", "--from", "2023-01-01", "--to", "2026-11-24", "--json", "--db", dsn}
	code, out, errs := run(t, "", args...)
	if code != 0 {
		t.Fatal(errs)
	}
	want, err := oversight.Measure(slices.Values(cases), oversight.Params{From: metricsDay("2023-01-01"), To: metricsDay("2026-11-24")})
	if err != nil {
		t.Fatal(err)
	}
	wantJSON, _ := json.MarshalIndent(want, "", "  ")
	if strings.TrimSpace(out) != string(wantJSON) {
		t.Errorf("metrics --json without every narrow record differs from the reference:\n%s", cmp.Diff(string(wantJSON), out))
	}
	if !strings.Contains(errs, "of the 2000 cases have no narrow record") || !strings.Contains(errs, "throughline rebuild") {
		t.Errorf("metrics without every narrow record said %q", errs)
	}
	if code, _, errs := run(t, "", "rebuild", "--db", dsn); code != 0 {
		t.Fatal(errs)
	}
	if code, out, errs = run(t, "", args...); code != 0 || errs != "" || strings.TrimSpace(out) != string(wantJSON) {
		t.Errorf("metrics after rebuild: %d, %q, the same figures: %v", code, errs, strings.TrimSpace(out) == string(wantJSON))
	}
}

func TestMetricsUsage(t *testing.T) {
	db := "sqlite:" + t.TempDir() + "/x.db"
	for _, args := range [][]string{
		{"--by", "postcode"},
		{"--from", "2025-13-01"},
		{"--from", "2025-02-01", "--to", "2025-01-01"},
		{"--json", "--csv"},
		{"--to", "2025-01-01T10:00:00Z"},
	} {
		if code, _, errs := run(t, "", append(append([]string{"metrics"}, args...), "--db", db)...); code != 2 {
			t.Errorf("metrics %v: exit %d, want 2 (%s)", args, code, errs)
		}
	}
	// An empty record: no figures, and no failure; the period ends today.
	if code, out, errs := run(t, "", "metrics", "--db", db); code != 0 || !strings.Contains(out, "No cases") {
		t.Errorf("empty: %d %q %q", code, out, errs)
	}
}

func compact(t *testing.T, b []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(v)
	return string(out)
}

func metricsDay(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// Information requests and device extraction from an import to `metrics`:
// in JSON, CSV and the table, on both databases. One counselling request
// made on 4 March 2026 after her notice on the 3rd, refused by the holder;
// her refusal of a device extraction.
func TestMetricsOfInformationRequests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		if code, _, errs := run(t, "", "import", "--db", dsn, "--file", "../../testdata/information_requests.jsonl"); code != 0 {
			t.Fatal(errs)
		}
		code, out, errs := run(t, "", "metrics", "--from", "2026-01-01", "--to", "2026-03-31", "--json", "--db", dsn)
		if code != 0 {
			t.Fatal(errs)
		}
		var got map[string]json.RawMessage
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err, out)
		}
		for k, want := range map[string]string{
			"information_requests": `{"recorded":1,"counselling":1,"approved":1,"sent":1,"material":{"counselling_notes":1},"notice":{"after":0,"before":1,"excepted":0,"not_given":0},"received":0,"holder_refused":1,"withdrawn":0,"withdrawn_before_sent":0}`,
			"device_extraction":    `{"requested":1,"agreed":0,"refused":1,"refusal_rate":1,"withdrawn":0}`,
		} {
			if compact(t, got[k]) != compact(t, []byte(want)) {
				t.Errorf("%s = %s, want %s", k, got[k], want)
			}
		}
		code, out, errs = run(t, "", "metrics", "--from", "2026-01-01", "--to", "2026-03-31", "--by", "force", "--csv", "--db", dsn)
		if code != 0 {
			t.Fatal(errs)
		}
		for _, row := range []string{"force,13,West Yorkshire Police,2026-01-01,2026-03-31,information_requests,notice.before,1", "force,13,West Yorkshire Police,2026-01-01,2026-03-31,device_extraction,refused,1"} {
			if !strings.Contains(out, row+"\n") {
				t.Errorf("CSV lacks %q:\n%s", row, out)
			}
		}
		code, out, errs = run(t, "", "metrics", "--from", "2026-01-01", "--to", "2026-03-31", "--db", dsn)
		if code != 0 {
			t.Fatal(errs)
		}
		for _, want := range []string{"Information requests made", "counselling notes 1", "before 1, after 0, excepted (s.44B(5)) 0, not given 0", "received 0, refused 1", "Device extraction refused by her", "100.0%"} {
			if !strings.Contains(out, want) {
				t.Errorf("table lacks %q:\n%s", want, out)
			}
		}
	})
}
