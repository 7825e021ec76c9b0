package chain

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"strings"
	"testing"
)

// sealedProof builds a proof the way the store does — three events of one
// case among four sealed heads, signed — so that Check is tested without a
// database.
func sealedProof(t testing.TB) (*Proof, ed25519.PublicKey) {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	pub := key.Public().(ed25519.PublicKey)
	p := &Proof{Format: ProofFormat, Case: "13RS0000102/26", Prev: Genesis}
	h, prev := NewHasher(), Genesis
	for v, typ := range []string{"case_opened", "suspect_identified", "file_submitted"} {
		e := ProofEvent{Version: int64(v + 1), Type: typ, OccurredAt: "2026-01-0" + string(rune('5'+v)), RecordedAt: "2026-01-09", AppendedAt: "2026-01-09T10:00:00Z",
			Actor: "police:13:priya", Agency: "police:13", Data: `{"force":"13"}`, Personal: []byte{1, 2, 3}}
		p.Events = append(p.Events, e)
		prev = bytes.Clone(h.Event(prev, []byte(p.Case), e.Version, []byte(e.Type), []byte(e.OccurredAt), []byte(e.RecordedAt), []byte(e.AppendedAt),
			[]byte(e.Actor), []byte(e.Agency), []byte(e.Data), e.Personal))
	}
	heads := []Head{
		{Ref: "13RS0000101/26", Version: 9, Hash: bytes.Repeat([]byte{1}, 32)},
		{Ref: p.Case, Version: 3, Hash: prev},
		{Ref: "13RS0000103/26", Version: 2, Hash: bytes.Repeat([]byte{3}, 32)},
		{Ref: "log:consultations:13RS0000101/26", Version: 4, Hash: bytes.Repeat([]byte{4}, 32)},
	}
	p.TreeSize, p.Index, p.Path = 4, 1, InclusionPath(heads, 1)
	p.Checkpoint = ProofCheckpoint{ID: 3, TakenAt: "2026-01-09T11:00:00Z", Prev: bytes.Repeat([]byte{9}, 64)}
	p.Checkpoint.Signature = ed25519.Sign(key, CheckpointRoot(FormatTree, p.Checkpoint.Prev, p.Checkpoint.TakenAt, heads))
	return p, pub
}

func TestProofCheck(t *testing.T) {
	p, pub := sealedProof(t)
	head, err := p.Check(pub)
	if err != nil || head.Version != 3 || head.Ref != p.Case {
		t.Fatalf("a sound proof: %+v %v", head, err)
	}
	for what, change := range map[string]func(p *Proof){
		"signature does not cover": func(p *Proof) { p.Events[1].Data = `{"force":"14"}` },
		"the chain has a gap":      func(p *Proof) { p.Events = append(p.Events[:1:1], p.Events[2]) },
		"start of the chain":       func(p *Proof) { p.Prev = bytes.Repeat([]byte{1}, 32) },
		"outside a tree":           func(p *Proof) { p.Index = 4 },
		"audit path is malformed":  func(p *Proof) { p.Path = p.Path[:1] },
		"not a Throughline proof":  func(p *Proof) { p.Format = "" },
		"holds no event":           func(p *Proof) { p.Events = nil },
	} {
		p, pub := sealedProof(t)
		change(p)
		if _, err := p.Check(pub); err == nil || !strings.Contains(err.Error(), what) {
			t.Errorf("%s: %v", what, err)
		}
	}
}

// Check never panics on any document, and accepts only what was signed.
func FuzzCheckProof(f *testing.F) {
	p, pub := sealedProof(f)
	good, _ := json.Marshal(p)
	f.Add(good)
	f.Add([]byte(`{"format":"throughline proof v1","events":[{"version":1}],"tree_size":1}`))
	f.Add([]byte(`{"format":"throughline proof v1","events":[{"version":9223372036854775807},{"version":1}],"tree_size":18446744073709551615,"leaf_index":18446744073709551614}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		var p Proof
		if json.Unmarshal(doc, &p) != nil {
			return
		}
		if _, err := p.Check(pub); err == nil && !bytes.Equal(doc, good) {
			// Another document may still decode to the same proof
			// (spacing, key order): it must then be the same proof.
			again, _ := json.Marshal(&p)
			if !bytes.Equal(again, good) {
				t.Fatalf("a proof that was never signed verifies: %s", doc)
			}
		}
	})
}
