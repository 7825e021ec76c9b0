package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"throughline/envelope"
	"throughline/sqlstore/storetest"
)

// The material key lives outside the database: made beside a SQLite
// database on first start, never made anew once the database holds
// material sealed under a key that has gone missing (the items would be
// lost for good), taken from the environment's key itself, and absent on
// PostgreSQL unless given. material-key rotate re-wraps every item under a
// new key, after which the old key opens nothing and the new one opens all.
func TestMaterialKeyLivesOutsideTheDatabase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openStore(t, dsn)
		defer s.Close()
		src := materialKeyPath("", "", dsn)
		if strings.HasPrefix(dsn, "sqlite:") {
			if want := strings.TrimPrefix(dsn, "sqlite:") + ".material-key"; src.path != want {
				t.Fatalf("SQLite key beside the database: %q, want %q", src.path, want)
			}
		} else {
			key, note, err := loadMaterialKey(ctx, s, src)
			if key != nil || err != nil || !strings.Contains(note, "neither stored nor opened") {
				t.Fatalf("PostgreSQL with no key: %v %q %v", key, note, err)
			}
			src = materialKeyPath(filepath.Join(t.TempDir(), "material-key"), "", dsn)
		}
		key, note, err := loadMaterialKey(ctx, s, src)
		if err != nil || key == nil || !strings.HasPrefix(note, "Made the material key") {
			t.Fatalf("first start: %v %q %v", key, note, err)
		}
		if fi, err := os.Stat(src.path); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("key file: %v %v", fi, err)
		}
		again, note, err := loadMaterialKey(ctx, s, src)
		if err != nil || again.KeyID() != key.KeyID() || note != "" {
			t.Fatalf("next start: %v %q %v", again, note, err)
		}

		// An item sealed under it, as the restricted service stores one.
		item, err := envelope.Seal(key, []byte("QZX material"), []byte("ctx"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB().ExecContext(ctx, rebind(dsn, `INSERT INTO restricted_material (case_ref, material_id, key_id, wrapped_key, ciphertext) VALUES (?, ?, ?, ?, ?)`), "13RS1/26", "M1", item.KeyID, item.WrappedKey, item.Ciphertext); err != nil {
			t.Fatal(err)
		}

		// Rotation through the command.
		newPath := filepath.Join(t.TempDir(), "new-material-key")
		m, out, errb := envMain(nil)
		if code := m.Run(ctx, []string{"material-key", "rotate", "--db", dsn, "--material-key", src.path, "--new-material-key", newPath}); code != 0 {
			t.Fatalf("rotate: exit %d: %s", code, errb)
		}
		if !strings.Contains(out.String(), "re-wrapped 1 items") {
			t.Fatalf("rotate said %q", out)
		}
		next, err := envelope.ReadKeyFile(newPath)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Material(ctx, "13RS1/26", "M1")
		if err != nil {
			t.Fatal(err)
		}
		if b, err := envelope.Open(next, got, []byte("ctx")); err != nil || string(b) != "QZX material" {
			t.Fatalf("the new key after rotation: %q %v", b, err)
		}
		if _, err := envelope.Open(key, got, []byte("ctx")); err == nil {
			t.Fatal("the old key still opens the item")
		}

		// The key file lost: no new key is made over the material.
		os.Remove(src.path)
		lost, note, err := loadMaterialKey(ctx, s, src)
		if err != nil || lost != nil || !strings.Contains(note, "is missing and the database holds 1 items") {
			t.Fatalf("a lost key file: %v %q %v", lost, note, err)
		}
		if _, err := os.Stat(src.path); err == nil {
			t.Fatal("a new key was made over the material")
		}

		// The key itself from the environment wins; a bad one is refused.
		env := materialKeyPath(src.path, strings.TrimSpace(envelope.NewKeyText()), dsn)
		if k, _, err := loadMaterialKey(ctx, s, env); err != nil || k == nil {
			t.Fatalf("the environment's key: %v", err)
		}
		if _, _, err := loadMaterialKey(ctx, s, materialKeyPath("", "not a key", dsn)); err == nil {
			t.Fatal("a bad key in the environment accepted")
		}
	})
}

// rebind writes ? placeholders as the dialect of dsn wants them.
func rebind(dsn, q string) string {
	if strings.HasPrefix(dsn, "sqlite:") {
		return q
	}
	n := 0
	var b strings.Builder
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + string(rune('0'+n)))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
