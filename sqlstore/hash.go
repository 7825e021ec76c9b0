package sqlstore

import (
	"bytes"

	"throughline/chain"
)

// storedEvent is an event as the log holds it: every column that the hash
// chain covers.
type storedEvent struct {
	Position   int64
	CaseRef    string
	Version    int64
	Type       string
	OccurredAt string
	RecordedAt string
	AppendedAt string
	Actor      string
	Agency     string
	Data       []byte
	Personal   []byte
	PrevHash   []byte
	Hash       []byte
}

// genesis is the prev_hash of a chain's first entry.
var genesis = chain.Genesis

// chainHash is the event's chain hash (package chain defines it).
func chainHash(h *chain.Hasher, e *storedEvent) []byte {
	return bytes.Clone(h.Event(e.PrevHash, []byte(e.CaseRef), e.Version, []byte(e.Type), []byte(e.OccurredAt), []byte(e.RecordedAt),
		[]byte(e.AppendedAt), []byte(e.Actor), []byte(e.Agency), e.Data, e.Personal))
}
