package chain

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
)

// ProofFormat names the proof documents this package checks.
const ProofFormat = "throughline proof v1"

// A Proof shows that a case's events, from one event to the head a signed
// checkpoint sealed, are in the log as they were when it was sealed: the
// events as stored (the payload's personal fields sealed under the case's
// key, so they stay unreadable), the head's audit path in the checkpoint's
// tree, and the checkpoint's signature. Check needs only the public key.
// A proof carries the case's payloads: it is OFFICIAL-SENSITIVE like the
// record itself.
type Proof struct {
	Format string `json:"format"`
	Case   string `json:"case"`
	// Prev is the hash before the first event: Genesis for event 1.
	Prev   []byte       `json:"prev_hash"`
	Events []ProofEvent `json:"events"`
	// The sealed head is the last event's; it is leaf Index of the
	// checkpoint's tree of TreeSize heads, with this audit path.
	TreeSize   uint64          `json:"tree_size"`
	Index      uint64          `json:"leaf_index"`
	Path       [][]byte        `json:"audit_path"`
	Checkpoint ProofCheckpoint `json:"checkpoint"`
}

// ProofEvent is an event as the log stores it: every field its hash covers.
type ProofEvent struct {
	Version    int64  `json:"version"`
	Type       string `json:"type"`
	OccurredAt string `json:"occurred_at"`
	RecordedAt string `json:"recorded_at"`
	AppendedAt string `json:"appended_at"`
	Actor      string `json:"actor"`
	Agency     string `json:"agency"`
	Data       string `json:"data"`
	Personal   []byte `json:"personal,omitempty"`
}

// ProofCheckpoint is what a checkpoint signed, less the tree's root, which
// the proof recomputes.
type ProofCheckpoint struct {
	ID        int64  `json:"id"`
	TakenAt   string `json:"taken_at"`
	Prev      []byte `json:"prev_signature"`
	Signature []byte `json:"signature"`
}

// Check verifies the proof under the checkpoint signing key's public half:
// the events chain from Prev, the last one is the sealed head, the head's
// path leads to a tree root, and the checkpoint's signature covers that
// root. It returns the sealed head. An error says which step failed; a
// changed event and another key both fail at the signature, since either
// gives a root the key did not sign.
func (p *Proof) Check(pub ed25519.PublicKey) (Head, error) {
	switch {
	case p.Format != ProofFormat:
		return Head{}, fmt.Errorf("not a Throughline proof (format %q, want %q)", p.Format, ProofFormat)
	case len(pub) != ed25519.PublicKeySize:
		return Head{}, fmt.Errorf("the public key is not an Ed25519 public key")
	case len(p.Events) == 0:
		return Head{}, fmt.Errorf("the proof holds no event")
	case p.Events[0].Version < 1:
		return Head{}, fmt.Errorf("event versions start at 1")
	case p.Events[0].Version == 1 && !bytes.Equal(p.Prev, Genesis):
		return Head{}, fmt.Errorf("event 1 must follow the start of the chain")
	}
	h, prev := NewHasher(), bytes.Clone(p.Prev)
	for i, e := range p.Events {
		if want := p.Events[0].Version + int64(i); e.Version != want {
			return Head{}, fmt.Errorf("event %d follows event %d: the chain has a gap", e.Version, want-1)
		}
		prev = bytes.Clone(h.Event(prev, []byte(p.Case), e.Version, []byte(e.Type), []byte(e.OccurredAt), []byte(e.RecordedAt),
			[]byte(e.AppendedAt), []byte(e.Actor), []byte(e.Agency), []byte(e.Data), e.Personal))
	}
	head := Head{Ref: p.Case, Version: p.Events[len(p.Events)-1].Version, Hash: prev}
	if p.Index >= p.TreeSize {
		return Head{}, fmt.Errorf("leaf %d is outside a tree of %d", p.Index, p.TreeSize)
	}
	treeRoot, err := VerifyInclusion(head, p.Index, p.TreeSize, p.Path)
	if err != nil {
		return Head{}, fmt.Errorf("the audit path is malformed: %v", err)
	}
	root := TreeCheckpointRoot(p.Checkpoint.Prev, p.Checkpoint.TakenAt, treeRoot)
	if !ed25519.Verify(pub, root, p.Checkpoint.Signature) {
		return Head{}, fmt.Errorf("checkpoint %d's signature does not cover these events: the proof was changed, or it is checked with another key than the one that signed", p.Checkpoint.ID)
	}
	return head, nil
}
