package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"throughline"
	"throughline/chain"
)

// VerifySinceCheckpoint checks what was written since the cases were last
// sealed, without reading the rest of the log: the latest checkpoint
// follows the one before it and still gives its root from the heads it
// sealed; every case whose head is not a sealed head moved on from its
// latest sealed head by events that rehash and chain onto it, up to the
// case's head; and a case sealed but gone from the log is named. A case
// whose head is sealed is not read: its history up to that head is what the
// checkpoint vouches for, and the full Verify checks it. So this is the
// check to run often (each checkpoint interval, each day) and Verify the one
// to run in full less often: together they cover the log. The consultation
// and administrators' logs are checked by VerifyLogs, in full.
//
// Which cases moved is read from an index of the cases whose head is not
// the one last sealed, kept by the database itself as cases move
// and as checkpoints seal them (migration 0116); only their events are
// read. What an attacker with the database owner's rights changes behind
// Throughline's back without moving a case into that index (a sealed
// history rewritten in place, a case's sealed_version forged) is the full
// Verify's to find.
func (s *Store) VerifySinceCheckpoint(ctx context.Context) (throughline.VerifyResult, error) {
	var res throughline.VerifyResult
	cp, problems, err := s.latestCheckpoint(ctx)
	if err != nil {
		return res, err
	}
	res.Checkpoint = &cp.CheckpointInfo
	res.Problems = problems

	// The cases whose head is not the head a checkpoint last sealed, read
	// through the index of unsealed cases (migration 0116; on PostgreSQL
	// 0128, an index on the comparison, which its planner can estimate).
	rows, err := s.db.QueryContext(ctx, `SELECT ref, version, head_hash, sealed_version FROM cases WHERE version <> sealed_version ORDER BY ref`)
	if err != nil {
		return res, err
	}
	type moved struct {
		ref        string
		version    int64
		head       []byte
		sealed     int64 // 0: never sealed
		sealedHash []byte
	}
	var ms []moved
	for rows.Next() {
		var m moved
		if err := rows.Scan(&m.ref, &m.version, &m.head, &m.sealed); err != nil {
			rows.Close()
			return res, err
		}
		ms = append(ms, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, err
	}

	res.Cases = int64(len(ms))
	for i := range ms {
		m := &ms[i]
		if m.sealed > 0 {
			err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT hash FROM checkpoint_heads WHERE case_ref = ? AND version = ? LIMIT 1`), m.ref, m.sealed).Scan(&m.sealedHash)
			if errors.Is(err, sql.ErrNoRows) {
				res.Problems = append(res.Problems, throughline.Problem{Case: m.ref, What: fmt.Sprintf("says event %d was sealed, but no checkpoint sealed it", m.sealed)})
				continue
			}
			if err != nil {
				return res, err
			}
			if m.version < m.sealed {
				res.Problems = append(res.Problems, throughline.Problem{Case: m.ref, What: fmt.Sprintf("is at version %d but a checkpoint sealed version %d: events were removed", m.version, m.sealed)})
				continue
			}
		}
		evs, err := s.eventsFrom(ctx, m.ref, max(m.sealed, 1))
		if err != nil {
			return res, err
		}
		if p := checkSegment(m.ref, evs, m.sealed, m.sealedHash, m.version, m.head); p != nil {
			res.Problems = append(res.Problems, *p)
		}
		res.Events += int64(len(evs))
	}

	// A case is never removed (erasure keeps its row and its log), so
	// fewer sealed cases than the latest checkpoint counted — the cases less
	// those never sealed — means sealed cases are gone; audit verify names
	// them.
	var n int64
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM cases`).Scan(&n); err != nil {
		return res, err
	}
	for _, m := range ms {
		if m.sealed == 0 {
			n--
		}
	}
	if n < cp.Cases {
		res.Problems = append(res.Problems, throughline.Problem{What: fmt.Sprintf("checkpoint %d sealed %d cases but the log holds %d of them: cases were removed; run audit verify to name them", cp.ID, cp.Cases, n)})
	}
	return res, nil
}

// eventsFrom reads a case's stored events from version from on, in order.
func (s *Store) eventsFrom(ctx context.Context, ref string, from int64) ([]storedEvent, error) {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT position, case_ref, version, type, occurred_at, recorded_at, appended_at, actor, agency, data, personal, prev_hash, hash
		FROM events WHERE case_ref = ? AND version >= ? ORDER BY version`), ref, from)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []storedEvent
	for rows.Next() {
		var e storedEvent
		if err := rows.Scan(&e.Position, &e.CaseRef, &e.Version, &e.Type, &e.OccurredAt, &e.RecordedAt, &e.AppendedAt, &e.Actor, &e.Agency, &e.Data, &e.Personal, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// checkSegment checks a case's events from its sealed head (version sealed,
// hash sealedHash; 0 and nil when never sealed, and evs then start at 1) to
// its head (version, head): the sealed event still has the sealed hash,
// and every later one follows it, rehashes to its stored hash and ends at
// the head. It names the first break.
func checkSegment(ref string, evs []storedEvent, sealed int64, sealedHash []byte, version int64, head []byte) *throughline.Problem {
	bad := func(e *storedEvent, what string) *throughline.Problem {
		return &throughline.Problem{Case: ref, Version: e.Version, Position: e.Position, What: what}
	}
	prev, want := genesis, int64(1)
	if sealed > 0 {
		if len(evs) == 0 || evs[0].Version != sealed {
			return &throughline.Problem{Case: ref, What: fmt.Sprintf("event %d, which a checkpoint sealed, is missing", sealed)}
		}
		if !bytes.Equal(evs[0].Hash, sealedHash) {
			return bad(&evs[0], "differs from what a checkpoint sealed: the log was rewritten")
		}
		prev, want, evs = evs[0].Hash, sealed+1, evs[1:]
	}
	h := chain.NewHasher()
	for i := range evs {
		e := &evs[i]
		switch {
		case e.Version != want:
			return bad(e, fmt.Sprintf("comes where event %d should: events were removed, added or reordered", want))
		case !bytes.Equal(e.PrevHash, prev):
			return bad(e, "does not follow the event before it")
		case !bytes.Equal(chainHash(h, e), e.Hash):
			return bad(e, "was changed after it was written: its hash does not match")
		}
		prev, want = e.Hash, want+1
	}
	if want-1 != version || !bytes.Equal(prev, head) {
		return &throughline.Problem{Case: ref, What: fmt.Sprintf("the chain ends at event %d but the case's head says %d: the log and its head disagree", want-1, version)}
	}
	return nil
}

// latestCheckpoint reads the latest checkpoint and checks it against the
// one before it and against the heads it sealed, which it reads (as many
// as moved in its interval, not the whole log).
func (s *Store) latestCheckpoint(ctx context.Context) (storedCheckpoint, []throughline.Problem, error) {
	var c storedCheckpoint
	err := s.db.QueryRowContext(ctx, `SELECT id, taken_at, cases, events, root, prev, signature, format FROM checkpoints ORDER BY id DESC LIMIT 1`).
		Scan(&c.ID, &c.taken, &c.Cases, &c.Events, &c.Root, &c.prev, &c.Signature, &c.format)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil, errors.New("no signed checkpoint yet: there is nothing to verify since; run audit verify")
	}
	if err != nil {
		return c, nil, err
	}
	c.TakenAt, _ = time.Parse(time.RFC3339Nano, c.taken)
	var problems []throughline.Problem
	prevSig := genesis
	err = s.db.QueryRowContext(ctx, s.d.rebind(`SELECT signature FROM checkpoints WHERE id < ? ORDER BY id DESC LIMIT 1`), c.ID).Scan(&prevSig)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return c, nil, err
	}
	if !bytes.Equal(c.prev, prevSig) {
		problems = append(problems, throughline.Problem{What: fmt.Sprintf("checkpoint %d does not follow the checkpoint before it: a checkpoint was removed or changed", c.ID)})
	}
	heads, err := readHeads(ctx, s.db, s.d.rebind(fmt.Sprintf(`SELECT case_ref, version, hash FROM checkpoint_heads WHERE checkpoint_id = %d`, c.ID)))
	if err != nil {
		return c, nil, err
	}
	sortHeads(heads)
	c.Moved = len(heads)
	if !bytes.Equal(checkpointRoot(c.format, c.prev, c.taken, heads), c.Root) {
		problems = append(problems, throughline.Problem{What: fmt.Sprintf("checkpoint %d: the heads it sealed were changed", c.ID)})
	}
	return c, problems, nil
}
