package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
	"throughline/wire"
)

// The journey imported, then `attribution --case --json`: every day from the
// report (15 Jan 2024) to the closing day (1 Jul 2025) is in exactly one
// span, and the days add up to the case's 533 days. The period form counts
// the same case the same way, in JSON and CSV.
func TestAttributionCommand(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		if code, _, errs := run(t, "", "import", "--db", dsn, "--file", "../../testdata/journey.jsonl"); code != 0 {
			t.Fatal(errs)
		}
		code, out, errs := run(t, "", "attribution", "--case", "13RS0000101/24", "--json", "--db", dsn)
		if code != 0 {
			t.Fatal(errs)
		}
		var got struct {
			Case  string         `json:"case"`
			Days  map[string]int `json:"days"`
			Spans []struct {
				Party, From, To, Because string
			} `json:"spans"`
		}
		dec := json.NewDecoder(strings.NewReader(out))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&got); err != nil {
			t.Fatal(err, out)
		}
		reported, closed := date(t, "2024-01-15"), date(t, "2025-07-01")
		age := int(closed.Sub(reported).Hours() / 24)
		total := 0
		for _, p := range []string{"police", "cps", "court", "defence", "complainant", "nobody"} {
			n, ok := got.Days[p]
			if !ok {
				t.Errorf("days has no %s", p)
			}
			total += n
		}
		if got.Case != "13RS0000101/24" || len(got.Days) != 6 || total != age || age != 533 {
			t.Errorf("case %s: days %v add up to %d, its age is %d", got.Case, got.Days, total, age)
		}
		// The spans tile the case's life: each starts the day after the one
		// before ends ("to" is inclusive), and their lengths are the days.
		next := reported
		sum := map[string]int{}
		for i, s := range got.Spans {
			from, to := date(t, s.From), date(t, s.To)
			if !from.Equal(next) || to.Before(from) || s.Because == "" {
				t.Fatalf("span %d %+v: expected it to start on %s", i, s, next.Format(time.DateOnly))
			}
			sum[s.Party] += int(to.Sub(from).Hours()/24) + 1
			next = to.AddDate(0, 0, 1)
		}
		if !next.Equal(closed) {
			t.Errorf("spans end on %s, the case closed on %s", next.AddDate(0, 0, -1).Format(time.DateOnly), closed.Format(time.DateOnly))
		}
		for p, n := range got.Days {
			if sum[p] != n {
				t.Errorf("%s: spans add up to %d days, days say %d", p, sum[p], n)
			}
		}
		if got.Days["police"] != 166 || got.Days["cps"] != 137 || got.Days["court"] != 219 || got.Days["nobody"] != 11 {
			t.Errorf("the journey's split: %v", got.Days)
		}

		// The period: the same case, as the only one, in JSON…
		code, out, errs = run(t, "", "attribution", "--from", "2025-01-01", "--to", "2025-12-31", "--by", "force", "--json", "--db", dsn)
		if code != 0 {
			t.Fatal(errs)
		}
		var rep struct {
			AsOf   string `json:"as_of"`
			Groups []struct {
				Group   string             `json:"group"`
				Cases   int                `json:"cases"`
				Days    map[string]int     `json:"days"`
				AgeDays int                `json:"age_days"`
				Median  map[string]float64 `json:"median"`
				Share   map[string]float64 `json:"share"`
			} `json:"groups"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err, out)
		}
		if len(rep.Groups) != 2 || rep.Groups[0].Group != "all" || rep.Groups[1].Group != "13" || rep.AsOf != "2026-01-01" {
			t.Fatalf("groups: %s", out)
		}
		for _, g := range rep.Groups {
			if g.Cases != 1 || g.AgeDays != 533 || g.Days["court"] != 219 || g.Median["police"] != 166 || g.Share["cps"] < 0.257 || g.Share["cps"] > 0.258 {
				t.Errorf("group %s: %+v", g.Group, g)
			}
		}
		// …and in CSV, counted to the end of a period in which it was still
		// open (2024: 352 days, police and CPS only, up to the charge decision).
		code, out, errs = run(t, "", "attribution", "--from", "2024-01-01", "--to", "2024-12-31", "--csv", "--db", dsn)
		if code != 0 {
			t.Fatal(errs)
		}
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil || len(rows) < 7 || rows[0][0] != "group" || rows[0][3] != "rule" {
			t.Fatalf("csv: %v %q", err, out)
		}
		// One row per party, then one per rule that decided any day: the
		// rules' days add up to the parties'.
		days, byRule := map[string]string{}, map[string]int{}
		for _, r := range rows[1:] {
			if r[3] == "" {
				days[r[2]] = r[4]
				continue
			}
			n, _ := strconv.Atoi(r[4])
			byRule[r[2]] += n
		}
		if days["police"] != "166" || days["cps"] != "137" || days["court"] != "49" || days["nobody"] != "0" {
			t.Errorf("2024: %v", days)
		}
		for p, n := range byRule {
			if strconv.Itoa(n) != days[p] {
				t.Errorf("2024: the rules give %s %d days, the party %s", p, n, days[p])
			}
		}
		// --to-trial: the case's trial started on 12 May 2025, 483 days
		// after the report; the days after it are not counted.
		code, out, errs = run(t, "", "attribution", "--from", "2025-01-01", "--to", "2025-12-31", "--to-trial", "--json", "--db", dsn)
		if code != 0 {
			t.Fatal(errs)
		}
		rep.Groups = nil
		if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Groups) != 1 {
			t.Fatal(err, out)
		}
		if g := rep.Groups[0]; g.Cases != 1 || g.AgeDays != 483 || g.Days["police"] != 166 || g.Days["cps"] != 137 || g.Days["court"] != 180 || g.Days["nobody"] != 0 {
			t.Errorf("to the trial: %+v", g)
		}
		if code, out, _ = run(t, "", "attribution", "--from", "2024-01-01", "--to", "2024-12-31", "--to-trial", "--db", dsn); code != 0 || !strings.Contains(out, "No cases") {
			t.Errorf("--to-trial, a period before the trial: %d %s", code, out)
		}
		// A period before the report has no cases; --charged keeps the case.
		if code, out, _ = run(t, "", "attribution", "--from", "2020-01-01", "--to", "2020-12-31", "--db", dsn); code != 0 || !strings.Contains(out, "No cases") {
			t.Errorf("empty period: %d %s", code, out)
		}
		if code, out, _ = run(t, "", "attribution", "--from", "2025-01-01", "--to", "2025-12-31", "--charged", "--db", dsn); code != 0 || !strings.Contains(out, "1 cases, 533 days") {
			t.Errorf("--charged: %d %s", code, out)
		}
		// The text form names the rules.
		if code, out, _ = run(t, "", "attribution", "--case", "13RS0000101/24", "--db", dsn); code != 0 || !strings.Contains(out, "file_submitted v3: a file is with the CPS") {
			t.Errorf("text: %s", out)
		}
		if code, _, errs = run(t, "", "attribution", "--case", "NOPE-1", "--db", dsn); code != 1 || !strings.Contains(errs, "no case") {
			t.Errorf("unknown case: exit %d, %s", code, errs)
		}
	})
}

func TestAttributionCommandUsage(t *testing.T) {
	for _, args := range [][]string{
		{"attribution"},
		{"attribution", "--case", "X/1", "--from", "2024-01-01", "--to", "2024-02-01"},
		{"attribution", "--from", "2024-02-01", "--to", "2024-01-01"},
		{"attribution", "--from", "2024-01-01"},
		{"attribution", "--from", "2024-01-01", "--to", "2024-02-01", "--by", "region"},
		{"attribution", "--from", "2024-01-01", "--to", "2024-02-01", "--json", "--csv"},
		{"attribution", "--case", "X/1", "--by", "force"},
		{"attribution", "--case", "X/1", "--to-trial"},
		{"attribution", "--from", "2024-01-01", "--to", "2024-02-01", "--charged", "--to-trial"},
	} {
		if code, _, _ := run(t, "", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func date(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// A period's figures from the attribution kept in the facts are exactly the
// reference's, the whole log folded again (--from-log), over generated
// cases: every period form (open at its end, past, to a day after the
// present), grouping, cohort and format; with one case's facts as a record
// written before the attribution was kept, which is read from its log.
func TestAttributionKeptIsTheLogs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		if code, _, errs := run(t, "", "generate", "--cases", "1200", "--seed", "7", "--from-year", "2019", "--to-year", "2026", "--as-of", "2026-11-25", "--db", dsn); code != 0 {
			t.Fatal(errs)
		}
		stale(t, dsn)
		for _, period := range [][2]string{{"2019-01-01", "2026-11-24"}, {"2024-04-01", "2025-03-31"}, {"2026-01-01", "2026-12-31"}} {
			for _, cohort := range []string{"", "--charged", "--to-trial"} {
				for _, by := range []string{"", "force", "area"} {
					formats := []string{"--json"}
					if by == "area" {
						formats = append(formats, "--csv", "")
					}
					for _, format := range formats {
						args := []string{"attribution", "--from", period[0], "--to", period[1], "--db", dsn}
						for _, a := range []string{cohort, format} {
							if a != "" {
								args = append(args, a)
							}
						}
						if by != "" {
							args = append(args, "--by", by)
						}
						code, kept, errs := run(t, "", args...)
						if code != 0 {
							t.Fatal(args, errs)
						}
						code, logs, errs := run(t, "", append(args, "--from-log")...)
						if code != 0 {
							t.Fatal(args, errs)
						}
						if kept != logs {
							t.Fatalf("%v: from the facts\n%s\nfrom the log\n%s", args, kept, logs)
						}
						if format == "--json" {
							var rep struct {
								Groups []struct {
									Cases   int `json:"cases"`
									AgeDays int `json:"age_days"`
								} `json:"groups"`
							}
							if err := json.Unmarshal([]byte(kept), &rep); err != nil {
								t.Fatal(err)
							}
							least := 20 // few cases' first trials start in a year
							if cohort == "--to-trial" {
								least = 3
							}
							if len(rep.Groups) == 0 || rep.Groups[0].Cases < least || rep.Groups[0].AgeDays == 0 {
								t.Fatalf("%v: too few cases to compare: %s", args, kept)
							}
						}
					}
				}
			}
		}
	})
}

// stale rewrites one charged case's facts as a record written before the
// attribution was kept.
func stale(t *testing.T, dsn string) {
	t.Helper()
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, dsn, wire.Rules())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var ref string
	var rec []byte
	if err := s.DB().QueryRowContext(ctx, `SELECT case_ref, facts FROM case_facts WHERE facts LIKE '%"charged":%' ORDER BY case_ref LIMIT 1`).Scan(&ref, &rec); err != nil {
		t.Fatal(err)
	}
	var f map[string]json.RawMessage
	if err := json.Unmarshal(rec, &f); err != nil {
		t.Fatal(err)
	}
	if _, ok := f["attribution"]; !ok {
		t.Fatalf("%s: no attribution kept: %s", ref, rec)
	}
	delete(f, "attribution")
	rec, _ = json.Marshal(f)
	q := `UPDATE case_facts SET facts = ? WHERE case_ref = ?`
	if strings.HasPrefix(dsn, "postgres") {
		q = `UPDATE case_facts SET facts = $1 WHERE case_ref = $2`
	}
	if _, err := s.DB().ExecContext(ctx, q, string(rec), ref); err != nil {
		t.Fatal(err)
	}
}
