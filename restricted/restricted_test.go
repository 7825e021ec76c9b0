package restricted_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"throughline"
	"throughline/backup"
	"throughline/envelope"
	"throughline/internal/validatortest"
	"throughline/restricted"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
	"throughline/wire"
)

// The markers planted in the material: its content, title and holder.
const (
	markContent = "QZXCONTENT she told her counsellor"
	markTitle   = "QZXTITLE Session notes"
	markHolder  = "QZXHOLDER Leeds Counselling"
)

var clock = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

var (
	officer    = throughline.User{ID: "u_do", Name: "Dev Officer", Role: throughline.RoleOfficer, Agency: "police:13"}
	prosecutor = throughline.User{ID: "u_rp", Name: "Rita Prosecutor", Role: throughline.RoleProsecutor, Agency: "cps:yorkshire_humberside"}
	other      = throughline.User{ID: "u_oic", Name: "Olu Other", Role: throughline.RoleOfficer, Agency: "police:13"}
	team       = throughline.Relation{OnTeam: true}
)

func open(t *testing.T, dsn string) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), dsn, wire.Rules())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.Now = func() time.Time { return clock }
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// Setup records a case whose medical information request R1 was sent and
// answered, with its disclosure officer and reviewing prosecutor named.
func setup(t *testing.T, s *sqlstore.Store, ref string) {
	t.Helper()
	for _, l := range []struct{ actor, agency, line string }{
		{"u_oic", "police:13", `{"type":"case_opened","occurred_at":"2026-11-02","data":{"force":"13","cps_area":"yorkshire_humberside","offences":[{"ho_code":"19C","cjs_code":"SX03002"}],"complainants":[{"id":"C1","name":"Amelia Hart","date_of_birth":"1998-04-02","sex":"female","ethnicity":"white","language":"en"}],"suspects":[{"id":"D1","name":"Daniel Ross"}]}}`},
		{"u_oic", "police:13", `{"type":"information_requested","occurred_at":"2026-11-20","data":{"complainant_id":"C1","request_id":"R1","material":"medical","holder":"Her GP","holder_belief":"She said in interview she saw her GP the next day.",` +
			`"line_of_enquiry":"Injuries recorded the next day bear on consent and timing.","necessity":"Only the record of that one visit is sought.","reason":"To see what your GP wrote after the attack.","handling":"Only the officer and the prosecutor will read it."}}`},
		{"u_oic", "police:13", `{"type":"information_notice_exception","occurred_at":"2026-11-20","data":{"complainant_id":"C1","request_id":"R1","exception":"no_notice","reason":"Telling her now would put her at risk from the suspect who lives with her."}}`},
		{"u_super", "police:13", `{"type":"information_notice_exception_approved","occurred_at":"2026-11-20","data":{"complainant_id":"C1","request_id":"R1","note":"Agreed: the risk is real and recorded."}}`},
		{"u_oic", "police:13", `{"type":"information_request_sent","occurred_at":"2026-11-21","data":{"complainant_id":"C1","request_id":"R1"}}`},
		{"u_oic", "police:13", `{"type":"information_request_response","occurred_at":"2026-11-24","data":{"complainant_id":"C1","request_id":"R1","result":"received","note":"The GP sent the record of the visit."}}`},
		{"u_super", "police:13", `{"type":"disclosure_designated","occurred_at":"2026-11-24","data":{"role":"disclosure_officer","user_id":"u_do","name":"Dev Officer","reason":"Trained disclosure officer for the unit"}}`},
		{"u_mgr", "cps:yorkshire_humberside", `{"type":"disclosure_designated","occurred_at":"2026-11-24","data":{"role":"reviewing_prosecutor","user_id":"u_rp","name":"Rita Prosecutor","reason":"Allocated on charge"}}`},
	} {
		e, err := throughline.ParseEvent([]byte(`{"case":"` + ref + `",` + l.line[1:]))
		if err != nil {
			t.Fatal(err)
		}
		e.Actor, e.Agency = l.actor, l.agency
		if _, _, err := s.Append(context.Background(), e, throughline.AnyVersion); err != nil {
			t.Fatalf("%s: %v", l.line, err)
		}
	}
}

func access(t *testing.T, s *sqlstore.Store, ref string, u throughline.User) restricted.Access {
	t.Helper()
	c, err := s.Case(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	return restricted.Access{User: u, Case: c, Relation: team, Channel: throughline.ChannelAPI}
}

func newKey(t *testing.T) *envelope.LocalKey {
	k, err := envelope.ParseKey(envelope.NewKeyText())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func code(err error) string { return throughline.ErrorCode(err) }

// Restricted material through the store, on both databases: stored sealed
// with nothing of it in clear anywhere in the database (the SQLite file and
// its WAL; a pg_dump), the event carrying the digest of the ciphertext;
// opened only by the named two, each access logged with its justification;
// a redacted copy opened for the team; readable after the key is rotated,
// and not after it is lost (a clear error); carried whole by a backup, and
// unreadable when restored without the key.
func TestRestrictedMaterialStored(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := open(t, dsn)
		const ref = "13RS0000301/26"
		setup(t, s, ref)
		key := newKey(t)
		svc := &restricted.Service{Store: s, Key: key, Now: func() time.Time { return clock }}

		// Nobody but the named two may store it; bad input names its fields.
		up := restricted.Upload{RequestID: "R1", Title: markTitle, Holder: markHolder, Content: []byte(markContent)}
		if _, err := svc.Receive(ctx, access(t, s, ref, other), up); code(err) != throughline.ENOTFOUND {
			t.Fatalf("another officer on the team stored it: %v", err)
		}
		var fe *throughline.Error
		_, err := svc.Receive(ctx, access(t, s, ref, officer), restricted.Upload{RequestID: "R9"})
		if !errors.As(err, &fe) || len(fe.Fields) != 3 || fe.Fields[0].Field != "request_id" || fe.Fields[1].Field != "title" || fe.Fields[2].Field != "content" {
			t.Fatalf("bad upload: %+v", err)
		}
		id, err := svc.Receive(ctx, access(t, s, ref, officer), up)
		if err != nil || id != "M1" {
			t.Fatalf("upload: %q %v", id, err)
		}

		// What the log holds: ids and the digest of what is stored.
		evs, _ := s.Events(ctx, ref)
		got, ok := evs[len(evs)-1].Data.(*throughline.RestrictedMaterialReceived)
		sealed, _ := s.Material(ctx, ref, "M1")
		if !ok || got.RequestID != "R1" || got.SHA256 != sealed.Digest() {
			t.Fatalf("recorded %+v", evs[len(evs)-1].Data)
		}

		// Opened by the named two only, with a justification.
		if _, err := svc.Open(ctx, access(t, s, ref, other), "M1", restricted.View, "I am curious about it"); code(err) != throughline.ENOTFOUND {
			t.Fatalf("another officer opened it: %v", err)
		}
		if _, err := svc.Open(ctx, access(t, s, ref, prosecutor), "M1", restricted.View, "x"); code(err) != throughline.EINVALID {
			t.Fatalf("opened without a justification: %v", err)
		}
		it, err := svc.Open(ctx, access(t, s, ref, prosecutor), "M1", restricted.View, "Reviewing for the disclosure schedule")
		if err != nil || string(it.Content) != markContent || it.Title != markTitle || it.Holder != markHolder {
			t.Fatalf("opened %+v, %v", it, err)
		}
		copyID, err := svc.Redact(ctx, access(t, s, ref, prosecutor), "M1", restricted.Item{Title: "Session notes (redacted)", Content: []byte("Visit on 21 November: bruising to the left arm.")}, "Everything but the injuries seen is her own account to her GP and irrelevant.")
		if err != nil || copyID != "M1-R1" {
			t.Fatalf("redact: %q %v", copyID, err)
		}
		if it, r, err := svc.OpenRedacted(ctx, access(t, s, ref, other), copyID); err != nil || !strings.Contains(string(it.Content), "bruising") || r.Reason == "" {
			t.Fatalf("the team's redacted copy: %+v %v", it, err)
		}
		if _, _, err := svc.OpenRedacted(ctx, access(t, s, ref, other), "M1"); code(err) != throughline.ENOTFOUND {
			t.Fatalf("the original as a redacted copy: %v", err)
		}

		// Every access by the named two is in the log, with its justification.
		log, err := s.Consultations(ctx, throughline.ConsultationFilter{CaseRef: ref, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var targets []string
		for _, c := range log {
			if len(c.Parts) == 1 && c.Parts[0] == throughline.PartRestricted {
				targets = append(targets, c.UserID+" "+c.Target+" | "+c.Purpose)
			}
		}
		want := []string{
			"u_rp restricted material: redact M1 as M1-R1 | reviewing prosecutor: Everything but the injuries seen is her own account to her GP and irrelevant.",
			"u_rp restricted material: view M1 | reviewing prosecutor: Reviewing for the disclosure schedule",
			"u_do restricted material: upload M1 | disclosure officer: stored in answer to request R1",
		}
		if strings.Join(targets, "\n") != strings.Join(want, "\n") {
			t.Errorf("the log of restricted accesses:\n%s\nwant\n%s", strings.Join(targets, "\n"), strings.Join(want, "\n"))
		}

		// Nothing of it in clear anywhere in the database.
		noPlaintext(t, s, dsn)

		// What is stored is what the log recorded: audit verify's check
		// finds nothing, then names an item swapped for another and an
		// item gone.
		if ps, err := s.VerifyMaterial(ctx); err != nil || len(ps) != 0 {
			t.Fatalf("verify: %v %v", ps, err)
		}
		verifyTampered(t, s, ref)

		// Rotation: every data key re-wrapped under the new key; the old key
		// no longer needed; the digest in the log still matches.
		next := newKey(t)
		n, err := s.RewrapMaterial(ctx, next.KeyID(), func(m envelope.Sealed) (envelope.Sealed, error) { return envelope.Rewrap(key, next, m) })
		if err != nil || n != 2 {
			t.Fatalf("rotated %d, %v", n, err)
		}
		svc.Key = next
		if it, err := svc.Open(ctx, access(t, s, ref, officer), "M1", restricted.Download, "Scheduling it on the MG6D"); err != nil || string(it.Content) != markContent {
			t.Fatalf("after rotation: %+v %v", it, err)
		}
		svc.Key = key
		if _, err := svc.Open(ctx, access(t, s, ref, officer), "M1", restricted.View, "Checking the old key is retired"); code(err) != throughline.EUNAVAILABLE || !strings.Contains(err.Error(), "key this server does not hold") {
			t.Fatalf("the old key after rotation: %v", err)
		}

		// The key lost: a server with another key, or none, says so and
		// shows nothing; the message holds nothing of the material.
		svc.Key = newKey(t)
		_, err = svc.Open(ctx, access(t, s, ref, officer), "M1", restricted.View, "After the key was lost")
		if code(err) != throughline.EUNAVAILABLE || strings.Contains(err.Error(), "QZX") {
			t.Fatalf("with the key lost: %v", err)
		}
		svc.Key = nil
		if _, err := svc.Open(ctx, access(t, s, ref, officer), "M1", restricted.View, "With no key at all on this server"); code(err) != throughline.EUNAVAILABLE {
			t.Fatalf("with no key: %v", err)
		}

		// A backup carries the ciphertext: restored, the material opens with
		// its key and not without.
		bkey, err := backup.WriteNewKey(filepath.Join(t.TempDir(), "backup.key"))
		if err != nil {
			t.Fatal(err)
		}
		var file bytes.Buffer
		if _, err := backup.Write(ctx, s, &file, bkey, clock); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(file.Bytes(), []byte("QZX")) {
			t.Error("the backup file holds the material in clear")
		}
		back := open(t, "sqlite:"+filepath.Join(t.TempDir(), "restored.db"))
		if err := backup.Restore(ctx, back, &file, bkey); err != nil {
			t.Fatal(err)
		}
		restored := &restricted.Service{Store: back, Key: newKey(t), Now: svc.Now}
		if _, err := restored.Open(ctx, access(t, back, ref, officer), "M1", restricted.View, "Restored without the key"); code(err) != throughline.EUNAVAILABLE {
			t.Fatalf("restored without the key: %v", err)
		}
		restored.Key = next
		if it, err := restored.Open(ctx, access(t, back, ref, officer), "M1", restricted.View, "Restored with the key"); err != nil || string(it.Content) != markContent {
			t.Fatalf("restored with the key: %+v %v", it, err)
		}
	})
}

// verifyTampered swaps the original's ciphertext for its redacted copy's,
// then removes the copy, and checks that VerifyMaterial names each; it puts
// both back.
func verifyTampered(t *testing.T, s *sqlstore.Store, ref string) {
	t.Helper()
	ctx := context.Background()
	db := s.DB()
	q := func(query string) string { // ? → $n on PostgreSQL
		if !strings.HasPrefix(s.Dialect(), "postgres") {
			return query
		}
		for n := 1; strings.Contains(query, "?"); n++ {
			query = strings.Replace(query, "?", "$"+strconv.Itoa(n), 1)
		}
		return query
	}
	exec := func(query string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q(query), args...); err != nil {
			t.Fatal(err)
		}
	}
	var orig []byte
	var of, keyID string
	var wrapped, copied []byte
	if err := db.QueryRowContext(ctx, q(`SELECT ciphertext FROM restricted_material WHERE case_ref = ? AND material_id = 'M1'`), ref).Scan(&orig); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, q(`SELECT redacted_of, key_id, wrapped_key, ciphertext FROM restricted_material WHERE case_ref = ? AND material_id = 'M1-R1'`), ref).Scan(&of, &keyID, &wrapped, &copied); err != nil {
		t.Fatal(err)
	}
	exec(`UPDATE restricted_material SET ciphertext = ? WHERE case_ref = ? AND material_id = 'M1'`, copied, ref)
	exec(`DELETE FROM restricted_material WHERE case_ref = ? AND material_id = 'M1-R1'`, ref)
	ps, err := s.VerifyMaterial(ctx)
	if err != nil || len(ps) != 2 || !strings.Contains(ps[0].What, "M1-R1: the log records it, but it is not stored") ||
		!strings.Contains(ps[1].What, "M1: what is stored is not what the log recorded") {
		t.Fatalf("verify after tampering: %+v %v", ps, err)
	}
	exec(`UPDATE restricted_material SET ciphertext = ? WHERE case_ref = ? AND material_id = 'M1'`, orig, ref)
	exec(`INSERT INTO restricted_material (case_ref, material_id, redacted_of, key_id, wrapped_key, ciphertext) VALUES (?, 'M1-R1', ?, ?, ?, ?)`, ref, of, keyID, wrapped, copied)
	if ps, err := s.VerifyMaterial(ctx); err != nil || len(ps) != 0 {
		t.Fatalf("verify once put back: %v %v", ps, err)
	}
}

// noPlaintext checks the whole database for the markers: the SQLite file
// and its write-ahead log byte by byte, or a pg_dump of the PostgreSQL
// database.
func noPlaintext(t *testing.T, s *sqlstore.Store, dsn string) {
	t.Helper()
	var blobs map[string][]byte
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		path, _, _ = strings.Cut(path, "?")
		blobs = map[string][]byte{}
		for _, f := range []string{path, path + "-wal"} {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			blobs[f] = b
		}
		if len(blobs[path+"-wal"]) == 0 {
			t.Fatal("the WAL is empty: the test would not see what is still in it")
		}
	} else {
		pgDump := "/usr/lib/postgresql/15/bin/pg_dump"
		if _, err := os.Stat(pgDump); err != nil {
			if pgDump, err = exec.LookPath("pg_dump"); err != nil {
				validatortest.Missing(t, "pg_dump")
			}
		}
		out, err := exec.Command(pgDump, "--no-owner", dsn).Output()
		if err != nil {
			t.Fatalf("pg_dump: %v", err)
		}
		if !bytes.Contains(out, []byte("restricted_material")) {
			t.Fatal("the dump holds no restricted_material table")
		}
		blobs = map[string][]byte{"pg_dump": out}
	}
	for name, b := range blobs {
		for _, m := range []string{markContent, markTitle, markHolder, "QZX"} {
			if bytes.Contains(b, []byte(m)) {
				t.Errorf("%s holds %q in clear", name, m)
			}
		}
	}
}
