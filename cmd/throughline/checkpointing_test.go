package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"throughline/internal/testwait"
)

// serve takes signed checkpoints on its own and writes each outside the
// database; what it publishes is what audit verify finds in the database,
// and a proof made from its checkpoint checks with the published key.
func TestServeTakesCheckpoints(t *testing.T) {
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "checkpoints.db")
	if code, _, errs := run(t, "", "import", "--db", dsn, "--file", "../../testdata/journey.jsonl"); code != 0 {
		t.Fatal(errs)
	}
	key, published := filepath.Join(dir, "checkpoint.key"), filepath.Join(dir, "published")
	os.Mkdir(published, 0o700)
	if code, _, errs := run(t, "", "audit", "keygen", "--out", key); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := run(t, "", "serve", "--db", dsn, "--addr", "127.0.0.1:0", "--checkpoint-dir", published); code != 2 || !strings.Contains(errs, "needs --checkpoint-key") {
		t.Errorf("a directory without a key: %d %q", code, errs)
	}

	m, out, errb := envMain(map[string]string{"THROUGHLINE_DB": dsn, "THROUGHLINE_CHECKPOINT_KEY_FILE": key})
	m.Now = time.Now // periods must pass for a second checkpoint
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- m.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--tick", "50ms", "--checkpoint-every", "100ms", "--checkpoint-dir", published})
	}()
	var latest publishedCheckpoint
	testwait.For(t, "two checkpoints published", func() bool {
		b, err := os.ReadFile(filepath.Join(published, "latest.json"))
		return err == nil && json.Unmarshal(b, &latest) == nil && latest.ID >= 2
	})
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve: exit %d: %s %s", code, out, errb)
	}

	// The database's latest checkpoint is published, signature and all.
	pub := base64.StdEncoding.EncodeToString(latest.PublicKey)
	code, vout, verrs := run(t, "", "audit", "verify", "--db", dsn, "--public-key", pub)
	m2 := regexp.MustCompile(`up to checkpoint (\d+) of .*, signature (\S+):`).FindStringSubmatch(vout)
	if code != 0 || m2 == nil {
		t.Fatalf("verify: %d %q %q", code, vout, verrs)
	}
	var id int64
	fmt.Sscan(m2[1], &id)
	var file publishedCheckpoint
	b, err := os.ReadFile(filepath.Join(published, fmt.Sprintf("checkpoint-%08d.json", id)))
	if err != nil || json.Unmarshal(b, &file) != nil || base64.StdEncoding.EncodeToString(file.Signature) != m2[2] || file.ID != id {
		t.Fatalf("checkpoint %d as published: %s %v, want signature %s", id, b, err, m2[2])
	}
	// The first checkpoint sealed the case; a proof from it checks with the
	// published key alone.
	proof := filepath.Join(dir, "proof.json")
	if code, _, errs := run(t, "", "audit", "prove", "13RS0000101/24", "--event", "24", "--out", proof, "--db", dsn); code != 0 {
		t.Fatal(errs)
	}
	if code, out, errs := run(t, "", "audit", "check-proof", "--proof", proof, "--public-key", pub); code != 0 || !strings.Contains(out, "checkpoint 1 sealed them") {
		t.Errorf("check-proof: %d %q %q", code, out, errs)
	}
}
