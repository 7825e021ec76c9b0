package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"throughline"
	"time"

	"throughline/sqlstore/storetest"
	"throughline/web/api"
)

var testNow = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

// run runs the real command in-process and returns its exit code and output.
func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runAt(t, testNow, stdin, args...)
}

// runAt runs the command with its clock at now.
func runAt(t *testing.T, now time.Time, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Now: func() time.Time { return now }, Getenv: func(string) string { return "" }}
	code = m.Run(context.Background(), args)
	return code, out.String(), errb.String()
}

func TestExitCodesAndHelp(t *testing.T) {
	if code, _, _ := run(t, ""); code != 2 {
		t.Errorf("no command: exit %d, want 2", code)
	}
	if code, _, _ := run(t, "", "no-such-command"); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
	for name := range commands {
		if code, _, errs := run(t, "", name, "--help"); code != 0 || !strings.Contains(errs, "Usage: throughline "+name) {
			t.Errorf("%s --help: exit %d, output %q", name, code, errs)
		}
	}
	if code, _, _ := run(t, "", "generate", "--bogus"); code != 2 {
		t.Errorf("bad flag: exit %d, want 2", code)
	}
	if code, _, _ := run(t, "", "import", "--db", "sqlite:"+t.TempDir()+"/x.db", "--file", "/no/such/file"); code != 1 {
		t.Errorf("missing file: exit %d, want 1", code)
	}
	if code, _, _ := run(t, "", "migrate", "--db", "mysql://nope"); code != 1 {
		t.Errorf("bad --db: exit %d, want 1", code)
	}
}

// From an import file to `case show --json`, export, and a verified log, on
// both databases.
func TestImportExportVerify(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		journey := "../../testdata/journey.jsonl"
		if code, out, errs := run(t, "", "import", "--db", dsn, "--file", journey); code != 0 || !strings.Contains(out, "imported 24 events in 1 cases") {
			t.Fatalf("import: %d %q %q", code, out, errs)
		}
		code, out, _ := run(t, "", "case", "show", "13RS0000101/24", "--json", "--db", dsn)
		if code != 0 || !strings.Contains(out, `"stage": "closed"`) || !strings.Contains(out, `"name": "Amelia Hart"`) {
			t.Fatalf("case show: %d %s", code, out)
		}
		if code, _, errs := run(t, "", "case", "show", "NOPE-1", "--db", dsn); code != 1 || !strings.Contains(errs, "no case NOPE-1") {
			t.Fatalf("case show of a missing case: %d %q", code, errs)
		}
		outFile := filepath.Join(t.TempDir(), "export.jsonl")
		if code, _, errs := run(t, "", "export", "--format", "jsonl", "--out", outFile, "--db", dsn); code != 0 {
			t.Fatalf("export: %s", errs)
		}
		exported, _ := os.ReadFile(outFile)
		if lines := strings.Count(string(exported), "\n"); lines != 24 {
			t.Fatalf("export has %d lines", lines)
		}
		// The export imports into an empty database and exports identically.
		empty := "sqlite:" + filepath.Join(t.TempDir(), "again.db")
		run(t, "", "import", "--db", empty, "--file", outFile)
		_, again, _ := run(t, "", "export", "--db", empty)
		if again != string(exported) {
			t.Fatal("export → import → export differs")
		}
		// Both the case show and the export are in the consultation log.
		s := openStore(t, dsn)
		logged, err := s.Consultations(context.Background(), throughline.ConsultationFilter{CaseRef: "13RS0000101/24"})
		s.Close()
		channels := map[string]bool{}
		for _, c := range logged {
			channels[c.Channel] = c.Purpose != "" && strings.HasPrefix(c.UserID, "cli:")
		}
		if err != nil || !channels["cli"] || !channels["export"] {
			t.Fatalf("consultation log after case show and export: %+v %v", logged, err)
		}
		if code, out, _ := run(t, "", "audit", "verify", "--db", dsn); code != 0 || !strings.Contains(out, "ok: 24 events in 1 cases") {
			t.Fatalf("audit verify: %d %q", code, out)
		}
		if code, out, _ := run(t, "", "rebuild", "--db", dsn); code != 0 || !strings.Contains(out, "1 cases") {
			t.Fatalf("rebuild: %d %q", code, out)
		}
	})
}

func TestImportRefusesBadFile(t *testing.T) {
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "t.db")
	journey, _ := os.ReadFile("../../testdata/journey.jsonl")
	lines := strings.Split(strings.TrimSpace(string(journey)), "\n")
	lines[4] = strings.Replace(lines[4], `"owner":"police"`, `"owner":"the_court"`, 1)
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte(strings.Join(lines, "\n")), 0o600)
	code, _, errs := run(t, "", "import", "--db", dsn, "--file", bad)
	if code != 1 || !strings.Contains(errs, "line 5: not a valid action_plan_issued event: data.items[0].owner: must be one of police, cps") {
		t.Fatalf("bad file: exit %d, %q", code, errs)
	}
	if _, out, _ := run(t, "", "export", "--db", dsn); out != "" {
		t.Fatalf("a refused file wrote events:\n%s", out)
	}
	// A trial before the report: refused by the domain, with its line.
	lines = strings.Split(strings.TrimSpace(string(journey)), "\n")
	lines[2] = strings.Replace(lines[2], `"2024-06-03"`, `"2023-06-03"`, 1)
	os.WriteFile(bad, []byte(strings.Join(lines, "\n")), 0o600)
	code, _, errs = run(t, "", "import", "--db", dsn, "--file", bad)
	if code != 1 || !strings.Contains(errs, "line 3: file_submitted on 2023-06-03 is before the report to the police on 2024-01-15") {
		t.Fatalf("date order: exit %d, %q", code, errs)
	}
	code, out, _ := run(t, "", "import", "--db", dsn, "--file", bad, "--skip-invalid")
	if code != 0 || !strings.Contains(out, "skipped") || !strings.Contains(out, "line 3:") {
		t.Fatalf("--skip-invalid: exit %d, %q", code, out)
	}
}

// audit verify detects a changed, removed, inserted or reordered event and
// names the first one. Tampering needs the append-only triggers dropped
// first, as an attacker with the database owner's rights would.
func TestAuditVerifyDetectsTampering(t *testing.T) {
	tamper := map[string]struct {
		sql  []string
		want string
	}{
		"changed":          {[]string{`UPDATE events SET occurred_at = '2024-11-14' WHERE case_ref = 'T-1' AND version = 9`}, "case T-1 event 9 (position 9): its contents do not match its hash"},
		"actor changed":    {[]string{`UPDATE events SET actor = 'someone else' WHERE case_ref = 'T-1' AND version = 12`}, "case T-1 event 12 (position 12): its contents do not match its hash"},
		"personal removed": {[]string{`UPDATE events SET personal = NULL WHERE case_ref = 'T-1' AND version = 1`}, "case T-1 event 1 (position 1): its contents do not match its hash"},
		"removed":          {[]string{`DELETE FROM events WHERE case_ref = 'T-1' AND version = 5`}, "case T-1 event 6 (position 6): expected version 5"},
		"inserted": {[]string{`UPDATE events SET version = version + 100 WHERE case_ref = 'T-1' AND version >= 7`, `UPDATE events SET version = version - 99 WHERE case_ref = 'T-1' AND version >= 107`,
			`INSERT INTO events (case_ref, version, type, occurred_at, recorded_at, appended_at, actor, agency, data, personal, prev_hash, hash) SELECT case_ref, 7, type, occurred_at, recorded_at, appended_at, actor, agency, data, personal, hash, hash FROM events WHERE case_ref = 'T-1' AND version = 6`}, "case T-1 event 8 (position 7): expected version 7"},
		"reordered":    {[]string{`UPDATE events SET version = 1000 WHERE case_ref = 'T-1' AND version = 3`, `UPDATE events SET version = 3 WHERE case_ref = 'T-1' AND version = 4`, `UPDATE events SET version = 4 WHERE case_ref = 'T-1' AND version = 1000`}, "case T-1 event 4 (position 3): expected version 3"},
		"truncated":    {[]string{`DELETE FROM events WHERE case_ref = 'T-1' AND version = 24`}, "case T-1 event 23 (position 23): the chain ends at version 23 but the case is at version 24"},
		"case removed": {[]string{`DELETE FROM events WHERE case_ref = 'T-1'`}, "case T-1: the case is at version 24 but the log holds none of its events"},
		// Projections edited behind the log's back: named at the first difference.
		"projected name":  {[]string{`UPDATE cases SET state = replace(state, 'Daniel Ross', 'Someone Else') WHERE ref = 'T-1'`}, `case T-1: projection differs from the log: cases.state at state.Defendants[0].Name: stored "Someone Else", the log says "Daniel Ross"`},
		"projected stage": {[]string{`UPDATE cases SET stage = 'charged' WHERE ref = 'T-1'`}, `case T-1: projection differs from the log: cases.stage is "charged"`},
		"hearing date":    {[]string{`UPDATE hearings SET starts_on = '2030-01-01' WHERE case_ref = 'T-1' AND hearing_id = 'H1'`}, `case T-1: projection differs from the log: hearings.starts_on is "2030-01-01"`},
		"party name":      {[]string{`UPDATE parties SET name = 'Someone Else' WHERE case_ref = 'T-1' AND party_id = 'D1'`}, `case T-1: projection differs from the log: parties.name is "Someone Else", the log says "Daniel Ross"`},
		"deadline":        {[]string{`DELETE FROM deadlines WHERE case_ref = 'T-1'`}, `case T-1: projection differs from the log: deadlines: a row the log has is missing`},
	}
	for name, tc := range tamper {
		t.Run(name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, dsn string) {
				journey, _ := os.ReadFile("../../testdata/journey.jsonl")
				file := filepath.Join(t.TempDir(), "t.jsonl")
				os.WriteFile(file, bytes.ReplaceAll(journey, []byte("13RS0000101/24"), []byte("T-1")), 0o600)
				if code, _, errs := run(t, "", "import", "--db", dsn, "--file", file); code != 0 {
					t.Fatal(errs)
				}
				db := rawDB(t, dsn)
				for _, q := range dropTriggers(dsn) {
					if _, err := db.Exec(q); err != nil {
						t.Fatal(q, err)
					}
				}
				for _, q := range tc.sql {
					if _, err := db.Exec(q); err != nil {
						t.Fatal(q, err)
					}
				}
				code, out, _ := run(t, "", "audit", "verify", "--db", dsn)
				if code != 1 || !strings.Contains(out, tc.want) {
					t.Fatalf("audit verify after %s: exit %d\n%s\nwant %q", name, code, out, tc.want)
				}
			})
		})
	}
}

// Erasing a closed case destroys its key: every personal field reads as
// erased — on screen, in the projections and in an export, which imports
// back unchanged — and the log, which keeps every byte, still verifies.
func TestCaseErase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		if code, _, errs := run(t, "", "import", "--db", dsn, "--file", "../../testdata/journey.jsonl"); code != 0 {
			t.Fatal(errs)
		}
		const ref = "13RS0000101/24"
		if code, _, errs := run(t, "", "case", "erase", ref, "--db", dsn); code != 2 || !strings.Contains(errs, "--reason") {
			t.Fatalf("erase without a reason: exit %d %q", code, errs)
		}
		code, out, errs := run(t, "", "case", "erase", ref, "--reason", "retention review: no further retention justified", "--db", dsn)
		if code != 0 || !strings.Contains(out, "personal data erased on 2026-11-25") {
			t.Fatalf("erase: exit %d %q %q", code, out, errs)
		}
		if code, _, errs := run(t, "", "case", "erase", ref, "--reason", "again", "--db", dsn); code != 1 || !strings.Contains(errs, "its personal data was erased on 2026-11-25") {
			t.Fatalf("erase twice: exit %d %q", code, errs)
		}
		if code, out, _ := run(t, "", "audit", "verify", "--db", dsn); code != 0 {
			t.Fatalf("audit verify after erasure: %s", out)
		}
		_, shown, _ := run(t, "", "case", "show", ref, "--db", dsn)
		if !strings.Contains(shown, "Complainant C1: [erased]") || !strings.Contains(shown, "Defendant D1: [erased]") {
			t.Errorf("case show after erasure:\n%s", shown)
		}
		db := rawDB(t, dsn)
		var keys, named int
		db.QueryRow(`SELECT count(*) FROM case_keys`).Scan(&keys)
		db.QueryRow(`SELECT count(*) FROM cases WHERE state LIKE '%Amelia%' OR state LIKE '%1998-04-02%'`).Scan(&named)
		var name string
		db.QueryRow(`SELECT name FROM parties WHERE party_id = 'C1'`).Scan(&name)
		if keys != 0 || named != 0 || name != "[erased]" {
			t.Errorf("after erasure: %d keys, %d case rows naming her, party name %q", keys, named, name)
		}
		_, exported, _ := run(t, "", "export", "--db", dsn)
		if strings.Contains(exported, "Amelia") || !strings.Contains(exported, `"name":"[erased]"`) || !strings.Contains(exported, `"type":"case_erased"`) ||
			!strings.Contains(exported, `"age_band_at_report":"25_34"`) {
			t.Fatalf("export after erasure:\n%s", exported)
		}
		file := filepath.Join(t.TempDir(), "erased.jsonl")
		os.WriteFile(file, []byte(exported), 0o600)
		again := "sqlite:" + filepath.Join(t.TempDir(), "again.db")
		if code, _, errs := run(t, "", "import", "--db", again, "--file", file); code != 0 {
			t.Fatal(errs)
		}
		if _, reexported, _ := run(t, "", "export", "--db", again); reexported != exported {
			t.Errorf("export → import → export changed an erased case")
		}
		// Erased payloads come back only with the erasure itself.
		var unerased []string
		for _, line := range strings.SplitAfter(exported, "\n") {
			if !strings.Contains(line, `"type":"case_erased"`) {
				unerased = append(unerased, line)
			}
		}
		os.WriteFile(file, []byte(strings.Join(unerased, "")), 0o600)
		code, _, errs = run(t, "", "import", "--db", "sqlite:"+filepath.Join(t.TempDir(), "third.db"), "--file", file)
		if code != 1 || !strings.Contains(errs, `line 1: "[erased]" stands for erased personal data, but case 13RS0000101/24 is not erased`) {
			t.Errorf("import of erased payloads without the erasure: exit %d %q", code, errs)
		}
	})
}

// A signed checkpoint catches what the chains alone cannot: someone with
// the database owner's rights who rewrites a case's history and recomputes
// every hash. It also catches changed checkpoints and a wrong key.
func TestAuditCheckpoints(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		journey, _ := os.ReadFile("../../testdata/journey.jsonl")
		if code, _, errs := run(t, "", "import", "--db", dsn, "--file", "../../testdata/journey.jsonl"); code != 0 {
			t.Fatal(errs)
		}
		key := filepath.Join(dir, "checkpoint.key")
		code, out, errs := run(t, "", "audit", "keygen", "--out", key)
		pub := strings.TrimPrefix(regexp.MustCompile(`public key \S+`).FindString(out), "public key ")
		if code != 0 || pub == "" {
			t.Fatalf("keygen: %d %q %q", code, out, errs)
		}
		if code, _, _ := run(t, "", "audit", "keygen", "--out", key); code != 1 {
			t.Errorf("keygen over an existing key: exit %d", code)
		}
		if code, out, errs := run(t, "", "audit", "checkpoint", "--key", key, "--db", dsn); code != 0 || !strings.Contains(out, "checkpoint 1 at 2026-11-25T09:00:00Z: 1 cases, 24 events, 1 case heads and 0 log chain heads sealed") {
			t.Fatalf("checkpoint: %d %q %q", code, out, errs)
		}
		// A second case, and a second checkpoint sealing only it.
		other := filepath.Join(dir, "other.jsonl")
		os.WriteFile(other, bytes.ReplaceAll(journey, []byte("13RS0000101/24"), []byte("T-2")), 0o600)
		if code, _, errs := run(t, "", "import", "--db", dsn, "--file", other); code != 0 {
			t.Fatal(errs)
		}
		if code, out, _ := run(t, "", "audit", "checkpoint", "--key", key, "--db", dsn); code != 0 || !strings.Contains(out, "2 cases, 48 events, 1 case heads and 0 log chain heads sealed") {
			t.Fatalf("second checkpoint: %q", out)
		}
		if code, out, _ := run(t, "", "audit", "verify", "--public-key", pub, "--db", dsn); code != 0 || !strings.Contains(out, "signatures verify, up to checkpoint 2") {
			t.Fatalf("verify: %d %s", code, out)
		}
		_, out, _ = run(t, "", "audit", "keygen", "--out", filepath.Join(dir, "other.key"))
		wrong := strings.TrimPrefix(regexp.MustCompile(`public key \S+`).FindString(out), "public key ")
		if code, out, _ := run(t, "", "audit", "verify", "--public-key", wrong, "--db", dsn); code != 1 || !strings.Contains(out, "checkpoint 1: its signature does not verify under the public key") {
			t.Errorf("verify with another key: %d %s", code, out)
		}

		// The attack: the first case's history rewritten through the store
		// itself, so that every hash and head is consistent.
		db := rawDB(t, dsn)
		for _, q := range dropTriggers(dsn) {
			if _, err := db.Exec(q); err != nil {
				t.Fatal(q, err)
			}
		}
		for _, q := range []string{`DELETE FROM events WHERE case_ref = '13RS0000101/24'`, `DELETE FROM case_keys WHERE case_ref = '13RS0000101/24'`, `DELETE FROM cases WHERE ref = '13RS0000101/24'`,
			`DELETE FROM parties WHERE case_ref = '13RS0000101/24'`, `DELETE FROM offences WHERE case_ref = '13RS0000101/24'`, `DELETE FROM hearings WHERE case_ref = '13RS0000101/24'`,
			`DELETE FROM key_dates WHERE case_ref = '13RS0000101/24'`, `DELETE FROM deadlines WHERE case_ref = '13RS0000101/24'`, `DELETE FROM case_facts WHERE case_ref = '13RS0000101/24'`,
			`DELETE FROM case_facts_narrow WHERE case_ref = '13RS0000101/24'`} {
			if _, err := db.Exec(q); err != nil {
				t.Fatal(q, err)
			}
		}
		rewritten := filepath.Join(dir, "rewritten.jsonl")
		const reason = `"reason":"sentenced; appeal period over"`
		if !bytes.Contains(journey, []byte(reason)) {
			t.Fatal("the journey's closing reason has changed")
		}
		os.WriteFile(rewritten, bytes.Replace(journey, []byte(reason), []byte(`"reason":"no further action"`), 1), 0o600)
		if code, _, errs := run(t, "", "import", "--db", dsn, "--file", rewritten); code != 0 {
			t.Fatal(errs)
		}
		code, out, _ = run(t, "", "audit", "verify", "--public-key", pub, "--db", dsn)
		if code != 1 || !strings.Contains(out, "case 13RS0000101/24 event 24") || !strings.Contains(out, "differs from what checkpoint 1 sealed on 25 November 2026") {
			t.Fatalf("verify after a rewrite with recomputed hashes: %d %s", code, out)
		}
		if code, _, errs := run(t, "", "audit", "checkpoint", "--key", key, "--db", dsn); code != 1 || !strings.Contains(errs, "nothing was signed") {
			t.Errorf("checkpoint over a rewritten log: %d %q", code, errs)
		}
		// A sealed head changed to match the rewrite breaks its checkpoint.
		for _, q := range dropCheckpointTriggers(dsn) {
			if _, err := db.Exec(q); err != nil {
				t.Fatal(q, err)
			}
		}
		if _, err := db.Exec(`UPDATE checkpoint_heads SET hash = (SELECT hash FROM events WHERE case_ref = '13RS0000101/24' AND version = 24) WHERE case_ref = '13RS0000101/24'`); err != nil {
			t.Fatal(err)
		}
		if code, out, _ := run(t, "", "audit", "verify", "--db", dsn); code != 1 || !strings.Contains(out, "checkpoint 1: the heads it sealed were changed") || strings.Contains(out, "differs from") {
			t.Errorf("verify after changing a sealed head: %d %s", code, out)
		}
	})
}

func rawDB(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	driver, name := "pgx", dsn
	if strings.HasPrefix(dsn, "sqlite:") {
		driver, name = "sqlite", strings.TrimPrefix(dsn, "sqlite:")
	}
	db, err := sql.Open(driver, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func dropCheckpointTriggers(dsn string) []string {
	if strings.HasPrefix(dsn, "sqlite:") {
		return []string{`DROP TRIGGER checkpoint_heads_no_update`}
	}
	return []string{`DROP TRIGGER checkpoint_heads_append_only ON checkpoint_heads`}
}

func dropTriggers(dsn string) []string {
	if strings.HasPrefix(dsn, "sqlite:") {
		return []string{`DROP TRIGGER events_no_update`, `DROP TRIGGER events_no_delete`}
	}
	return []string{`DROP TRIGGER events_append_only ON events`}
}

// The same seed gives the same cases byte for byte whenever it runs on the
// same day, and on any day with the same --as-of.
func TestGenerateIsDeterministic(t *testing.T) {
	runs := []struct {
		now  time.Time
		args []string
	}{
		{testNow, nil},
		{testNow.Add(10 * time.Hour), nil}, // later the same day
		{testNow.AddDate(1, 0, 0), []string{"--as-of", testNow.Format(time.DateOnly)}},
	}
	exports := make([]string, len(runs))
	for i, r := range runs {
		dsn := "sqlite:" + filepath.Join(t.TempDir(), fmt.Sprintf("g%d.db", i))
		args := append([]string{"generate", "--cases", "300", "--seed", "5", "--db", dsn}, r.args...)
		if code, out, errs := runAt(t, r.now, "", args...); code != 0 || !strings.Contains(out, "generated 300 cases") {
			t.Fatalf("generate %v: %d %q %q", args, code, out, errs)
		}
		_, exports[i], _ = run(t, "", "export", "--db", dsn)
		if exports[i] != exports[0] || len(exports[i]) < 10000 {
			t.Fatalf("run %d: the same seed gave different data", i)
		}
	}
	if code, _, _ := run(t, "", "generate", "--as-of", "25/11/2026", "--db", "sqlite:"+filepath.Join(t.TempDir(), "x.db")); code != 2 {
		t.Errorf("bad --as-of: exit %d, want 2", code)
	}
}

// From an import to `deadlines --json`: every applicable duty with the right
// due date and status, on both databases.
func TestDeadlinesFromImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		if code, _, errs := run(t, "", "import", "--db", dsn, "--file", "../../testdata/journey.jsonl"); code != 0 {
			t.Fatal(errs)
		}
		code, out, errs := run(t, "", "deadlines", "--case", "13RS0000101/24", "--json", "--db", dsn)
		if code != 0 {
			t.Fatal(errs)
		}
		var got []api.DeadlineView
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err, out)
		}
		find := func(rule, concerning string) (r api.DeadlineView) {
			for _, d := range got {
				if d.Rule == rule && d.Concerning == concerning {
					return d
				}
			}
			t.Fatalf("no %s deadline concerning %q in\n%s", rule, concerning, out)
			return
		}
		// Charged Wednesday 13 Nov 2024 (recorded 10:05); told by phone that
		// afternoon: due by the end of the next working day, Thursday 14th.
		if d := find("vc_charge", "defendant:D1"); d.Due != "2024-11-14" || d.Status != "met" || d.Owner != "police" {
			t.Errorf("vc_charge: %+v", d)
		}
		// Sent 14 Nov 2024: PTPH within 28 days, held 12 Dec.
		if d := find("ptph", "hearing:H2"); d.Due != "2024-12-12" || d.Status != "met" {
			t.Errorf("ptph: %+v", d)
		}
		// Custody case: Stage 1 due 50 days after sending (3 Jan 2025), never recorded as served.
		if d := find("bcm_stage1", ""); d.Due != "2025-01-03" || d.Status != "missed" || d.Owner != "cps" {
			t.Errorf("bcm_stage1: %+v", d)
		}
		// The Crown Court custody time limit, extended to 30 June 2025, was
		// met when the trial started on 12 May.
		if d := find("ctl_crown", ""); d.Due != "2025-06-30" || d.Status != "met" || d.MetAt != "2025-05-12" {
			t.Errorf("ctl_crown: %+v", d)
		}
		// The PTPH listing was never passed on to the victim: missed.
		if d := find("vc_hearing_date", "hearing:H2"); d.Status != "missed" || d.Owner != "wcu" {
			t.Errorf("vc_hearing_date H2: %+v", d)
		}
		// Across cases: open deadlines due before a day.
		code, out, _ = run(t, "", "deadlines", "--due-before", "2025-01-31", "--force", "13", "--json", "--db", dsn)
		if code != 0 || !strings.Contains(out, `"rule": "bcm_stage1"`) || strings.Contains(out, `"rule": "ptph"`) {
			t.Errorf("--due-before: %s", out)
		}
		code, out, _ = run(t, "", "compliance", "--from", "2024-11-01", "--to", "2025-07-31", "--json", "--db", dsn)
		if code != 0 || !strings.Contains(out, `"rule": "vc_charge"`) {
			t.Errorf("compliance: %s", out)
		}
	})
}
