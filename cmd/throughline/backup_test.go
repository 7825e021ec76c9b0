package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"throughline"
	"throughline/identity"
	"throughline/internal/testwait"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
	"throughline/wire"
)

// A backup taken while cases are being written is a consistent snapshot;
// restored into an empty database it passes audit verify with the
// checkpoint's public key, and a backup of a quiet database restores to a
// copy identical table by table, row by row. The file holds no personal
// data in clear, and a damaged, truncated or altered file or a wrong key
// is refused with the database left untouched.
func TestBackupAndRestore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		dir := t.TempDir()
		fresh := freshDSN(t, dsn)
		if code, _, errs := run(t, "", "import", "--db", dsn, "--file", "../../testdata/journey.jsonl"); code != 0 {
			t.Fatal(errs)
		}
		pw := filepath.Join(dir, "pw")
		os.WriteFile(pw, []byte("a long enough first password\n"), 0o600)
		if code, _, errs := run(t, "", "user", "add", "--db", dsn, "--name", "Priya Shah", "--role", "officer", "--agency", "police:13", "--login", "priya@wyp.police.uk", "--password-file", pw); code != 0 {
			t.Fatal(errs)
		}
		if code, _, errs := run(t, "", "case", "show", "13RS0000101/24", "--db", dsn, "--purpose", "file review"); code != 0 {
			t.Fatal(errs)
		}
		signing := filepath.Join(dir, "checkpoint.key")
		_, out, _ := run(t, "", "audit", "keygen", "--out", signing)
		pub := regexp.MustCompile(`public key (\S+)`).FindStringSubmatch(out)[1]
		if code, _, errs := run(t, "", "audit", "checkpoint", "--key", signing, "--db", dsn); code != 0 {
			t.Fatal(errs)
		}
		key, otherKey := filepath.Join(dir, "backup.key"), filepath.Join(dir, "other.key")
		for _, k := range []string{key, otherKey} {
			if code, _, errs := run(t, "", "backup", "keygen", "--out", k); code != 0 {
				t.Fatal(errs)
			}
		}

		// Back up while serve and other writers append, until a backup has
		// run with appends landing during it.
		s := openStore(t, dsn)
		defer s.Close()
		w := startWriters(t, s, dsn)
		testwait.For(t, "serve acknowledging an append", func() bool { return w.served.Load() > 0 })
		var during string
		for i := 0; during == "" && i < 50; i++ {
			f := filepath.Join(dir, fmt.Sprintf("during-%d.tlb", i))
			before := w.appended.Load()
			if code, _, errs := run(t, "", "backup", "--db", dsn, "--out", f, "--backup-key", key); code != 0 {
				t.Fatal(errs)
			}
			if w.appended.Load() > before {
				during = f
			}
		}
		w.stop()
		if during == "" {
			t.Fatal("no backup overlapped an append in 50 tries")
		}
		if code, out, errs := run(t, "", "restore", "--db", fresh, "--from", during, "--backup-key", key); code != 0 || !strings.Contains(out, "restored ") {
			t.Fatalf("restore: %d %q %q", code, out, errs)
		}
		verifyCopy(t, fresh, pub)

		// A quiet database restores to an identical copy.
		quiet := filepath.Join(dir, "quiet.tlb")
		if code, _, errs := run(t, "", "backup", "--db", dsn, "--out", quiet, "--backup-key", key); code != 0 {
			t.Fatal(errs)
		}
		if code, _, errs := run(t, "", "backup", "--db", dsn, "--out", quiet, "--backup-key", key); code != 1 || !strings.Contains(errs, "exists") {
			t.Errorf("backup over an existing file: %d %q", code, errs)
		}
		missing := filepath.Join(dir, "missing.db")
		if code, _, errs := run(t, "", "backup", "--db", "sqlite:"+missing, "--out", filepath.Join(dir, "none.tlb"), "--backup-key", key); code != 1 || !strings.Contains(errs, "no database to back up") {
			t.Errorf("backup of a missing SQLite file: %d %q", code, errs)
		}
		if _, err := os.Stat(missing); err == nil {
			t.Error("backing up a missing SQLite file made one")
		}
		target := freshDSN(t, dsn)
		// Refused files and keys leave the target untouched.
		b, _ := os.ReadFile(quiet)
		refused := map[string]struct {
			file []byte
			key  string
			want string
		}{
			"one byte of the body changed":  {flip(b, len(b)/2), key, "altered or damaged"},
			"a row count in the header":     {bytes.Replace(b, []byte(`"rows":1}`), []byte(`"rows":2}`), 1), key, "altered or damaged"},
			"the last chunk cut off":        {b[:len(b)-40], key, "truncated"},
			"cut at the end of a chunk":     {b[:bytes.IndexByte(b, '\n')+1], key, "truncated"},
			"another backup key":            {b, otherKey, "wrong backup key"},
			"not a backup":                  {[]byte("hello\n"), key, "not a Throughline backup"},
			"something after the last part": {append(bytes.Clone(b), 0), key, "more after its last chunk"},
		}
		for name, tc := range refused {
			f := filepath.Join(dir, "bad.tlb")
			os.WriteFile(f, tc.file, 0o600)
			if code, _, errs := run(t, "", "restore", "--db", target, "--from", f, "--backup-key", tc.key); code != 1 || !strings.Contains(errs, tc.want) {
				t.Errorf("%s: %d %q, want %q", name, code, errs, tc.want)
			}
		}
		if n := tablesIn(t, target); n != 0 {
			t.Fatalf("refused restores left %d tables in the database", n)
		}
		if code, out, errs := run(t, "", "restore", "--db", target, "--from", quiet, "--backup-key", key); code != 0 {
			t.Fatalf("restore: %d %q %q", code, out, errs)
		}
		source, copied := dumpTables(t, dsn), dumpTables(t, target)
		for _, table := range []string{"events", "case_keys", "cases", "parties", "deadlines", "case_facts", "users", "accounts", "consultations", "log_heads", "admin_actions", "checkpoints", "checkpoint_heads"} {
			if len(source[table]) == 0 {
				t.Errorf("the source's %s is empty: the comparison proves nothing of it", table)
			}
		}
		if len(source) != len(copied) {
			t.Errorf("%d tables in the source, %d in the copy", len(source), len(copied))
		}
		for table, rows := range source {
			if fmt.Sprint(rows) != fmt.Sprint(copied[table]) {
				t.Errorf("table %s differs: %d rows in the source, %d in the copy", table, len(rows), len(copied[table]))
			}
		}
		verifyCopy(t, target, pub)
		if code, _, errs := run(t, "", "restore", "--db", target, "--from", quiet, "--backup-key", key); code != 1 || !strings.Contains(errs, "not empty") {
			t.Errorf("restore into a database with data: %d %q", code, errs)
		}

		// No personal data in clear: the name is in the database's
		// projections, and nowhere in the file; nor is the case's key.
		var name string
		var caseKey []byte
		if err := s.DB().QueryRowContext(ctx, `SELECT name FROM parties WHERE party_id = 'C1'`).Scan(&name); err != nil || name != "Amelia Hart" {
			t.Fatalf("the name in the database: %q %v", name, err)
		}
		if err := s.DB().QueryRowContext(ctx, `SELECT key FROM case_keys WHERE case_ref = '13RS0000101/24'`).Scan(&caseKey); err != nil {
			t.Fatal(err)
		}
		for _, secret := range [][]byte{[]byte(name), []byte("amelia@example.org"), caseKey} {
			if bytes.Contains(b, secret) {
				t.Errorf("the backup holds %q in clear", secret)
			}
		}
	})
}

// verifyCopy checks a restored database: its log, its logs' chains, its
// checkpoints' signatures and its projections verify; each case's row is
// at its last event; and it takes new writes (its sequences moved on).
func verifyCopy(t *testing.T, dsn, pub string) {
	t.Helper()
	if code, out, errs := run(t, "", "audit", "verify", "--db", dsn, "--public-key", pub); code != 0 || !strings.Contains(out, "ok: ") || !strings.Contains(out, "signature") {
		t.Fatalf("audit verify of the copy: %d %q %q", code, out, errs)
	}
	s := openStore(t, dsn)
	defer s.Close()
	var behind, orphans int
	if err := s.DB().QueryRow(`SELECT count(*) FROM cases c WHERE c.version <> (SELECT max(version) FROM events e WHERE e.case_ref = c.ref)`).Scan(&behind); err != nil || behind != 0 {
		t.Errorf("%d cases whose row is not at their last event (%v)", behind, err)
	}
	if err := s.DB().QueryRow(`SELECT count(DISTINCT case_ref) FROM events WHERE case_ref NOT IN (SELECT ref FROM cases)`).Scan(&orphans); err != nil || orphans != 0 {
		t.Errorf("%d cases with events and no row (%v)", orphans, err)
	}
	if code, _, errs := run(t, "", "case", "show", "13RS0000101/24", "--db", dsn, "--purpose", "after the restore"); code != 0 {
		t.Errorf("a consultation on the copy: %s", errs)
	}
}

// writers append until stopped: a real serve process takes callback
// requests on one case through the API, and two goroutines open cases
// (the journey under new references, event by event) and log
// consultations through a store of their own.
type writers struct {
	appended atomic.Int64 // by every writer
	served   atomic.Int64 // through serve
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	errs     chan error
	t        *testing.T
	srv      *server
}

func startWriters(t *testing.T, s *sqlstore.Store, dsn string) *writers {
	ctx, cancel := context.WithCancel(context.Background())
	w := &writers{cancel: cancel, errs: make(chan error, 4), t: t}
	const live = "BACKUP-LIVE"
	importHistory(t, s, live, "en", "live@example.org")
	officer, token, err := identity.New(s, s.Now).AddUser(ctx, "Sam Okafor", "officer", "police:13")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetCaseMember(ctx, "test", live, "user", officer.ID, true); err != nil {
		t.Fatal(err)
	}
	srv := startServer(t, dsn, filepath.Join(t.TempDir(), "pseudonym-key"))
	w.srv = srv
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		version := int64(8)
		for n := 0; ctx.Err() == nil; n++ {
			code, body := post(srv.base+"/api/v1/cases/"+live+"/events", token, map[string]any{"type": "callback_requested", "occurred_at": "2026-12-01",
				"data": map[string]any{"complainant_id": "C1", "when": fmt.Sprintf("call %d", n)}, "expected_version": version})
			switch code {
			case 201:
				version++
				w.appended.Add(1)
				w.served.Add(1)
			case 409: // the dispatcher recorded a delivery first: read on
				c, err := s.Case(ctx, live)
				if err != nil {
					w.errs <- err
					return
				}
				version = c.Version
			default:
				if ctx.Err() == nil {
					w.errs <- fmt.Errorf("append through serve: %d %s", code, body)
				}
				return
			}
		}
	}()
	var journey []throughline.Event
	for _, l := range journeyLines(t) {
		e := l.Event
		if e.RecordedAt.IsZero() {
			e.RecordedAt = e.OccurredAt
		}
		e.Actor, e.Agency = "u_writer", "police:13"
		journey = append(journey, e)
	}
	for g := range 2 {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			for n := 0; ctx.Err() == nil; n++ {
				ref := fmt.Sprintf("13RS9%d%05d/26", g, n)
				for i, e := range journey {
					e.Case = ref
					if _, _, err := s.Append(ctx, e, int64(i)); err != nil {
						if ctx.Err() == nil {
							w.errs <- fmt.Errorf("append to %s: %w", ref, err)
						}
						return
					}
					w.appended.Add(1)
					if i%6 == 0 {
						c := throughline.Consultation{UserID: "u_writer", UserName: "Priya Shah", Role: "officer", Agency: "police:13", CaseRef: ref,
							Parts: []string{throughline.PartParties}, Purpose: "case work", Basis: throughline.BasisTeam, Channel: throughline.ChannelPage, Target: "GET /cases/{ref}"}
						if err := s.LogConsultations(ctx, c); err != nil && ctx.Err() == nil {
							w.errs <- err
							return
						}
					}
				}
			}
		}()
	}
	return w
}

// stop stops the writers and shuts serve down, so that nothing (a lease
// renewed, a message dispatched) writes after.
func (w *writers) stop() {
	w.cancel()
	w.wg.Wait()
	w.srv.cmd.Process.Signal(syscall.SIGTERM)
	if err := w.srv.cmd.Wait(); err != nil {
		w.t.Errorf("serve: %v: %s", err, w.srv.stderr)
	}
	close(w.errs)
	for err := range w.errs {
		w.t.Error(err)
	}
}

// freshDSN is a new empty database of dsn's dialect.
func freshDSN(t *testing.T, dsn string) string {
	if strings.HasPrefix(dsn, "sqlite:") {
		return "sqlite:" + filepath.Join(t.TempDir(), "copy.db")
	}
	return storetest.Postgres(t)
}

// tablesIn counts the tables in the database at dsn.
func tablesIn(t *testing.T, dsn string) int {
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		if _, err := os.Stat(path); err != nil {
			return 0
		}
	}
	s, err := sqlstore.Open(context.Background(), dsn, wire.Rules())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	q := `SELECT count(*) FROM sqlite_schema WHERE type = 'table'`
	if s.Dialect() == "postgres" {
		q = `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()`
	}
	var n int
	if err := s.DB().QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// dumpTables reads every table of the database at dsn, each row printed
// with its values' types, rows sorted.
func dumpTables(t *testing.T, dsn string) map[string][]string {
	s := openStore(t, dsn)
	defer s.Close()
	out := map[string][]string{}
	var tables []sqlstore.Table
	err := s.Dump(context.Background(), func(_ int, ts []sqlstore.Table) error {
		tables = ts
		for _, tb := range ts {
			out[tb.Name] = []string{}
		}
		return nil
	}, func(i int, vals []any) error {
		b, err := json.Marshal(typed(vals))
		out[tables[i].Name] = append(out[tables[i].Name], string(b))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, rows := range out {
		sort.Strings(rows)
	}
	return out
}

func typed(vals []any) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = fmt.Sprintf("%T:%v", v, v)
	}
	return out
}

func flip(b []byte, at int) []byte {
	c := bytes.Clone(b)
	c[at] ^= 0x01
	return c
}

// A backup taken before the newest migrations restores: loaded into the
// schema it was taken from, then migrated the rest of the way.
func TestRestoreAnOlderBackup(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		dir := t.TempDir()
		old := "sqlite:" + filepath.Join(dir, "old.db")
		s, err := sqlstore.Open(ctx, old, wire.Rules())
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		const before = 100 // before leases (0110) and checkpoint trees (0115)
		if err := s.MigrateTo(ctx, before); err != nil {
			t.Fatal(err)
		}
		// Today's projection writes a column and a table the old schema
		// lacks (deadlines.live, 0119; case_facts_narrow, 0132): they are
		// there for the import only, so that the backup is of the old
		// schema and 0119 fills the column on restore (the table stays
		// empty until a rebuild).
		if _, err := s.DB().ExecContext(ctx, `ALTER TABLE deadlines ADD COLUMN live INTEGER NOT NULL DEFAULT 1;
			CREATE TABLE case_facts_narrow (case_ref TEXT PRIMARY KEY, facts BLOB NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		importHistory(t, s, "OLD-1", "en", "old@example.org")
		if _, err := s.DB().ExecContext(ctx, `ALTER TABLE deadlines DROP COLUMN live; DROP TABLE case_facts_narrow`); err != nil {
			t.Fatal(err)
		}
		key := filepath.Join(dir, "backup.key")
		run(t, "", "backup", "keygen", "--out", key)
		file := filepath.Join(dir, "old.tlb")
		if code, out, errs := run(t, "", "backup", "--db", old, "--out", file, "--backup-key", key); code != 0 || !strings.Contains(out, fmt.Sprintf("(schema %d, sqlite)", before)) {
			t.Fatalf("backup: %d %q %q", code, out, errs)
		}
		// Refused by a database with data before anything changes in it:
		// not even a migration.
		if code, _, errs := run(t, "", "restore", "--db", old, "--from", file, "--backup-key", key); code != 1 || !strings.Contains(errs, "not empty") {
			t.Fatalf("restore into the old database: %d %q", code, errs)
		}
		var oldSchema int
		s.DB().QueryRow(`SELECT max(version) FROM schema_migrations`).Scan(&oldSchema)
		if oldSchema != before {
			t.Fatalf("a refused restore migrated the database to %d", oldSchema)
		}
		if code, out, errs := run(t, "", "restore", "--db", dsn, "--from", file, "--backup-key", key); code != 0 {
			t.Fatalf("restore: %d %q %q", code, out, errs)
		}
		restored, err := sqlstore.Open(ctx, dsn, wire.Rules()) // not migrated here: restore must have
		if err != nil {
			t.Fatal(err)
		}
		defer restored.Close()
		var schema, events int
		restored.DB().QueryRow(`SELECT max(version) FROM schema_migrations`).Scan(&schema)
		restored.DB().QueryRow(`SELECT count(*) FROM events WHERE case_ref = 'OLD-1'`).Scan(&events)
		if schema != restored.SchemaVersion() || schema <= before || events != 8 {
			t.Fatalf("restored at schema %d (want %d) with %d events", schema, restored.SchemaVersion(), events)
		}
		// The backup predates the narrow records (0132), which no
		// migration can compute: verify names the case until a rebuild
		// writes its record (docs/adr/0258).
		if code, out, _ := run(t, "", "audit", "verify", "--db", dsn); code != 1 || !strings.Contains(out, "case_facts_narrow: a row the log has is missing") {
			t.Fatalf("verify before the rebuild: %d %q", code, out)
		}
		if code, out, errs := run(t, "", "rebuild", "--db", dsn); code != 0 {
			t.Fatalf("rebuild: %d %q %q", code, out, errs)
		}
		if code, out, errs := run(t, "", "audit", "verify", "--db", dsn); code != 0 {
			t.Fatalf("verify: %d %q %q", code, out, errs)
		}
	})
}
