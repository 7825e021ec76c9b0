package sqlstore

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
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
func chainHash(h *hasher, e *storedEvent) []byte {
	return bytes.Clone(h.event(e.PrevHash, []byte(e.CaseRef), e.Version, []byte(e.Type), []byte(e.OccurredAt), []byte(e.RecordedAt),
		[]byte(e.AppendedAt), []byte(e.Actor), []byte(e.Agency), e.Data, e.Personal))
}

// hasher computes chain hashes into reused buffers, so that verifying
// millions of events does not allocate per event.
type hasher struct {
	buf []byte
	sum [sha256.Size]byte
}

func newHash() *hasher { return &hasher{buf: make([]byte, 0, 1024)} }

// event returns the chain hash of an event given as its stored bytes,
// valid until the next call. This is the one definition of what the chain
// covers, and in what order.
func (h *hasher) event(prev, ref []byte, version int64, typ, occurred, recorded, appended, actor, agency, data, personal []byte) []byte {
	h.buf = h.buf[:0]
	for _, f := range [...][]byte{prev, ref} {
		h.field(f)
	}
	h.buf = binary.BigEndian.AppendUint64(h.buf, uint64(version))
	for _, f := range [...][]byte{typ, occurred, recorded, appended, actor, agency, data, personal} {
		h.field(f)
	}
	h.sum = sha256.Sum256(h.buf)
	return h.sum[:]
}

func (h *hasher) field(b []byte) { h.buf = appendField(h.buf, b) }

// appendField appends b length-prefixed, so that no two different runs of
// fields encode alike: the encoding of everything this package hashes.
func appendField(buf, b []byte) []byte {
	buf = binary.BigEndian.AppendUint64(buf, uint64(len(b)))
	return append(buf, b...)
}
