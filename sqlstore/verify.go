package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"sort"
)

// Problem is one break in the log's integrity.
type Problem struct {
	Position int64  // global position of the first bad event, 0 if none exists
	Case     string // its case
	Version  int64  // its version in the case
	What     string
}

func (p Problem) String() string {
	if p.Version == 0 {
		return fmt.Sprintf("case %s: %s", p.Case, p.What)
	}
	return fmt.Sprintf("case %s event %d (position %d): %s", p.Case, p.Version, p.Position, p.What)
}

// VerifyResult is what Verify found.
type VerifyResult struct {
	Cases    int64
	Events   int64
	Problems []Problem // the first problem of each broken case, earliest first
}

// Verify re-derives every hash of every case's chain and checks that each
// chain is whole (versions 1…n, each event pointing at its predecessor) and
// ends where the case's head says. A changed event breaks its own hash; a
// removed, inserted or reordered one breaks its successor's link or the
// version sequence; a truncated chain or a removed case disagrees with the
// heads. progress, if not nil, is called with the number of events checked.
func (s *Store) Verify(ctx context.Context, progress func(n int64)) (VerifyResult, error) {
	var res VerifyResult
	heads := map[string]struct {
		version int64
		hash    []byte
	}{}
	rows, err := s.db.QueryContext(ctx, `SELECT ref, version, head_hash FROM cases`)
	if err != nil {
		return res, err
	}
	for rows.Next() {
		var ref string
		var v int64
		var h []byte
		if err := rows.Scan(&ref, &v, &h); err != nil {
			rows.Close()
			return res, err
		}
		heads[ref] = struct {
			version int64
			hash    []byte
		}{v, h}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, err
	}

	rows, err = s.db.QueryContext(ctx, `SELECT position, case_ref, version, type, occurred_at, recorded_at, appended_at, actor, agency, data, personal, prev_hash, hash FROM events ORDER BY case_ref, version`)
	if err != nil {
		return res, err
	}
	defer rows.Close()
	h := newHash()
	var (
		cur      string
		want     int64 // the version the next event of cur should have
		prev     []byte
		broken   bool
		last     storedEvent
		seen     = map[string]bool{}
		problems []Problem
	)
	endCase := func() {
		if cur == "" {
			return
		}
		seen[cur] = true
		hd, ok := heads[cur]
		switch {
		case broken:
		case !ok:
			problems = append(problems, Problem{Case: cur, What: "the case has events but no head in the cases table"})
		case hd.version != want-1:
			problems = append(problems, Problem{Position: last.Position, Case: cur, Version: last.Version,
				What: fmt.Sprintf("the chain ends at version %d but the case is at version %d: later events were removed", want-1, hd.version)})
		case !bytes.Equal(hd.hash, prev):
			problems = append(problems, Problem{Position: last.Position, Case: cur, Version: last.Version, What: "the last event does not match the case's head hash"})
		}
	}
	var (
		r                                 storedEvent
		data, personal, prevHash, hashCol sql.RawBytes
	)
	for rows.Next() {
		if err := rows.Scan(&r.Position, &r.CaseRef, &r.Version, &r.Type, &r.OccurredAt, &r.RecordedAt, &r.AppendedAt, &r.Actor, &r.Agency, &data, &personal, &prevHash, &hashCol); err != nil {
			return res, err
		}
		res.Events++
		if progress != nil && res.Events%100000 == 0 {
			progress(100000)
		}
		if r.CaseRef != cur {
			endCase()
			cur, want, prev, broken = r.CaseRef, 1, genesis, false
			res.Cases++
		}
		if broken {
			continue
		}
		r.Data, r.Personal, r.PrevHash = data, personal, prevHash
		if len(personal) == 0 {
			r.Personal = nil
		}
		bad := func(what string) {
			problems = append(problems, Problem{Position: r.Position, Case: r.CaseRef, Version: r.Version, What: what})
			broken = true
		}
		switch {
		case r.Version != want:
			bad(fmt.Sprintf("expected version %d: an event was removed or inserted", want))
		case !bytes.Equal(prevHash, prev):
			bad("does not link to the event before it: an event was removed, inserted or reordered")
		case !bytes.Equal(chainHash(h, &r), hashCol):
			bad("its contents do not match its hash: the event was changed")
		}
		prev = append(prev[:0:0], hashCol...)
		last = r
		want++
	}
	if err := rows.Err(); err != nil {
		return res, err
	}
	endCase()
	for ref, hd := range heads {
		if !seen[ref] {
			problems = append(problems, Problem{Case: ref, What: fmt.Sprintf("the case is at version %d but the log holds none of its events: they were removed", hd.version)})
		}
	}
	sort.Slice(problems, func(i, j int) bool {
		if (problems[i].Position == 0) != (problems[j].Position == 0) {
			return problems[i].Position != 0
		}
		if problems[i].Position != problems[j].Position {
			return problems[i].Position < problems[j].Position
		}
		return problems[i].Case < problems[j].Case
	})
	res.Problems = problems
	return res, nil
}
