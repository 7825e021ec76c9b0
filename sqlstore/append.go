package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"throughline/chain"
	"time"

	"throughline"
)

// Append decides a proposed event against its case and, if accepted, appends
// the resulting events and updates every projection in one transaction. It
// returns once the transaction is durable. expected is the case version the
// caller last saw (0 for a new case), or AnyVersion.
//
// A live write's recorded_at defaults to its append time.
//
// Errors: ECONFLICT (with the current version) if the case has moved on or
// already exists; ENOTFOUND if it does not exist; EINVALID if the domain
// refuses the event. A refused append writes nothing.
func (s *Store) Append(ctx context.Context, e throughline.Event, expected int64) ([]throughline.Event, *throughline.Case, error) {
	return s.appendWith(ctx, e, expected, nil)
}

// OpenCase appends a case_opened event for a new case and puts opener (a
// user id) on its team, in one transaction: whoever opens a case is on its
// team from its first moment. Errors: as Append; ENOTFOUND for an unknown
// opener.
func (s *Store) OpenCase(ctx context.Context, e throughline.Event, opener string) ([]throughline.Event, *throughline.Case, error) {
	if e.Type != throughline.TypeCaseOpened {
		return nil, nil, throughline.Errorf(throughline.EINVALID, "a case is opened by a %s event, not %s", throughline.TypeCaseOpened, e.Type)
	}
	return s.appendWith(ctx, e, 0, func(tx sqlTx, c *throughline.Case) error {
		return s.setCaseMember(ctx, tx, opener, c.Ref, "user", opener, true)
	})
}

// appendWith is Append, running also (if not nil) in the same transaction
// once the events and projections are written.
func (s *Store) appendWith(ctx context.Context, e throughline.Event, expected int64, also func(tx sqlTx, c *throughline.Case) error) ([]throughline.Event, *throughline.Case, error) {
	if throughline.CarriesErased(e.Data) {
		return nil, nil, throughline.Errorf(throughline.EINVALID, "%s: %q stands for erased personal data and cannot be recorded", e.Type, throughline.Erased)
	}
	var out, cached []throughline.Event
	var cachedDeadlines [][]any
	var state *throughline.Case
	err := s.writeAppend(ctx, func(tx sqlTx) error {
		out, state = nil, nil
		cur, head, history, err := s.loadForUpdate(ctx, tx, e.Case)
		if err != nil {
			return err
		}
		if expected != throughline.AnyVersion && cur.Version != expected {
			if cur.Version == 0 {
				return &throughline.Error{Code: throughline.ENOTFOUND, Message: fmt.Sprintf("no case %s", e.Case)}
			}
			return &throughline.Error{Code: throughline.ECONFLICT, Version: cur.Version,
				Message: fmt.Sprintf("case %s is at version %d, not %d: reload it and try again", e.Case, cur.Version, expected)}
		}
		now := s.Now().UTC()
		if e.RecordedAt.IsZero() {
			e.RecordedAt = throughline.At(now)
		}
		evs, err := throughline.Decide(cur, e)
		if err != nil {
			return err
		}
		isNew := cur.Version == 0
		// The projection as it stands, so that only the tables the new
		// events change are rewritten (the deadlines are compared with
		// the rows stored: see writeCase).
		var before *projection
		if !isNew {
			if before, err = project(cur, head, nil, nil, nil); err != nil {
				return err
			}
			if _, rows, ok := s.cache.get(e.Case, cur.Version); ok && rows != nil {
				before.children[deadlinesTable], before.deadlinesKnown = rows, true
			}
		}
		var key []byte
		if isNew {
			if key, err = newCaseKey(); err != nil {
				return err
			}
			if err := s.execLater(ctx, tx, s.d.rebind(`INSERT INTO case_keys (case_ref, key) VALUES (?, ?)`), e.Case, key); err != nil {
				return conflictIfDuplicate(err, e.Case)
			}
		}
		h := chain.NewHasher()
		for _, ev := range evs {
			ev.Version = cur.Version + 1
			ev.AppendedAt = now
			if key == nil && throughline.HasPersonal(ev.Type) {
				if key, err = s.caseKey(ctx, tx, ev.Case); err != nil {
					return err
				}
			}
			row, err := s.encode(ev, key, head, h)
			if err != nil {
				return err
			}
			if err := s.insertEvent(ctx, tx, row); err != nil {
				return conflictIfDuplicate(err, e.Case)
			}
			head = row.Hash
			cur.Apply(ev)
			out = append(out, ev)
		}
		all := append(history, out...)
		if out[len(out)-1].Type == throughline.TypeCaseErased {
			if cur, all, err = s.eraseKey(ctx, tx, e.Case); err != nil {
				return err
			}
		}
		if cachedDeadlines, err = s.writeCase(ctx, tx, cur, head, all, before); err != nil {
			return conflictIfDuplicate(err, e.Case)
		}
		if also != nil {
			if err := also(tx, cur); err != nil {
				return err
			}
		}
		if err := s.afterAppend(ctx, tx, cur, out); err != nil {
			return err
		}
		state, cached = cur, all
		return nil
	})
	if err != nil {
		// On PostgreSQL the writes are sent together (see pipe), so a
		// duplicate (a concurrent writer's event or case) is reported
		// here, as it is above where each write runs at once.
		return nil, nil, conflictIfDuplicate(err, e.Case)
	}
	// Only now is the transaction durable and the log what the cache says.
	s.cache.put(e.Case, cached, cachedDeadlines)
	if s.Appended != nil {
		s.Appended(out)
	}
	return out, state, nil
}

// eraseKey destroys a case's key, inside the transaction that appends its
// case_erased event, and folds the case again from its log as it now reads:
// every personal field Erased. The projections written from it hold no
// personal data either, and no queued message is sent.
func (s *Store) eraseKey(ctx context.Context, tx sqlTx, ref string) (*throughline.Case, []throughline.Event, error) {
	if _, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM case_keys WHERE case_ref = ?`), ref); err != nil {
		return nil, nil, err
	}
	// Restricted material goes with the personal data (ADR 0402).
	if _, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM restricted_material WHERE case_ref = ?`), ref); err != nil {
		return nil, nil, err
	}
	// Messages still waiting would be composed from erased details.
	if _, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE outbox SET status = 'superseded', updated_at = ?, last_error = 'the case''s personal data was erased' WHERE case_ref = ? AND status = 'queued'`), ts(s.Now()), ref); err != nil {
		return nil, nil, err
	}
	events, err := s.caseEvents(ctx, tx, ref)
	if err != nil {
		return nil, nil, err
	}
	c := &throughline.Case{}
	for _, e := range events {
		c.Apply(e)
	}
	return c, events, nil
}

func conflictIfDuplicate(err error, ref string) error {
	if isUniqueViolation(err) {
		return &throughline.Error{Code: throughline.ECONFLICT, Message: fmt.Sprintf("case %s was changed by someone else at the same moment: reload it and try again", ref)}
	}
	return err
}

// loadForUpdate locks a case's row (on PostgreSQL) and folds the case from
// its events, returning it with its head hash and its events. A case that
// does not exist comes back as version 0 with no events.
func (s *Store) loadForUpdate(ctx context.Context, q querier, ref string) (*throughline.Case, []byte, []throughline.Event, error) {
	var head []byte
	var version int64
	lock := s.d.rebind(`SELECT version, head_hash FROM cases WHERE ref = ?` + s.d.lockRow)
	var history []throughline.Event
	var err error
	fromBatch := false
	if p, ok := q.(*pipe); ok && !s.cache.holds(ref) {
		history, err = s.loadUncached(ctx, p, lock, ref, &version, &head)
		fromBatch = true
	} else {
		err = s.scanRow(ctx, q, lock, []any{ref}, &version, &head)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return &throughline.Case{}, genesis, nil, nil
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("load case %s: %w", ref, err)
	}
	ok := fromBatch
	if !fromBatch {
		history, _, ok = s.cache.get(ref, version)
	}
	if !ok {
		if history, err = s.caseEvents(ctx, q, ref); err != nil {
			return nil, nil, nil, fmt.Errorf("load case %s: %w", ref, err)
		}
	}
	c := &throughline.Case{}
	for _, e := range history {
		c.Apply(e)
	}
	return c, head, history, nil
}

// loadUncached is loadForUpdate's read, in a pipe, of a case the cache
// does not hold: its events and its stored deadlines, which the append
// would read next (one round trip each), are read in the same batch as
// the lock, after it, so they are the case as it stands under the lock.
// sql.ErrNoRows when there is no such case.
func (s *Store) loadUncached(ctx context.Context, p *pipe, lock, ref string, version *int64, head *[]byte) ([]throughline.Event, error) {
	found := false
	var history []throughline.Event
	deadlines := map[string]string{}
	err := p.send(ctx,
		read{lock, []any{ref}, func(r scanner) error { found = true; return r.Scan(version, head) }},
		read{s.d.rebind(selectEvents + ` WHERE e.case_ref = ? ORDER BY e.version`), []any{ref}, func(r scanner) error {
			row, key, err := scanEvent(r)
			if err != nil {
				return err
			}
			e, err := decodeEvent(row, key)
			history = append(history, e)
			return err
		}},
		read{s.d.rebind(`SELECT key, detail FROM deadlines WHERE case_ref = ?`), []any{ref}, func(r scanner) error {
			var k, d string
			err := r.Scan(&k, &d)
			deadlines[k] = d
			return err
		}})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, sql.ErrNoRows
	}
	if int64(len(history)) != *version {
		return nil, fmt.Errorf("case %s is at version %d but has %d events", ref, *version, len(history))
	}
	p.deadlinesOf, p.deadlines = ref, deadlines
	return history, nil
}

// encode turns an event into its stored row, sealing personal data and
// chaining the hash.
func (s *Store) encode(e throughline.Event, key, prev []byte, h *chain.Hasher) (*storedEvent, error) {
	public, personal, err := throughline.SplitPersonal(e.Data)
	if err != nil {
		return nil, err
	}
	sealed, err := seal(key, e.Case, e.Version, personal)
	if err != nil {
		return nil, err
	}
	row := &storedEvent{
		CaseRef: e.Case, Version: e.Version, Type: e.Type,
		OccurredAt: e.OccurredAt.String(), RecordedAt: e.RecordedAt.String(),
		AppendedAt: e.AppendedAt.UTC().Format(time.RFC3339Nano),
		Actor:      e.Actor, Agency: e.Agency, Data: public, Personal: sealed, PrevHash: prev,
	}
	row.Hash = chainHash(h, row)
	return row, nil
}

const insertEventSQL = `INSERT INTO events (case_ref, version, type, occurred_at, recorded_at, appended_at, actor, agency, data, personal, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

func (s *Store) insertEvent(ctx context.Context, tx sqlTx, r *storedEvent) error {
	return s.execLater(ctx, tx, s.d.rebind(insertEventSQL), r.args()...)
}

var eventColumns = []string{"case_ref", "version", "type", "occurred_at", "recorded_at", "appended_at", "actor", "agency", "data", "personal", "prev_hash", "hash"}

func (r *storedEvent) args() []any {
	var personal any
	if r.Personal != nil {
		personal = r.Personal
	}
	return []any{r.CaseRef, r.Version, r.Type, r.OccurredAt, r.RecordedAt, r.AppendedAt, r.Actor, r.Agency, string(r.Data), personal, r.PrevHash, r.Hash}
}
