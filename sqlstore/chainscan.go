package sqlstore

import (
	"bytes"
	"context"
	"throughline/chain"
)

// link is what checking one event's place in its chain needs: where it is,
// what it points back to, its hash, and whether its contents still match
// that hash. The byte slices are valid only until the next row.
type link struct {
	position, version int64
	ref               []byte
	prevHash, hash    []byte
	intact            bool
}

// chainedColumns are the columns an event's chain hash covers, in the
// order of chain.Hasher.Event's parameters.
const chainedColumns = `prev_hash, case_ref, version, type, occurred_at, recorded_at, appended_at, actor, agency, data, personal`

// scanChain calls fn for every event with a position in [from, to], in
// position order (see bulkRead: on SQLite a range of the integer primary
// key is scanned in order; were it ever not, the chains would fail to
// verify — they could not falsely pass).
func (s *Store) scanChain(ctx context.Context, from, to int64, fn func(*link) error) error {
	h := chain.NewHasher()
	var l link
	var rest [8][]byte
	return s.bulkRead(ctx, `position, hash, `+chainedColumns, `FROM events WHERE position BETWEEN ? AND ? ORDER BY position`, []any{from, to}, func(r row) error {
		for i := range rest {
			rest[i] = r.bytes(5 + i)
		}
		l.set(h, r.int(0), r.bytes(1), r.bytes(2), r.bytes(3), r.int(4), &rest)
		return fn(&l)
	})
}

// set makes l the link of one stored event, re-deriving its hash from
// the rest of its columns: type, occurred_at, recorded_at, appended_at,
// actor, agency, data and personal.
func (l *link) set(h *chain.Hasher, position int64, hash, prev, ref []byte, version int64, rest *[8][]byte) {
	l.position, l.version, l.ref, l.prevHash, l.hash = position, version, ref, prev, hash
	l.intact = bytes.Equal(h.Event(prev, ref, version, rest[0], rest[1], rest[2], rest[3], rest[4], rest[5], rest[6], rest[7]), hash)
}
