package backup

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"throughline"
	"throughline/sqlstore"
	"throughline/sqlstore/storetest"
	"throughline/wire"
)

// A restore that fails after writing rows — here at its trailer, whose
// hash does not match a row changed by someone holding the backup key —
// leaves the database as empty as it was: everything is one transaction.
func TestFailedRestoreLeavesTheDatabaseEmpty(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		key := testKey(t)
		var file bytes.Buffer
		src := journeyStore(t, "sqlite:"+filepath.Join(t.TempDir(), "src.db"))
		if _, err := Write(ctx, src, &file, key, src.Now()); err != nil {
			t.Fatal(err)
		}
		forged := reseal(t, file.Bytes(), key, func(line []byte) []byte {
			return bytes.Replace(line, []byte(`"supporting"`), []byte(`"withdrawn"`), 1)
		})
		if _, err := Check(bytes.NewReader(forged), key); err == nil || !strings.Contains(err.Error(), "do not match the SHA-256") {
			t.Fatalf("check of the forged backup: %v", err)
		}
		dst := openStore(t, dsn)
		if err := Restore(ctx, dst, bytes.NewReader(forged), key); err == nil || !strings.Contains(err.Error(), "do not match the SHA-256") {
			t.Fatalf("restore of the forged backup: %v", err)
		}
		for _, table := range []string{"events", "cases", "parties", "case_keys"} {
			var n int
			if err := dst.DB().QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil || n != 0 {
				t.Errorf("%s holds %d rows after a failed restore (%v)", table, n, err)
			}
		}
		// The same database takes the genuine backup.
		if err := Restore(ctx, dst, bytes.NewReader(file.Bytes()), key); err != nil {
			t.Fatal(err)
		}
	})
}

// A backup of either database restores into the other: the log verifies,
// the projections match it, and every table holds the same values.
func TestRestoreAcrossDatabases(t *testing.T) {
	pg := storetest.RequirePostgres(t) // fails under CI
	ctx := context.Background()
	key := testKey(t)
	sqlite := journeyStore(t, "sqlite:"+filepath.Join(t.TempDir(), "src.db"))
	toPG, back := openStore(t, pg), openStore(t, "sqlite:"+filepath.Join(t.TempDir(), "back.db"))
	for _, hop := range []struct{ from, to *sqlstore.Store }{{sqlite, toPG}, {toPG, back}} {
		var file bytes.Buffer
		if _, err := Write(ctx, hop.from, &file, key, hop.from.Now()); err != nil {
			t.Fatal(err)
		}
		if err := Restore(ctx, hop.to, bytes.NewReader(file.Bytes()), key); err != nil {
			t.Fatalf("%s into %s: %v", hop.from.Dialect(), hop.to.Dialect(), err)
		}
		res, err := hop.to.Verify(ctx, nil)
		if err != nil || len(res.Problems) > 0 || res.Cases != 1 {
			t.Fatalf("verify on %s: %+v %v", hop.to.Dialect(), res, err)
		}
		if bad, err := hop.to.VerifyProjections(ctx, nil); err != nil || len(bad) > 0 {
			t.Fatalf("projections on %s: %v %v", hop.to.Dialect(), bad, err)
		}
		if a, b := values(t, hop.from), values(t, hop.to); a != b {
			t.Errorf("%s and %s differ:\n%s\n%s", hop.from.Dialect(), hop.to.Dialect(), a, b)
		}
	}
}

// values prints every row of every table, each value as its kind and text,
// so that SQLite's 1 and PostgreSQL's true compare equal.
func values(t *testing.T, s *sqlstore.Store) string {
	var tables []sqlstore.Table
	rows := map[string][]string{}
	err := s.Dump(context.Background(), func(_ int, ts []sqlstore.Table) error {
		tables = ts
		return nil
	}, func(i int, vals []any) error {
		var b strings.Builder
		for _, v := range vals {
			switch x := v.(type) {
			case bool:
				if x {
					v = int64(1)
				} else {
					v = int64(0)
				}
			case []byte:
				v = fmt.Sprintf("%x", x)
			}
			fmt.Fprintf(&b, "%v|", v)
		}
		rows[tables[i].Name] = append(rows[tables[i].Name], b.String())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, tb := range tables {
		sort.Strings(rows[tb.Name])
		fmt.Fprintf(&out, "%s %v\n", tb.Name, rows[tb.Name])
	}
	return out.String()
}

// reseal rewrites a backup's body under the same key with edit applied to
// each row line, keeping the trailer as it was: what someone holding the
// backup key could make.
func reseal(t *testing.T, file []byte, key *Key, edit func([]byte) []byte) []byte {
	header, _ := bufio.NewReader(bytes.NewReader(file)).ReadBytes('\n')
	r, err := open(bytes.NewReader(file), key)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	out.Write(header)
	aead, _ := fileAEAD(key, r.Salt)
	ad := sha256.Sum256(header)
	seal := &sealer{w: &out, aead: aead, ad: ad[:]}
	gz := gzip.NewWriter(seal)
	for {
		line, isTrailer, err := r.next()
		if err != nil {
			t.Fatal(err)
		}
		if !isTrailer {
			line = edit(line)
		}
		gz.Write(append(bytes.Clone(line), '\n'))
		if isTrailer {
			break
		}
	}
	gz.Close()
	seal.Close()
	return out.Bytes()
}

func testKey(t testing.TB) *Key {
	k, err := WriteNewKey(filepath.Join(t.TempDir(), "backup.key"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func openStore(t testing.TB, dsn string) *sqlstore.Store {
	s, err := sqlstore.Open(context.Background(), dsn, wire.Rules())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// journeyStore is a database at dsn holding testdata/journey.jsonl.
func journeyStore(t testing.TB, dsn string) *sqlstore.Store {
	s := openStore(t, dsn)
	f, err := os.Open("../testdata/journey.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	raw, _ := io.ReadAll(f)
	var batch []throughline.Proposed
	for i, line := range bytes.Split(bytes.TrimSpace(raw), []byte("\n")) {
		e, err := throughline.ParseEvent(line)
		if err != nil {
			t.Fatal(err)
		}
		batch = append(batch, throughline.Proposed{Line: i + 1, Event: e})
	}
	if _, err := s.Import(context.Background(), batch, false); err != nil {
		t.Fatal(err)
	}
	return s
}
