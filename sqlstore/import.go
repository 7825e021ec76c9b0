package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"throughline/chain"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"throughline"
)

// Import appends a batch of historical events in one transaction: it is
// ImportStream of one batch, but with SQLite's own page cache. A caller
// that imports batch after batch, as generate does, commits each before
// the indexes outgrow the default cache by much, and a large cache filled
// and given back at every batch cost generate a quarter more time
// (ADR 0331).
func (s *Store) Import(ctx context.Context, batch []throughline.Proposed, skipInvalid bool) (throughline.ImportResult, error) {
	given := false
	res, err := s.importStream(ctx, func() ([]throughline.Proposed, error) {
		if given {
			return nil, nil
		}
		given = true
		return batch, nil
	}, skipInvalid, false)
	return res, storageFull(err)
}

// ImportStream appends historical events in one transaction, through the
// same Decide and Apply as live writes, but written in bulk (multi-row
// inserts on SQLite, COPY on PostgreSQL). It takes the events batch by
// batch from next until next returns none, asking for the next once a
// batch is decided and before it is written, so memory holds two batches,
// not the file; an error from next refuses everything. Events of a case
// must come in log order; cases may interleave, within a batch and across
// batches (a case met again continues from what the batch before wrote).
// A missing recorded_at means the occurred_at.
//
// Unless skipInvalid, any refused event refuses the whole import with an
// *ImportError and nothing is written; with it, refused events (and those of
// their case that then fail) are skipped and listed. A case whose payloads
// read as erased but which is not erased by the last batch refuses the
// whole import either way: its earlier batches are already written.
//
// On SQLite the stream's connection has a large page cache for as long as
// it runs (ADR 0331).
func (s *Store) ImportStream(ctx context.Context, next func() ([]throughline.Proposed, error), skipInvalid bool) (throughline.ImportResult, error) {
	res, err := s.importStream(ctx, next, skipInvalid, true)
	return res, storageFull(err)
}

func (s *Store) importStream(ctx context.Context, next func() ([]throughline.Proposed, error), skipInvalid, bulk bool) (throughline.ImportResult, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return throughline.ImportResult{}, err
	}
	defer conn.Close()
	if bulk {
		restore, err := s.bulkCache(ctx, conn)
		if err != nil {
			return throughline.ImportResult{}, err
		}
		defer restore()
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return throughline.ImportResult{}, err
	}
	defer tx.Rollback()
	st := importState{cases: map[string]bool{}, erased: map[string]int{}}
	batch, err := next()
	for err == nil && len(batch) > 0 {
		// The next batch is asked for once this one is decided, before it
		// is written: a caller that parses batches (the import command)
		// then parses the one after while this one is written, when a
		// core is free, rather than while this one is decided on every
		// core.
		var following []throughline.Proposed
		err = s.importBatch(ctx, conn, tx, batch, &st, func() error {
			var err error
			following, err = next()
			return err
		})
		batch = following
	}
	if err != nil {
		return st.res, err
	}
	res := st.res
	res.Cases = len(st.cases)
	var unerased []throughline.Rejected
	for ref, line := range st.erased {
		unerased = append(unerased, throughline.Rejected{Line: line, Err: throughline.Errorf(throughline.EINVALID,
			"%q stands for erased personal data, but case %s is not erased", throughline.Erased, ref)})
	}
	res.Skipped = append(res.Skipped, unerased...)
	sort.Slice(res.Skipped, func(i, j int) bool { return res.Skipped[i].Line < res.Skipped[j].Line })
	if len(unerased) > 0 || (len(res.Skipped) > 0 && !skipInvalid) {
		return throughline.ImportResult{Skipped: res.Skipped}, &throughline.ImportError{Rejected: res.Skipped}
	}
	if err := tx.Commit(); err != nil {
		return throughline.ImportResult{}, err
	}
	return res, nil
}

// importState is what an import carries from one batch to the next.
type importState struct {
	res    throughline.ImportResult // events written and events skipped so far
	cases  map[string]bool          // the cases written to
	erased map[string]int           // cases carrying erased payloads but not (yet) erased: the first such line
}

// importBatch decides, seals and writes one batch inside the import's
// transaction, calling decided (which may refuse the import) between the
// two.
func (s *Store) importBatch(ctx context.Context, conn *sql.Conn, tx *sql.Tx, batch []throughline.Proposed, st *importState, decided func() error) error {
	// Group the batch by case, keeping each case's events in order.
	type caseWork struct {
		ref        string
		idx        []int // positions in batch
		c          *throughline.Case
		head       []byte
		key        []byte
		isNew      bool
		skipped    []throughline.Rejected
		erasedLine int // the first line whose payload reads as erased
		err        error
		events     []throughline.Event // the case's whole log, for its deadlines
		proj       *projection
	}
	byRef := map[string]*caseWork{}
	var work []*caseWork
	for i, p := range batch {
		w, ok := byRef[p.Event.Case]
		if !ok {
			w = &caseWork{ref: p.Event.Case}
			byRef[w.ref] = w
			work = append(work, w)
		}
		w.idx = append(w.idx, i)
	}
	refs := make([]string, len(work))
	for i, w := range work {
		refs[i] = w.ref
	}
	existing, err := s.loadMany(ctx, tx, refs)
	if err != nil {
		return err
	}

	// Decide, fold, seal and hash each case's events. Cases are independent,
	// so this runs on every core; rows land at their batch position so the
	// log keeps the file's order.
	now := s.Now().UTC()
	rows := make([][]any, len(batch))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := chain.NewHasher()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(work) {
					return
				}
				w := work[i]
				if ex, ok := existing[w.ref]; ok {
					w.c, w.head, w.key, w.events = ex.c, ex.head, ex.key, ex.events
				} else {
					w.c, w.head, w.isNew = &throughline.Case{}, genesis, true
				}
				for _, bi := range w.idx {
					p := batch[bi]
					e := p.Event
					if e.RecordedAt.IsZero() {
						e.RecordedAt = e.OccurredAt
					}
					if w.erasedLine == 0 && throughline.CarriesErased(e.Data) {
						w.erasedLine = p.Line
					}
					evs, err := throughline.Decide(w.c, e)
					if err != nil {
						w.skipped = append(w.skipped, throughline.Rejected{Line: p.Line, Err: err})
						continue
					}
					if w.c.Version == 0 && w.key == nil {
						if w.key, w.err = newCaseKey(); w.err != nil {
							return
						}
					}
					for _, ev := range evs {
						ev.Version = w.c.Version + 1
						ev.AppendedAt = now
						row, err := s.encode(ev, w.key, w.head, h)
						if err != nil {
							w.err = err
							return
						}
						rows[bi] = row.args()
						w.head = row.Hash
						w.c.Apply(ev)
						w.events = append(w.events, ev)
					}
				}
				if !w.c.Erased.IsZero() {
					// Erased in this history: its key is not kept, and it is
					// projected as its log will read.
					w.c = &throughline.Case{}
					for i := range w.events {
						w.events[i].Data = throughline.Erase(w.events[i].Data)
						w.c.Apply(w.events[i])
					}
				}
				if w.c.Version > 0 {
					if w.proj, w.err = s.projectLog(w.c, w.head, w.events); w.err != nil {
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	var keyRows [][]any
	for _, w := range work {
		if w.err != nil {
			return w.err
		}
		st.res.Skipped = append(st.res.Skipped, w.skipped...)
		if w.isNew && w.c.Version > 0 && w.c.Erased.IsZero() {
			keyRows = append(keyRows, []any{w.ref, w.key})
		}
		// Erased payloads are refused unless the case is erased by the end
		// of the import, which may be in a later batch.
		if !w.c.Erased.IsZero() {
			delete(st.erased, w.ref)
		} else if _, ok := st.erased[w.ref]; !ok && w.erasedLine > 0 {
			st.erased[w.ref] = w.erasedLine
		}
	}
	kept := rows[:0]
	for _, r := range rows {
		if r != nil {
			kept = append(kept, r)
		}
	}
	rows = kept
	st.res.Events += len(rows)
	if err := decided(); err != nil {
		return err
	}

	if err := s.bulkInsert(ctx, conn, tx, "case_keys", []string{"case_ref", "key"}, keyRows); err != nil {
		return err
	}
	if err := s.bulkInsert(ctx, conn, tx, "events", eventColumns, rows); err != nil {
		return fmt.Errorf("import events: %w", conflictIfDuplicate(err, "in this file"))
	}
	var fresh []*projection
	for _, w := range work {
		if w.proj == nil {
			continue // every event of a new case was skipped
		}
		st.cases[w.ref] = true
		if !w.isNew {
			if err := s.updateCaseRow(ctx, tx, w.proj); err != nil {
				return err
			}
			if err := s.syncMembersLive(ctx, tx, w.ref); err != nil {
				return err
			}
			if !w.c.Erased.IsZero() {
				if _, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM case_keys WHERE case_ref = ?`), w.ref); err != nil {
					return err
				}
			}
			w.proj.caseRow = nil // the row exists; its children were cleared
		}
		fresh = append(fresh, w.proj)
	}
	if err := s.writeProjections(ctx, conn, tx, fresh); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	return nil
}

type loaded struct {
	c      *throughline.Case
	head   []byte
	key    []byte // nil if erased
	events []throughline.Event
}

// loadMany reads the state of the cases that exist among refs, locking
// their rows on PostgreSQL.
func (s *Store) loadMany(ctx context.Context, q querier, refs []string) (map[string]loaded, error) {
	out := map[string]loaded{}
	const chunk = 500
	for i := 0; i < len(refs); i += chunk {
		part := refs[i:min(i+chunk, len(refs))]
		rows, err := q.QueryContext(ctx, s.d.rebind(`SELECT c.ref, c.state, c.head_hash, k.key FROM cases c LEFT JOIN case_keys k ON k.case_ref = c.ref WHERE c.ref IN (`+placeholders(len(part))+`)`+s.d.lockRowOf("c")), anys(part)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var ref string
			var state, head, key []byte
			if err := rows.Scan(&ref, &state, &head, &key); err != nil {
				rows.Close()
				return nil, err
			}
			c := &throughline.Case{}
			if err := json.Unmarshal(state, c); err != nil {
				rows.Close()
				return nil, fmt.Errorf("case %s: stored state: %w", ref, err)
			}
			out[ref] = loaded{c: c, head: head, key: key}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for ref, l := range out {
		evs, err := s.caseEvents(ctx, q, ref)
		if err != nil {
			return nil, err
		}
		l.events = evs
		out[ref] = l
	}
	return out, nil
}

// bulkInsert writes many rows inside tx: COPY on PostgreSQL, multi-row
// INSERT on SQLite. conn must be the connection tx runs on.
func (s *Store) bulkInsert(ctx context.Context, conn *sql.Conn, tx *sql.Tx, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if !s.d.native {
		return s.insertRows(ctx, tx, table, cols, rows)
	}
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		_, err := pc.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		return err
	})
}
