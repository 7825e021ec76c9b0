package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"throughline"
	"throughline/sqlstore/storetest"
)

// The consultation log and the administrators' log are hash-chained
// (ADR 0112): audit verify passes them untouched and names the first bad
// entry of each chain after someone with the database's keys changes,
// removes, adds or truncates entries behind the store's back.
func TestAuditVerifyDetectsLogTampering(t *testing.T) {
	tamper := map[string]struct {
		sql  []string
		want string
	}{
		"consultation changed": {[]string{`UPDATE consultations SET purpose = 'curiosity' WHERE case_ref = 'A-1' AND seq = 2`}, "case A-1: consultation log: entry 2 (id "},
		"consultation removed": {[]string{`DELETE FROM consultations WHERE case_ref = 'A-1' AND seq = 2`}, "case A-1: consultation log: entry 3 (id "},
		"consultation truncated": {[]string{`DELETE FROM consultations WHERE case_ref = 'A-1' AND seq = 3`},
			"case A-1: consultation log: the chain ends at entry 2 but its head says 3"},
		"consultation added": {[]string{`INSERT INTO consultations (at, user_id, user_name, role, agency, case_ref, parts, purpose, basis, channel, target) SELECT at, user_id, user_name, role, agency, 'B-2', parts, purpose, basis, channel, target FROM consultations WHERE case_ref = 'A-1' AND seq = 1`},
			"case B-2: consultation log: entry id "},
		"consultation moved": {[]string{`UPDATE consultations SET case_ref = 'B-2', seq = 3 WHERE case_ref = 'A-1' AND seq = 3`}, "case A-1: consultation log: the chain ends at entry 2 but its head says 3"},
		"whole case removed": {[]string{`DELETE FROM consultations WHERE case_ref = 'B-2'`}, "case B-2: consultation log: its head says 2 entries but the log holds none"},
		"admin changed":      {[]string{`UPDATE admin_actions SET detail = 'nothing to see' WHERE seq = 1`}, "administrators' log: entry 1 (id "},
		"admin removed":      {[]string{`DELETE FROM admin_actions WHERE seq = 1`}, "administrators' log: entry 2 (id "},
		"admin head rewound": {[]string{`DELETE FROM admin_actions WHERE seq = 2`, `UPDATE log_heads SET seq = 1 WHERE log = 'admin_actions'`}, "administrators' log: the chain ends at entry 1 but its head says 1"},
	}
	for name, tc := range tamper {
		t.Run(name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, dsn string) {
				ctx := context.Background()
				s := openStore(t, dsn)
				look := func(ref, purpose string) throughline.Consultation {
					return throughline.Consultation{UserID: "u_1", UserName: "Priya Shah", Role: "officer", Agency: "police:13", CaseRef: ref,
						Parts: []string{throughline.PartParties}, Purpose: purpose, Basis: throughline.BasisTeam, Channel: throughline.ChannelPage, Target: "GET /cases/{ref}"}
				}
				// Two cases' chains, written one at a time and together.
				if err := s.LogConsultations(ctx, look("A-1", "case work")); err != nil {
					t.Fatal(err)
				}
				if err := s.LogConsultations(ctx, look("B-2", "list"), look("A-1", "list"), look("B-2", "list")); err != nil {
					t.Fatal(err)
				}
				if err := s.LogConsultations(ctx, look("A-1", "case work")); err != nil {
					t.Fatal(err)
				}
				for _, d := range []string{"created user u_2", "added u_2 to A-1"} {
					if err := s.AdminLog(ctx, "u_9", "test", "u_2", d); err != nil {
						t.Fatal(err)
					}
				}
				s.Close()
				code, out, errs := run(t, "", "audit", "verify", "--db", dsn)
				if code != 0 || !strings.Contains(out, "7 entries of the consultation and administrators' logs verified") {
					t.Fatalf("untouched logs: exit %d\n%s%s", code, out, errs)
				}

				db := rawDB(t, dsn)
				for _, q := range append(dropLogTriggers(dsn), tc.sql...) {
					if _, err := db.Exec(q); err != nil {
						t.Fatal(q, err)
					}
				}
				code, out, _ = run(t, "", "audit", "verify", "--db", dsn)
				if code != 1 || !strings.Contains(out, tc.want) {
					t.Fatalf("audit verify after %s: exit %d\n%s\nwant %q", name, code, out, tc.want)
				}
			})
		})
	}
}

// dropLogTriggers is what someone with the database's keys runs first.
func dropLogTriggers(dsn string) []string {
	if strings.HasPrefix(dsn, "sqlite:") {
		return []string{`DROP TRIGGER consultations_no_update`, `DROP TRIGGER consultations_no_delete`, `DROP TRIGGER admin_actions_no_update`, `DROP TRIGGER admin_actions_no_delete`}
	}
	return []string{`DROP TRIGGER consultations_append_only ON consultations`, `DROP TRIGGER admin_actions_append_only ON admin_actions`}
}

// Signed checkpoints seal the logs' chains too: someone who rewrites a
// case's consultations through the store itself, so that every hash and
// head agrees, is caught by the checkpoint taken before; as is one who
// removes the administrators' latest entries and rewinds their head.
func TestCheckpointsSealTheLogs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openStore(t, dsn)
		look := func(purpose string) throughline.Consultation {
			return throughline.Consultation{UserID: "u_1", UserName: "Priya Shah", Role: "officer", Agency: "police:13", CaseRef: "A-1",
				Parts: []string{throughline.PartParties}, Purpose: purpose, Basis: throughline.BasisTeam, Channel: throughline.ChannelPage, Target: "GET /cases/{ref}"}
		}
		for _, p := range []string{"case work", "curiosity", "case work"} {
			if err := s.LogConsultations(ctx, look(p)); err != nil {
				t.Fatal(err)
			}
		}
		for _, d := range []string{"created user u_2", "added u_2 to A-1"} {
			if err := s.AdminLog(ctx, "u_9", "test", "u_2", d); err != nil {
				t.Fatal(err)
			}
		}
		key := filepath.Join(t.TempDir(), "checkpoint.key")
		if code, _, errs := run(t, "", "audit", "keygen", "--out", key); code != 0 {
			t.Fatal(errs)
		}
		if code, out, errs := run(t, "", "audit", "checkpoint", "--key", key, "--db", dsn); code != 0 || !strings.Contains(out, "0 case heads and 2 log chain heads sealed") {
			t.Fatalf("checkpoint: %d %s %s", code, out, errs)
		}
		// The log moves on after the checkpoint: still fine.
		if err := s.LogConsultations(ctx, look("case work")); err != nil {
			t.Fatal(err)
		}
		if code, out, _ := run(t, "", "audit", "verify", "--db", dsn); code != 0 {
			t.Fatalf("verify after the log moved on: %s", out)
		}

		// The rewrite: the entries and the head gone, and the history
		// written again through the store, without the curious look.
		db := rawDB(t, dsn)
		for _, q := range append(dropLogTriggers(dsn), `DELETE FROM consultations WHERE case_ref = 'A-1'`, `DELETE FROM log_heads WHERE log = 'consultations'`,
			`DELETE FROM admin_actions WHERE seq = 2`, `UPDATE log_heads SET seq = 1, hash = (SELECT hash FROM admin_actions WHERE seq = 1) WHERE log = 'admin_actions'`) {
			if _, err := db.Exec(q); err != nil {
				t.Fatal(q, err)
			}
		}
		for _, p := range []string{"case work", "case work", "case work", "case work"} {
			if err := s.LogConsultations(ctx, look(p)); err != nil {
				t.Fatal(err)
			}
		}
		s.Close()
		code, out, _ := run(t, "", "audit", "verify", "--db", dsn)
		for _, want := range []string{"case A-1: consultation log: entry 3 differs from what checkpoint 1 sealed", "administrators' log: entry 2 is missing, but checkpoint 1 sealed it"} {
			if code != 1 || !strings.Contains(out, want) {
				t.Fatalf("verify after the rewrite: exit %d\n%s\nwant %q", code, out, want)
			}
		}
	})
}
