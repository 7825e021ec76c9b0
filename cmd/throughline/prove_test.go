package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"throughline/sqlstore/storetest"
)

// A proof made by audit prove convinces someone who holds only the public
// key: the case's events from the one asked for up to the head a signed
// checkpoint sealed, and the head's path in the checkpoint's tree. A
// changed event, another key, an event no checkpoint has sealed yet and an
// event that does not exist are each refused with their reason.
func TestAuditProve(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		journey, _ := os.ReadFile("../../testdata/journey.jsonl")
		// Five cases, so that the tree has a real path.
		for i := range 5 {
			f := filepath.Join(dir, fmt.Sprintf("case%d.jsonl", i))
			os.WriteFile(f, bytes.ReplaceAll(journey, []byte("13RS0000101/24"), []byte(fmt.Sprintf("13RS000010%d/24", i+1))), 0o600)
			if code, _, errs := run(t, "", "import", "--db", dsn, "--file", f); code != 0 {
				t.Fatal(errs)
			}
		}
		key := filepath.Join(dir, "checkpoint.key")
		_, out, _ := run(t, "", "audit", "keygen", "--out", key)
		pub := strings.TrimPrefix(regexp.MustCompile(`public key \S+`).FindString(out), "public key ")
		if code, out, errs := run(t, "", "audit", "checkpoint", "--key", key, "--db", dsn); code != 0 || !strings.Contains(out, "5 case heads") {
			t.Fatalf("checkpoint: %d %q %q", code, out, errs)
		}

		proof := filepath.Join(dir, "proof.json")
		code, out, errs := run(t, "", "audit", "prove", "13rs0000103/24", "--event", "20", "--out", proof, "--db", dsn)
		if code != 0 || !strings.Contains(out, "proof of case 13RS0000103/24, events 20 to 24, sealed by checkpoint 1") {
			t.Fatalf("prove: %d %q %q", code, out, errs)
		}
		var p struct {
			Path   []string         `json:"audit_path"`
			Size   int              `json:"tree_size"`
			Index  int              `json:"leaf_index"`
			Events []map[string]any `json:"events"`
		}
		raw, _ := os.ReadFile(proof)
		if err := json.Unmarshal(raw, &p); err != nil || p.Size != 5 || p.Index != 2 || len(p.Path) != 3 || len(p.Events) != 5 {
			t.Fatalf("the proof: size %d, leaf %d, path of %d, %d events, %v", p.Size, p.Index, len(p.Path), len(p.Events), err)
		}
		if code, out, errs := run(t, "", "audit", "check-proof", "--proof", proof, "--public-key", pub); code != 0 ||
			!strings.Contains(out, "ok: case 13RS0000103/24, events 20 to 24") || !strings.Contains(out, "checkpoint 1 sealed them") {
			t.Fatalf("check-proof: %d %q %q", code, out, errs)
		}
		// The whole case, from its first event.
		whole := filepath.Join(dir, "whole.json")
		if code, _, errs := run(t, "", "audit", "prove", "13RS0000105/24", "--out", whole, "--db", dsn); code != 0 {
			t.Fatal(errs)
		}
		if code, out, errs := run(t, "", "audit", "check-proof", "--proof", whole, "--public-key", pub); code != 0 || !strings.Contains(out, "events 1 to 24") {
			t.Fatalf("check-proof of the whole case: %d %q %q", code, out, errs)
		}
		// Personal data travels sealed, as the log stores it.
		if raw, _ := os.ReadFile(whole); bytes.Contains(raw, []byte("Amelia")) || !bytes.Contains(raw, []byte(`"personal"`)) {
			t.Error("the proof shows personal data unsealed, or leaves it out")
		}

		// A changed event: its payload altered after the proof was made.
		reason := regexp.MustCompile(`sentenced; appeal period over`)
		if !reason.Match(raw) {
			t.Fatal("the journey's closing reason has changed")
		}
		changed := filepath.Join(dir, "changed.json")
		os.WriteFile(changed, reason.ReplaceAll(raw, []byte("no further action")), 0o600)
		if code, _, errs := run(t, "", "audit", "check-proof", "--proof", changed, "--public-key", pub); code != 1 || !strings.Contains(errs, "signature does not cover these events") {
			t.Errorf("a changed event: %d %q", code, errs)
		}
		// A gap: an event taken out.
		var doc map[string]any
		json.Unmarshal(raw, &doc)
		evs := doc["events"].([]any)
		doc["events"] = append(evs[:1:1], evs[2:]...)
		gap, _ := json.Marshal(doc)
		os.WriteFile(filepath.Join(dir, "gap.json"), gap, 0o600)
		if code, _, errs := run(t, "", "audit", "check-proof", "--proof", filepath.Join(dir, "gap.json"), "--public-key", pub); code != 1 || !strings.Contains(errs, "the chain has a gap") {
			t.Errorf("an event taken out: %d %q", code, errs)
		}
		// Another key.
		_, out, _ = run(t, "", "audit", "keygen", "--out", filepath.Join(dir, "other.key"))
		wrong := strings.TrimPrefix(regexp.MustCompile(`public key \S+`).FindString(out), "public key ")
		if code, _, errs := run(t, "", "audit", "check-proof", "--proof", proof, "--public-key", wrong); code != 1 || !strings.Contains(errs, "another key") {
			t.Errorf("another key: %d %q", code, errs)
		}

		// A case imported after the checkpoint is not sealed yet; the next
		// checkpoint seals it (and the consultation log's chains that the
		// proofs above moved).
		later := filepath.Join(dir, "later.jsonl")
		os.WriteFile(later, bytes.ReplaceAll(journey, []byte("13RS0000101/24"), []byte("13RS0000109/24")), 0o600)
		if code, _, errs := run(t, "", "import", "--db", dsn, "--file", later); code != 0 {
			t.Fatal(errs)
		}
		if code, _, errs := run(t, "", "audit", "prove", "13RS0000109/24", "--db", dsn); code != 1 || !strings.Contains(errs, "not sealed by a checkpoint with a tree yet") {
			t.Errorf("an unsealed case: %d %q", code, errs)
		}
		if code, out, _ := run(t, "", "audit", "checkpoint", "--key", key, "--db", dsn); code != 0 || !strings.Contains(out, "1 case heads and 2 log chain heads") {
			t.Fatalf("second checkpoint: %q", out)
		}
		code, out, errs = run(t, "", "audit", "prove", "13RS0000109/24", "--event", "24", "--db", dsn)
		if code != 0 || !strings.Contains(out, `"tree_size": 3`) || !strings.Contains(out, `"id": 2`) {
			t.Errorf("prove after the second checkpoint: %d %q %q", code, out, errs)
		}
		if code, _, errs := run(t, "", "audit", "prove", "13RS0000109/24", "--event", "25", "--db", dsn); code != 1 || !strings.Contains(errs, "there is no event 25") {
			t.Errorf("an event that does not exist: %d %q", code, errs)
		}
		if code, out, _ := run(t, "", "audit", "verify", "--public-key", pub, "--db", dsn); code != 0 || !strings.Contains(out, "signatures verify, up to checkpoint 2") {
			t.Errorf("verify: %d %s", code, out)
		}
		// The second checkpoint sealed every case that had moved: nothing
		// is left for the incremental check.
		if code, out, _ := run(t, "", "audit", "verify", "--since-checkpoint", "--public-key", pub, "--db", dsn); code != 0 || !strings.Contains(out, ": 0 cases moved since their sealed heads") {
			t.Errorf("since the second checkpoint: %d %s", code, out)
		}
	})
}

// audit verify --since-checkpoint reads only what moved since the cases
// were sealed, and names a changed new event and a rewritten sealed head,
// and counts sealed cases gone from the log.
func TestAuditVerifySinceCheckpoint(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		journey, _ := os.ReadFile("../../testdata/journey.jsonl")
		lines := bytes.SplitAfter(journey, []byte("\n"))
		first20 := bytes.Join(lines[:20], nil)
		for _, ref := range []string{"13RS0000201/24", "13RS0000202/24", "13RS0000203/24"} {
			f := filepath.Join(dir, "c.jsonl")
			os.WriteFile(f, bytes.ReplaceAll(first20, []byte("13RS0000101/24"), []byte(ref)), 0o600)
			if code, _, errs := run(t, "", "import", "--db", dsn, "--file", f); code != 0 {
				t.Fatal(errs)
			}
		}
		key := filepath.Join(dir, "checkpoint.key")
		_, out, _ := run(t, "", "audit", "keygen", "--out", key)
		pub := strings.TrimPrefix(regexp.MustCompile(`public key \S+`).FindString(out), "public key ")
		if code, out, errs := run(t, "", "audit", "verify", "--since-checkpoint", "--db", dsn); code != 1 || !strings.Contains(errs, "no signed checkpoint yet") {
			t.Errorf("before any checkpoint: %d %q %q", code, out, errs)
		}
		if code, _, errs := run(t, "", "audit", "checkpoint", "--key", key, "--db", dsn); code != 0 {
			t.Fatal(errs)
		}
		since := func() (int, string) {
			t.Helper()
			code, out, _ := run(t, "", "audit", "verify", "--since-checkpoint", "--public-key", pub, "--db", dsn)
			return code, out
		}
		if code, out := since(); code != 0 || !strings.Contains(out, "ok since checkpoint 1") || !strings.Contains(out, "its signature verifies") || !strings.Contains(out, ": 0 cases moved since their sealed heads, 0 events checked") {
			t.Fatalf("nothing moved: %d %q", code, out)
		}

		// A day's work: one case moves on, a new case arrives.
		s := openStore(t, dsn)
		appendLive(t, s, "13RS0000202/24", strings.Replace(string(bytes.TrimSpace(lines[20])), `"case":"13RS0000101/24",`, "", 1))
		s.Close()
		newCase := filepath.Join(dir, "new.jsonl")
		os.WriteFile(newCase, bytes.ReplaceAll(bytes.Join(lines[:5], nil), []byte("13RS0000101/24"), []byte("13RS0000204/24")), 0o600)
		if code, _, errs := run(t, "", "import", "--db", dsn, "--file", newCase); code != 0 {
			t.Fatal(errs)
		}
		if code, out := since(); code != 0 || !strings.Contains(out, ": 2 cases moved since their sealed heads, 7 events checked") {
			t.Fatalf("after a day's work: %d %q", code, out)
		}

		db := rawDB(t, dsn)
		for _, q := range dropTriggers(dsn) {
			if _, err := db.Exec(q); err != nil {
				t.Fatal(q, err)
			}
		}
		// The new event changed behind the store's back.
		if _, err := db.Exec(`UPDATE events SET data = replace(data, 'sentence', 'mention') WHERE case_ref = '13RS0000202/24' AND version = 21`); err != nil {
			t.Fatal(err)
		}
		if code, out := since(); code != 1 || !strings.Contains(out, "case 13RS0000202/24 event 21") || !strings.Contains(out, "its hash does not match") {
			t.Errorf("a changed new event: %d %q", code, out)
		}
		// The sealed head itself rewritten.
		if _, err := db.Exec(`UPDATE events SET hash = prev_hash WHERE case_ref = '13RS0000202/24' AND version = 20`); err != nil {
			t.Fatal(err)
		}
		if code, out := since(); code != 1 || !strings.Contains(out, "case 13RS0000202/24 event 20") || !strings.Contains(out, "differs from what a checkpoint sealed") {
			t.Errorf("a rewritten sealed head: %d %q", code, out)
		}
		// A sealed case removed.
		for _, q := range []string{`DELETE FROM events WHERE case_ref = '13RS0000203/24'`, `DELETE FROM cases WHERE ref = '13RS0000203/24'`} {
			if _, err := db.Exec(q); err != nil {
				t.Fatal(q, err)
			}
		}
		if code, out := since(); code != 1 || !strings.Contains(out, "checkpoint 1 sealed 3 cases but the log holds 2 of them") {
			t.Errorf("a sealed case removed: %d %q", code, out)
		}
	})
}

// The checkpoint signing key is rotated in place: checkpoints signed before
// the rotation verify under the old key and later ones under the new, each
// only under the key of its range, so a retired key cannot sign a later
// checkpoint that verify or check-proof would accept.
func TestCheckpointKeyRotation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		journey, _ := os.ReadFile("../../testdata/journey.jsonl")
		importCase := func(ref string) {
			t.Helper()
			f := filepath.Join(dir, strings.ReplaceAll(ref, "/", "-")+".jsonl")
			os.WriteFile(f, bytes.ReplaceAll(journey, []byte("13RS0000101/24"), []byte(ref)), 0o600)
			if code, _, errs := run(t, "", "import", "--db", dsn, "--file", f); code != 0 {
				t.Fatal(errs)
			}
		}
		keygen := func(name string) (file, pub string) {
			t.Helper()
			file = filepath.Join(dir, name)
			_, out, _ := run(t, "", "audit", "keygen", "--out", file)
			return file, strings.TrimPrefix(regexp.MustCompile(`public key \S+`).FindString(out), "public key ")
		}
		checkpoint := func(key string, id int) {
			t.Helper()
			if code, out, errs := run(t, "", "audit", "checkpoint", "--key", key, "--db", dsn); code != 0 || !strings.HasPrefix(out, fmt.Sprintf("checkpoint %d ", id)) {
				t.Fatalf("checkpoint %d: %d %q %q", id, code, out, errs)
			}
		}
		oldKey, oldPub := keygen("old.key")
		newKey, newPub := keygen("new.key")
		importCase("13RS0000101/24")
		checkpoint(oldKey, 1)
		importCase("13RS0000102/24")
		checkpoint(newKey, 2) // the rotation: checkpoint 2 is the new key's first

		verify := func(keys ...string) (int, string) {
			args := []string{"audit", "verify", "--projections=false", "--db", dsn}
			for _, k := range keys {
				args = append(args, "--public-key", k)
			}
			code, out, errs := run(t, "", args...)
			return code, out + errs
		}
		if code, out := verify(oldPub, "2:"+newPub); code != 0 || !strings.Contains(out, "signatures verify, up to checkpoint 2") {
			t.Errorf("both keys, each for its range: %d %s", code, out)
		}
		if code, out := verify(oldPub); code == 0 || !strings.Contains(out, "checkpoint 2: its signature does not verify under the public key for its range") {
			t.Errorf("the old key alone: %d %s", code, out)
		}
		if code, out := verify(oldPub, "1:"+newPub); code == 0 || !strings.Contains(out, "two keys sign from checkpoint 1") {
			t.Errorf("two keys for one range: %d %s", code, out)
		}
		if code, out := verify("2:" + newPub); code == 0 || !strings.Contains(out, "checkpoint 1: its signature does not verify") {
			t.Errorf("no key for checkpoint 1: %d %s", code, out)
		}

		// A proof of a case the new key's checkpoint sealed.
		proof := filepath.Join(dir, "proof.json")
		if code, out, errs := run(t, "", "audit", "prove", "13RS0000102/24", "--out", proof, "--db", dsn); code != 0 || !strings.Contains(out, "sealed by checkpoint 2") {
			t.Fatalf("prove: %d %q %q", code, out, errs)
		}
		if code, out, errs := run(t, "", "audit", "check-proof", "--proof", proof, "--public-key", oldPub, "--public-key", "2:"+newPub); code != 0 || !strings.Contains(out, "checkpoint 2 sealed them") {
			t.Errorf("check-proof with both keys: %d %q %q", code, out, errs)
		}
		if code, _, errs := run(t, "", "audit", "check-proof", "--proof", proof, "--public-key", oldPub); code != 1 || !strings.Contains(errs, "another key") {
			t.Errorf("check-proof with the old key alone: %d %q", code, errs)
		}
		if code, _, errs := run(t, "", "audit", "check-proof", "--proof", proof, "--public-key", "3:"+newPub); code != 1 || !strings.Contains(errs, "no key given signs checkpoint 2") {
			t.Errorf("check-proof with no key for its checkpoint: %d %q", code, errs)
		}

		// The retired key, leaked, signs a later checkpoint: refused.
		importCase("13RS0000103/24")
		checkpoint(oldKey, 3)
		if code, out := verify(oldPub, "2:"+newPub); code == 0 || !strings.Contains(out, "checkpoint 3: its signature does not verify under the public key for its range") {
			t.Errorf("a checkpoint after the rotation signed with the retired key: %d %s", code, out)
		}
	})
}
