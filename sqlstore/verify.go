package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"sort"
	"throughline"

	"golang.org/x/sync/errgroup"
)

// Verify re-derives every hash of every case's chain and checks that each
// chain is whole (versions 1…n, each event pointing at its predecessor) and
// ends where the case's head says. A changed event breaks its own hash; a
// removed, inserted or reordered one breaks its successor's link or the
// version sequence; a truncated chain or a removed case disagrees with the
// heads. Then the signed checkpoints are checked against the log (see
// checkCheckpoints). progress, if not nil, is called with the number of
// events checked.
//
// The log is read in append order — a sequential scan, no index — split into
// one range of positions per core; each range checks its part of every
// chain, and the parts are joined at the end.
func (s *Store) Verify(ctx context.Context, progress func(n int64)) (throughline.VerifyResult, error) {
	var res throughline.VerifyResult
	var lo, hi sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT min(position), max(position) FROM events`).Scan(&lo, &hi); err != nil {
		return res, err
	}
	workers := runtime.GOMAXPROCS(0)
	parts := make([]map[string]*segment, workers)
	counts := make([]int64, workers)
	g, gctx := errgroup.WithContext(ctx)
	var heads map[string]head
	g.Go(func() error {
		var err error
		heads, err = s.heads(gctx)
		return err
	})
	var cps *checkpoints
	g.Go(func() error {
		var err error
		cps, err = s.loadCheckpoints(gctx)
		return err
	})
	span := (hi.Int64 - lo.Int64 + int64(workers)) / int64(workers)
	for w := range workers {
		from, to := lo.Int64+int64(w)*span, lo.Int64+int64(w+1)*span-1
		g.Go(func() error {
			var err error
			parts[w], counts[w], err = s.verifyRange(gctx, from, to, progress)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return res, err
	}
	for _, n := range counts {
		res.Events += n
	}
	// Join each case's segments in position order.
	joined := map[string]*segment{}
	for _, part := range parts {
		for ref, seg := range part {
			prev, ok := joined[ref]
			if !ok {
				if seg.problem == nil && (seg.firstVersion != 1 || !bytes.Equal(seg.firstPrev, genesis)) {
					seg.problem = &throughline.Problem{Position: seg.firstPos, Case: ref, Version: seg.firstVersion, What: "expected version 1: the case's first events were removed"}
				}
				joined[ref] = seg
				continue
			}
			if prev.problem == nil {
				switch {
				case seg.firstVersion != prev.lastVersion+1:
					prev.problem = &throughline.Problem{Position: seg.firstPos, Case: ref, Version: seg.firstVersion, What: fmt.Sprintf("expected version %d: an event was removed or inserted", prev.lastVersion+1)}
				case !bytes.Equal(seg.firstPrev, prev.lastHash):
					prev.problem = &throughline.Problem{Position: seg.firstPos, Case: ref, Version: seg.firstVersion, What: "does not link to the event before it: an event was removed, inserted or reordered"}
				default:
					prev.problem = seg.problem
				}
			}
			prev.lastVersion, prev.lastHash, prev.lastPos = seg.lastVersion, seg.lastHash, seg.lastPos
		}
	}
	res.Cases = int64(len(joined))
	var problems []throughline.Problem
	for ref, seg := range joined {
		hd, ok := heads[ref]
		switch {
		case seg.problem != nil:
			problems = append(problems, *seg.problem)
		case !ok:
			problems = append(problems, throughline.Problem{Case: ref, What: "the case has events but no head in the cases table"})
		case hd.version != seg.lastVersion:
			problems = append(problems, throughline.Problem{Position: seg.lastPos, Case: ref, Version: seg.lastVersion,
				What: fmt.Sprintf("the chain ends at version %d but the case is at version %d: later events were removed", seg.lastVersion, hd.version)})
		case !bytes.Equal(hd.hash, seg.lastHash):
			problems = append(problems, throughline.Problem{Position: seg.lastPos, Case: ref, Version: seg.lastVersion, What: "the last event does not match the case's head hash"})
		}
	}
	for ref, hd := range heads {
		if _, ok := joined[ref]; !ok {
			problems = append(problems, throughline.Problem{Case: ref, What: fmt.Sprintf("the case is at version %d but the log holds none of its events: they were removed", hd.version)})
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
	if len(cps.list) > 0 {
		broken := map[string]bool{}
		for _, p := range problems {
			broken[p.Case] = true
		}
		sealed, err := s.checkCheckpoints(ctx, cps, heads, broken)
		if err != nil {
			return res, err
		}
		problems = append(problems, sealed...)
		res.Checkpoint = &cps.list[len(cps.list)-1].CheckpointInfo
	}
	res.Problems = problems
	return res, nil
}

type head struct {
	version int64
	hash    []byte
}

func (s *Store) heads(ctx context.Context) (map[string]head, error) {
	heads := map[string]head{}
	err := s.bulkRead(ctx, `ref, version, head_hash`, `FROM cases`, nil, func(r row) error {
		heads[string(r.bytes(0))] = head{version: r.int(1), hash: bytes.Clone(r.bytes(2))}
		return nil
	})
	return heads, err
}

// segment is what one range of the log says about one case's chain.
type segment struct {
	firstPos, firstVersion int64
	firstPrev              []byte
	lastPos, lastVersion   int64
	lastHash               []byte
	problem                *throughline.Problem // the first break within the range
}

// verifyRange checks the events with positions in [from, to].
func (s *Store) verifyRange(ctx context.Context, from, to int64, progress func(int64)) (map[string]*segment, int64, error) {
	segs := map[string]*segment{}
	var n int64
	err := s.scanChain(ctx, from, to, func(l *link) error {
		if n++; progress != nil && n%100000 == 0 {
			progress(100000)
		}
		seg, ok := segs[string(l.ref)]
		if !ok {
			seg = &segment{firstPos: l.position, firstVersion: l.version, firstPrev: bytes.Clone(l.prevHash), lastVersion: l.version - 1, lastHash: bytes.Clone(l.prevHash)}
			segs[string(l.ref)] = seg
		}
		if seg.problem == nil {
			bad := func(what string) {
				seg.problem = &throughline.Problem{Position: l.position, Case: string(l.ref), Version: l.version, What: what}
			}
			switch {
			case l.version != seg.lastVersion+1:
				bad(fmt.Sprintf("expected version %d: an event was removed or inserted", seg.lastVersion+1))
			case !bytes.Equal(l.prevHash, seg.lastHash):
				bad("does not link to the event before it: an event was removed, inserted or reordered")
			case !l.intact:
				bad("its contents do not match its hash: the event was changed")
			}
		}
		seg.lastPos, seg.lastVersion = l.position, l.version
		seg.lastHash = append(seg.lastHash[:0], l.hash...)
		return nil
	})
	return segs, n, err
}
