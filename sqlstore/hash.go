package sqlstore

import (
	"crypto/sha256"
	"encoding/binary"
	"hash"
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

// genesis is the prev_hash of a case's first event.
var genesis = make([]byte, sha256.Size)

// chainHash is SHA-256 over the previous hash and every field of the event,
// each length-prefixed so that no two different events encode alike. The
// sealed personal bytes are covered as stored, so erasure (destroying the
// key) leaves the chain verifiable.
func chainHash(h hash.Hash, e *storedEvent) []byte {
	h.Reset()
	var n [8]byte
	field := func(b []byte) {
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	field(e.PrevHash)
	field([]byte(e.CaseRef))
	binary.BigEndian.PutUint64(n[:], uint64(e.Version))
	h.Write(n[:])
	field([]byte(e.Type))
	field([]byte(e.OccurredAt))
	field([]byte(e.RecordedAt))
	field([]byte(e.AppendedAt))
	field([]byte(e.Actor))
	field([]byte(e.Agency))
	field(e.Data)
	field(e.Personal)
	return h.Sum(nil)
}

func newHash() hash.Hash { return sha256.New() }
