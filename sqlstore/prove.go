package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"

	"throughline/chain"
)

// Prove returns a proof that events from..head of case ref are in the log as
// the first checkpoint with a tree that sealed event from or a later one
// found them (package chain; audit prove). The proof holds the events from
// from to that sealed head, so proving an early event of a long case is
// longer than proving a late one. An event no checkpoint with a tree has
// sealed yet has no proof: the error says so.
func (s *Store) Prove(ctx context.Context, ref string, from int64) (*chain.Proof, error) {
	p := &chain.Proof{Format: chain.ProofFormat, Case: ref}
	var version int64
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT version FROM cases WHERE ref = ?`), ref).Scan(&version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("no case %s in the log", ref)
	case err != nil:
		return nil, err
	case from < 1 || from > version:
		return nil, fmt.Errorf("case %s has events 1 to %d: there is no event %d", ref, version, from)
	}
	var sealed chain.Head
	err = s.db.QueryRowContext(ctx, s.d.rebind(`SELECT h.checkpoint_id, h.version, h.hash FROM checkpoint_heads h JOIN checkpoints c ON c.id = h.checkpoint_id
		WHERE h.case_ref = ? AND h.version >= ? AND c.format = ? ORDER BY h.version, h.checkpoint_id LIMIT 1`), ref, from, chain.FormatTree).
		Scan(&p.Checkpoint.ID, &sealed.Version, &sealed.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("event %d of case %s is not sealed by a checkpoint with a tree yet: the next checkpoint (audit checkpoint, or serve's own) will seal it", from, ref)
	}
	if err != nil {
		return nil, err
	}
	if err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT taken_at, prev, signature FROM checkpoints WHERE id = ?`), p.Checkpoint.ID).
		Scan(&p.Checkpoint.TakenAt, &p.Checkpoint.Prev, &p.Checkpoint.Signature); err != nil {
		return nil, err
	}
	heads, err := readHeads(ctx, s.db, s.d.rebind(fmt.Sprintf(`SELECT case_ref, version, hash FROM checkpoint_heads WHERE checkpoint_id = %d`, p.Checkpoint.ID)))
	if err != nil {
		return nil, err
	}
	sortHeads(heads)
	index := sort.Search(len(heads), func(i int) bool { return heads[i].ref >= ref })
	if index == len(heads) || heads[index].ref != ref || !bytes.Equal(heads[index].hash, sealed.Hash) {
		return nil, fmt.Errorf("checkpoint %d does not hold the head of case %s it sealed: run audit verify", p.Checkpoint.ID, ref)
	}
	p.TreeSize, p.Index = uint64(len(heads)), uint64(index)
	p.Path = chain.InclusionPath(chainHeads(heads), index)

	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT version, type, occurred_at, recorded_at, appended_at, actor, agency, data, personal, prev_hash
		FROM events WHERE case_ref = ? AND version >= ? AND version <= ? ORDER BY version`), ref, from, sealed.Version)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var e chain.ProofEvent
		var prev []byte
		if err := rows.Scan(&e.Version, &e.Type, &e.OccurredAt, &e.RecordedAt, &e.AppendedAt, &e.Actor, &e.Agency, &e.Data, &e.Personal, &prev); err != nil {
			return nil, err
		}
		if len(p.Events) == 0 {
			p.Prev = prev
		}
		p.Events = append(p.Events, e)
	}
	return p, rows.Err()
}

// sortHeads puts heads in byte order of their references, the order
// Checkpoint sealed them in, whatever the database's collation.
func sortHeads(heads []sealedHead) {
	sort.Slice(heads, func(i, j int) bool { return heads[i].ref < heads[j].ref })
}
