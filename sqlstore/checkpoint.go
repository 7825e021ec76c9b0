package sqlstore

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
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

// CheckpointInfo describes one checkpoint.
type CheckpointInfo struct {
	ID        int64
	TakenAt   time.Time
	Cases     int64 // cases in the log then
	Events    int64 // events in the log then
	Moved     int   // case heads sealed by this checkpoint
	Root      []byte
	Signature []byte
}

type sealedHead struct {
	ref     string
	version int64
	hash    []byte
}

// checkpointRoot is what a checkpoint signs: SHA-256 over the previous
// checkpoint's signature, the time it was taken, and the heads it seals in
// case order, each field length-prefixed.
func checkpointRoot(prevSig []byte, takenAt string, heads []sealedHead) []byte {
	h := sha256.New()
	field := func(b []byte) {
		h.Write(binary.BigEndian.AppendUint64(nil, uint64(len(b))))
		h.Write(b)
	}
	field([]byte("throughline checkpoint v1"))
	field(prevSig)
	field([]byte(takenAt))
	for _, hd := range heads {
		field([]byte(hd.ref))
		h.Write(binary.BigEndian.AppendUint64(nil, uint64(hd.version)))
		field(hd.hash)
	}
	return h.Sum(nil)
}

// Checkpoint seals every case head that moved since the last checkpoint and
// signs the result with key. It refuses to sign a log whose cases went
// backwards since the last checkpoint: that is tampering for audit verify
// to name, not a state to seal.
func (s *Store) Checkpoint(ctx context.Context, key ed25519.PrivateKey) (CheckpointInfo, error) {
	var info CheckpointInfo
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if s.d.name == "postgres" {
			// One checkpoint at a time; appends carry on.
			if _, err := tx.ExecContext(ctx, `LOCK TABLE checkpoints IN EXCLUSIVE MODE`); err != nil {
				return err
			}
		}
		prevSig := genesis
		err := tx.QueryRowContext(ctx, `SELECT signature FROM checkpoints ORDER BY id DESC LIMIT 1`).Scan(&prevSig)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
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
		var moved []sealedHead
		for _, hd := range current {
			info.Cases++
			info.Events += hd.version
			was, ok := sealed[hd.ref]
			delete(sealed, hd.ref)
			switch {
			case hd.version < was.version:
				return fmt.Errorf("case %s is at version %d but a checkpoint sealed version %d: run audit verify; nothing was signed", hd.ref, hd.version, was.version)
			case hd.version == was.version && !bytes.Equal(hd.hash, was.hash):
				return fmt.Errorf("case %s does not match the head a checkpoint sealed: run audit verify; nothing was signed", hd.ref)
			case !ok || hd.version > was.version:
				moved = append(moved, hd)
			}
		}
		for ref := range sealed {
			return fmt.Errorf("case %s was sealed by a checkpoint but is no longer in the log: run audit verify; nothing was signed", ref)
		}
		sort.Slice(moved, func(i, j int) bool { return moved[i].ref < moved[j].ref })
		info.TakenAt = s.Now().UTC()
		taken := info.TakenAt.Format(time.RFC3339Nano)
		info.Root = checkpointRoot(prevSig, taken, moved)
		info.Signature = ed25519.Sign(key, info.Root)
		info.Moved = len(moved)
		if err := tx.QueryRowContext(ctx, s.d.rebind(`INSERT INTO checkpoints (taken_at, cases, events, root, prev, signature) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`),
			taken, info.Cases, info.Events, info.Root, prevSig, info.Signature).Scan(&info.ID); err != nil {
			return err
		}
		rowsIn := make([][]any, len(moved))
		for i, hd := range moved {
			rowsIn[i] = []any{info.ID, hd.ref, hd.version, hd.hash}
		}
		return s.insertRows(ctx, tx, "checkpoint_heads", []string{"checkpoint_id", "case_ref", "version", "hash"}, rowsIn)
	})
	return info, err
}

// VerifyCheckpoints checks the checkpoints: that each follows the one
// before, that its heads still give its root, that its signature verifies
// under pub (skipped when pub is nil), and that every head it sealed is
// still in the log with the same hash. Run it after Verify has found the
// chains whole: then each stored hash is the hash of what the log holds,
// and a head that differs from its checkpoint means the log was rewritten
// and its hashes recomputed. It returns the latest checkpoint, if any.
func (s *Store) VerifyCheckpoints(ctx context.Context, pub ed25519.PublicKey) ([]Problem, *CheckpointInfo, error) {
	type cp struct {
		CheckpointInfo
		taken string
		prev  []byte
	}
	var cps []cp
	rows, err := s.db.QueryContext(ctx, `SELECT id, taken_at, cases, events, root, prev, signature FROM checkpoints ORDER BY id`)
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var c cp
		if err := rows.Scan(&c.ID, &c.taken, &c.Cases, &c.Events, &c.Root, &c.prev, &c.Signature); err != nil {
			rows.Close()
			return nil, nil, err
		}
		c.TakenAt, _ = time.Parse(time.RFC3339Nano, c.taken)
		cps = append(cps, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if len(cps) == 0 {
		return nil, nil, nil
	}
	var problems []Problem
	bad := func(format string, args ...any) {
		problems = append(problems, Problem{What: fmt.Sprintf(format, args...)})
	}
	heads, err := s.checkpointHeads(ctx)
	if err != nil {
		return nil, nil, err
	}
	prevSig := genesis
	for i := range cps {
		c := &cps[i]
		c.Moved = len(heads[c.ID])
		switch {
		case !bytes.Equal(c.prev, prevSig):
			bad("checkpoint %d does not follow the checkpoint before it: a checkpoint was removed or changed", c.ID)
		case !bytes.Equal(checkpointRoot(c.prev, c.taken, heads[c.ID]), c.Root):
			bad("checkpoint %d: the heads it sealed were changed", c.ID)
		case pub != nil && !ed25519.Verify(pub, c.Root, c.Signature):
			bad("checkpoint %d: its signature does not verify under the public key", c.ID)
		}
		prevSig = c.Signature
	}
	// Every sealed head against the log as it now stands.
	rows, err = s.db.QueryContext(ctx, `SELECT h.checkpoint_id, h.case_ref, h.version, h.hash, e.position, e.hash
		FROM checkpoint_heads h LEFT JOIN events e ON e.case_ref = h.case_ref AND e.version = h.version ORDER BY h.checkpoint_id, h.case_ref`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	taken := map[int64]string{}
	for _, c := range cps {
		taken[c.ID] = c.TakenAt.Format("2 January 2006 15:04 MST")
	}
	reported := map[string]bool{}
	for rows.Next() {
		var id, version int64
		var ref string
		var sealedHash, hash []byte
		var position sql.NullInt64
		if err := rows.Scan(&id, &ref, &version, &sealedHash, &position, &hash); err != nil {
			return nil, nil, err
		}
		if reported[ref] || (position.Valid && bytes.Equal(hash, sealedHash)) {
			continue
		}
		reported[ref] = true
		if !position.Valid {
			problems = append(problems, Problem{Case: ref, What: fmt.Sprintf("event %d is missing, but checkpoint %d sealed it on %s", version, id, taken[id])})
			continue
		}
		problems = append(problems, Problem{Position: position.Int64, Case: ref, Version: version,
			What: fmt.Sprintf("differs from what checkpoint %d sealed on %s: the log was rewritten and its hashes recomputed", id, taken[id])})
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	latest := cps[len(cps)-1].CheckpointInfo
	return problems, &latest, nil
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
	rows, err := s.db.QueryContext(ctx, `SELECT checkpoint_id, case_ref, version, hash FROM checkpoint_heads ORDER BY checkpoint_id, case_ref`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var hd sealedHead
		if err := rows.Scan(&id, &hd.ref, &hd.version, &hd.hash); err != nil {
			return nil, err
		}
		out[id] = append(out[id], hd)
	}
	for _, hs := range out {
		sort.Slice(hs, func(i, j int) bool { return hs[i].ref < hs[j].ref })
	}
	return out, rows.Err()
}
