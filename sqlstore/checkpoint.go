package sqlstore

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"sort"
	"throughline"
	"throughline/chain"
	"time"
)

// A signed checkpoint seals the head of every case as it stood at a moment:
// its version and its chain hash. The chains alone do not stop someone who
// can rewrite the database and recompute every hash; a checkpoint signed with
// a key held outside the database does, for everything it sealed. Each
// checkpoint stores only the heads that moved since the one before, and its
// root covers the previous checkpoint's signature, so the checkpoints form
// a chain of their own. Publish each signature (the command prints it) so
// that removing the latest checkpoints is noticed too. See ADR 2.

type sealedHead struct {
	ref     string
	version int64
	hash    []byte
}

// checkpointRoot is what a checkpoint of the given format signs (package
// chain defines it).
func checkpointRoot(format int, prevSig []byte, takenAt string, heads []sealedHead) []byte {
	return chain.CheckpointRoot(format, prevSig, takenAt, chainHeads(heads))
}

func chainHeads(hs []sealedHead) []chain.Head {
	out := make([]chain.Head, len(hs))
	for i, hd := range hs {
		out[i] = chain.Head{Ref: hd.ref, Version: hd.version, Hash: hd.hash}
	}
	return out
}

// Checkpoint seals every case head that moved since the last checkpoint and
// signs the result with key. It refuses to sign a log whose sealed heads
// are no longer in their chains: that is tampering for audit verify to
// name, not a state to seal.
func (s *Store) Checkpoint(ctx context.Context, key ed25519.PrivateKey) (throughline.CheckpointInfo, error) {
	var info throughline.CheckpointInfo
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if s.d.checkpointLock != "" {
			// One checkpoint at a time; appends carry on.
			if _, err := tx.ExecContext(ctx, s.d.checkpointLock); err != nil {
				return err
			}
		}
		prevSig, prevFormat := genesis, 0
		err := tx.QueryRowContext(ctx, `SELECT signature, format FROM checkpoints ORDER BY id DESC LIMIT 1`).Scan(&prevSig, &prevFormat)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		// The first checkpoint with a tree seals every head again, so that
		// every case has a head that audit prove can show.
		resealAll := prevFormat < chain.FormatTree
		latest, err := readHeads(ctx, tx, `SELECT h.case_ref, h.version, h.hash FROM checkpoint_heads h
			JOIN (SELECT case_ref, max(version) AS version FROM checkpoint_heads GROUP BY case_ref) m ON m.case_ref = h.case_ref AND m.version = h.version`)
		if err != nil {
			return err
		}
		sealed := map[string]sealedHead{} // each case's latest sealed head
		for _, hd := range latest {
			sealed[hd.ref] = hd
		}
		current, err := readHeads(ctx, tx, `SELECT ref, version, head_hash FROM cases`)
		if err != nil {
			return err
		}
		info.Cases = int64(len(current))
		for _, hd := range current {
			info.Events += hd.version
		}
		// The consultation and administrators' logs' chains are sealed
		// beside the cases (logchain.go).
		logs, err := s.logHeads(ctx, tx)
		if err != nil {
			return err
		}
		var moved []sealedHead
		for _, hd := range append(current, logs...) {
			was, ok := sealed[hd.ref]
			delete(sealed, hd.ref)
			switch {
			case hd.version < was.version:
				return fmt.Errorf("case %s is at version %d but a checkpoint sealed version %d: run audit verify; nothing was signed", hd.ref, hd.version, was.version)
			case hd.version == was.version && !bytes.Equal(hd.hash, was.hash):
				return fmt.Errorf("case %s does not match the head a checkpoint sealed: run audit verify; nothing was signed", hd.ref)
			case !ok || resealAll && hd.version == was.version:
				moved = append(moved, hd)
			case hd.version > was.version:
				// The head it sealed before must still be in the chain.
				_, hash, err := s.sealedHash(ctx, tx, hd.ref, was.version)
				if err != nil {
					return err
				}
				if !bytes.Equal(hash, was.hash) {
					return fmt.Errorf("case %s: event %d is not what a checkpoint sealed: run audit verify; nothing was signed", hd.ref, was.version)
				}
				moved = append(moved, hd)
			}
		}
		for ref := range sealed {
			return fmt.Errorf("case %s was sealed by a checkpoint but is no longer in the log: run audit verify; nothing was signed", ref)
		}
		sort.Slice(moved, func(i, j int) bool { return moved[i].ref < moved[j].ref })
		info.TakenAt = s.Now().UTC()
		taken := info.TakenAt.Format(time.RFC3339Nano)
		info.Root = checkpointRoot(chain.FormatTree, prevSig, taken, moved)
		info.Signature = ed25519.Sign(key, info.Root)
		info.Moved = len(moved)
		for _, hd := range moved {
			if _, _, isLog := sealedLog(hd.ref); isLog {
				info.Logs++
			}
		}
		if err := tx.QueryRowContext(ctx, s.d.rebind(`INSERT INTO checkpoints (taken_at, cases, events, root, prev, signature, format) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			taken, info.Cases, info.Events, info.Root, prevSig, info.Signature, chain.FormatTree).Scan(&info.ID); err != nil {
			return err
		}
		rowsIn := make([][]any, len(moved))
		for i, hd := range moved {
			rowsIn[i] = []any{info.ID, hd.ref, hd.version, hd.hash}
		}
		if err := s.insertRows(ctx, tx, "checkpoint_heads", []string{"checkpoint_id", "case_ref", "version", "hash"}, rowsIn); err != nil {
			return err
		}
		// Every case whose head is now sealed leaves the index of unsealed
		// cases (migration 0116). Only that index is visited; a case that
		// moved again since its head was read above stays in it.
		_, err = tx.ExecContext(ctx, `UPDATE cases SET sealed_version = version WHERE version <> sealed_version
			AND EXISTS (SELECT 1 FROM checkpoint_heads h WHERE h.case_ref = cases.ref AND h.version = cases.version AND h.hash = cases.head_hash)`)
		return err
	})
	return info, err
}

// storedCheckpoint is a checkpoint row.
type storedCheckpoint struct {
	throughline.CheckpointInfo
	taken  string
	prev   []byte
	format int
}

// checkpoints is every checkpoint, what checking them against each other
// found, and each case's latest sealed head.
type checkpoints struct {
	list     []storedCheckpoint
	problems []throughline.Problem
	latest   map[string]sealedAt
}

// sealedAt is a sealed head and the checkpoint that sealed it.
type sealedAt struct {
	sealedHead
	by int64
}

// loadCheckpoints reads the checkpoints and checks them against each
// other: each must follow the one before and still give its root from the
// heads it sealed.
func (s *Store) loadCheckpoints(ctx context.Context) (*checkpoints, error) {
	cs := &checkpoints{latest: map[string]sealedAt{}}
	rows, err := s.db.QueryContext(ctx, `SELECT id, taken_at, cases, events, root, prev, signature, format FROM checkpoints ORDER BY id`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var c storedCheckpoint
		if err := rows.Scan(&c.ID, &c.taken, &c.Cases, &c.Events, &c.Root, &c.prev, &c.Signature, &c.format); err != nil {
			rows.Close()
			return nil, err
		}
		c.TakenAt, _ = time.Parse(time.RFC3339Nano, c.taken)
		cs.list = append(cs.list, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(cs.list) == 0 {
		return cs, err
	}
	heads, err := s.checkpointHeads(ctx)
	if err != nil {
		return nil, err
	}
	prevSig := genesis
	for i := range cs.list {
		c := &cs.list[i]
		sealed := heads[c.ID]
		c.Moved = len(sealed)
		switch {
		case !bytes.Equal(c.prev, prevSig):
			cs.problems = append(cs.problems, throughline.Problem{What: fmt.Sprintf("checkpoint %d does not follow the checkpoint before it: a checkpoint was removed or changed", c.ID)})
		case !bytes.Equal(checkpointRoot(c.format, c.prev, c.taken, sealed), c.Root):
			cs.problems = append(cs.problems, throughline.Problem{What: fmt.Sprintf("checkpoint %d: the heads it sealed were changed", c.ID)})
		}
		prevSig = c.Signature
		for _, hd := range sealed {
			if was, ok := cs.latest[hd.ref]; !ok || hd.version >= was.version {
				cs.latest[hd.ref] = sealedAt{hd, c.ID}
			}
		}
	}
	return cs, nil
}

// check compares each case's latest sealed head with its chain. current
// is the case heads, which Verify found to end whole chains except for the
// cases in broken (already reported). The latest sealed head of a case
// vouches for its earlier ones: a chain hash commits to everything before
// it, and Checkpoint checks the earlier head before it seals a later one.
func (s *Store) checkCheckpoints(ctx context.Context, cs *checkpoints, current map[string]head, broken map[string]bool) ([]throughline.Problem, error) {
	when := map[int64]string{}
	for _, c := range cs.list {
		when[c.ID] = c.TakenAt.Format("2 January 2006 15:04 MST")
	}
	logs, err := s.logHeads(ctx, s.db)
	if err != nil {
		return nil, err
	}
	heads := maps.Clone(current)
	for _, hd := range logs {
		heads[hd.ref] = head{version: hd.version, hash: hd.hash}
	}
	var found []throughline.Problem
	for ref, sealed := range cs.latest {
		if broken[ref] {
			continue
		}
		cur, ok := heads[ref]
		hash := cur.hash
		var position int64
		switch {
		case !ok || cur.version < sealed.version:
			what := fmt.Sprintf("is missing, but checkpoint %d sealed it on %s", sealed.by, when[sealed.by])
			p := sealedProblem(ref, sealed.version, what)
			if _, _, isLog := sealedLog(ref); !isLog {
				p = throughline.Problem{Case: ref, What: fmt.Sprintf("event %d %s", sealed.version, what)}
			}
			found = append(found, p)
			continue
		case cur.version > sealed.version: // moved on since: the hash at the sealed version
			var err error
			if position, hash, err = s.sealedHash(ctx, s.db, ref, sealed.version); err != nil {
				return nil, err
			}
		}
		if !bytes.Equal(hash, sealed.hash) {
			p := sealedProblem(ref, sealed.version, fmt.Sprintf("differs from what checkpoint %d sealed on %s: the log was rewritten and its hashes recomputed", sealed.by, when[sealed.by]))
			p.Position = position
			found = append(found, p)
		}
	}
	sort.Slice(found, func(i, j int) bool { return found[i].Case < found[j].Case })
	return append(cs.problems, found...), nil
}

// VerifySignatures checks each checkpoint's signature of its root under
// pub. (Verify checks that the roots still follow from the log.)
func (s *Store) VerifySignatures(ctx context.Context, ring chain.Keyring) ([]throughline.Problem, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, root, signature FROM checkpoints ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var problems []throughline.Problem
	for rows.Next() {
		var id int64
		var root, sig []byte
		if err := rows.Scan(&id, &root, &sig); err != nil {
			return nil, err
		}
		if !ring.Verify(id, root, sig) {
			problems = append(problems, throughline.Problem{What: fmt.Sprintf("checkpoint %d: its signature does not verify under the public key for its range", id)})
		}
	}
	return problems, rows.Err()
}

// eventHash is the stored hash of a case's event and its position; nil
// and 0 if the log has no such event.
func (s *Store) eventHash(ctx context.Context, q querier, ref string, version int64) (position int64, hash []byte, err error) {
	err = q.QueryRowContext(ctx, s.d.rebind(`SELECT position, hash FROM events WHERE case_ref = ? AND version = ?`), ref, version).Scan(&position, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, nil
	}
	return position, hash, err
}

// readHeads reads (case, version, hash) rows.
func readHeads(ctx context.Context, q querier, query string) ([]sealedHead, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []sealedHead
	for rows.Next() {
		var hd sealedHead
		if err := rows.Scan(&hd.ref, &hd.version, &hd.hash); err != nil {
			return nil, err
		}
		out = append(out, hd)
	}
	return out, rows.Err()
}

// checkpointHeads reads every sealed head, by checkpoint, in case order
// (byte order, whatever the database's collation).
func (s *Store) checkpointHeads(ctx context.Context) (map[int64][]sealedHead, error) {
	out := map[int64][]sealedHead{}
	err := s.bulkRead(ctx, `checkpoint_id, case_ref, version, hash`, `FROM checkpoint_heads ORDER BY checkpoint_id, case_ref`, nil, func(r row) error {
		id := r.int(0)
		out[id] = append(out[id], sealedHead{ref: string(r.bytes(1)), version: r.int(2), hash: bytes.Clone(r.bytes(3))})
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, hs := range out {
		byRef := func(i, j int) bool { return hs[i].ref < hs[j].ref }
		if !sort.SliceIsSorted(hs, byRef) { // a collation other than byte order
			sort.Slice(hs, byRef)
		}
	}
	return out, nil
}

// LatestCheckpoint is when the latest signed checkpoint was taken; false if
// none has been.
func (s *Store) LatestCheckpoint(ctx context.Context) (time.Time, bool, error) {
	var taken string
	err := s.db.QueryRowContext(ctx, `SELECT taken_at FROM checkpoints ORDER BY id DESC LIMIT 1`).Scan(&taken)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, err
	}
	t, err := time.Parse(time.RFC3339Nano, taken)
	return t, err == nil, err
}
