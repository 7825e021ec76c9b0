package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"throughline"
)

// Case returns the folded case. Errors: ENOTFOUND.
func (s *Store) Case(ctx context.Context, ref string) (*throughline.Case, error) {
	var state []byte
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT state FROM cases WHERE ref = ?`), ref).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, throughline.Errorf(throughline.ENOTFOUND, "no case %s", ref)
	}
	if err != nil {
		return nil, err
	}
	return decodeCase(ref, state)
}

// CasesOf returns the folded cases among refs (a page's worth), by
// reference, in one query; a reference with no case is left out.
func (s *Store) CasesOf(ctx context.Context, refs []string) (map[string]*throughline.Case, error) {
	out := make(map[string]*throughline.Case, len(refs))
	if len(refs) == 0 {
		return out, nil
	}
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT ref, state FROM cases WHERE ref IN (`+placeholders(len(refs))+`)`), anys(refs)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var ref string
		var state []byte
		if err := rows.Scan(&ref, &state); err != nil {
			return nil, err
		}
		if out[ref], err = decodeCase(ref, state); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}

func decodeCase(ref string, state []byte) (*throughline.Case, error) {
	c := &throughline.Case{}
	if err := json.Unmarshal(state, c); err != nil {
		return nil, fmt.Errorf("case %s: stored state: %w", ref, err)
	}
	return c, nil
}

// Cases lists cases in reference order.
func (s *Store) Cases(ctx context.Context, f throughline.CaseFilter) ([]throughline.CaseSummary, error) {
	var w where
	w.in("force", f.Forces)
	w.in("cps_area", f.CPSAreas)
	w.eq("stage", f.Stage)
	if f.QuietBefore != "" {
		w.add("closed_on IS NULL AND last_occurred < ?", f.QuietBefore)
	}
	if f.After != "" {
		w.add("ref > ?", f.After)
	}
	q := `SELECT ref, version, force, cps_area, stage, reported_on, last_occurred, closed_on FROM cases` + w.clause("WHERE")
	args := w.args
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	q += fmt.Sprintf(" ORDER BY ref LIMIT %d", limit)
	rows, err := s.db.QueryContext(ctx, s.d.rebind(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []throughline.CaseSummary{}
	for rows.Next() {
		var cs throughline.CaseSummary
		var closed sql.NullString
		if err := rows.Scan(&cs.Ref, &cs.Version, &cs.Force, &cs.CPSArea, &cs.Stage, &cs.ReportedOn, &cs.LastOccurred, &closed); err != nil {
			return nil, err
		}
		cs.ClosedOn = closed.String
		out = append(out, cs)
	}
	return out, rows.Err()
}

// selectEvents reads events with their case's key (NULL once erased).
const selectEvents = `SELECT e.position, e.case_ref, e.version, e.type, e.occurred_at, e.recorded_at, e.appended_at, e.actor, e.agency, e.data, e.personal, e.prev_hash, e.hash, k.key FROM events e LEFT JOIN case_keys k ON k.case_ref = e.case_ref`

func scanEvent(rows scanner) (*storedEvent, []byte, error) {
	r := &storedEvent{}
	var data string
	var key []byte
	err := rows.Scan(&r.Position, &r.CaseRef, &r.Version, &r.Type, &r.OccurredAt, &r.RecordedAt, &r.AppendedAt, &r.Actor, &r.Agency, &data, &r.Personal, &r.PrevHash, &r.Hash, &key)
	r.Data = []byte(data)
	return r, key, err
}

// Events returns a case's events in order. Errors: ENOTFOUND.
func (s *Store) Events(ctx context.Context, ref string) ([]throughline.Event, error) {
	out, err := s.caseEvents(ctx, s.db, ref)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, throughline.Errorf(throughline.ENOTFOUND, "no case %s", ref)
	}
	return out, nil
}

// caseEvents reads a case's events in order, with personal data opened.
func (s *Store) caseEvents(ctx context.Context, q querier, ref string) ([]throughline.Event, error) {
	rows, err := q.QueryContext(ctx, s.d.rebind(selectEvents+` WHERE e.case_ref = ? ORDER BY e.version`), ref)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []throughline.Event
	for rows.Next() {
		r, key, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		e, err := decodeEvent(r, key)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// decodeEvent turns a stored row back into a domain event.
func decodeEvent(r *storedEvent, key []byte) (throughline.Event, error) {
	personal, err := open(key, r.CaseRef, r.Version, r.Personal)
	if err != nil {
		return throughline.Event{}, err
	}
	if r.Personal == nil {
		personal = map[string]string{}
	}
	data, err := throughline.DecodeStored(r.Type, r.Data, personal)
	if err != nil {
		return throughline.Event{}, fmt.Errorf("case %s event %d: %w", r.CaseRef, r.Version, err)
	}
	occ, err1 := throughline.ParseWhen(r.OccurredAt)
	rec, err2 := throughline.ParseWhen(r.RecordedAt)
	app, err3 := time.Parse(time.RFC3339Nano, r.AppendedAt)
	if err := errors.Join(err1, err2, err3); err != nil {
		return throughline.Event{}, fmt.Errorf("case %s event %d: %w", r.CaseRef, r.Version, err)
	}
	return throughline.Event{Case: r.CaseRef, Version: r.Version, Type: r.Type, OccurredAt: occ, RecordedAt: rec,
		AppendedAt: app, Actor: r.Actor, Agency: r.Agency, Data: data}, nil
}

// EachEvent calls fn for every event in the log in global append order,
// with personal data opened. It reads in pages so memory stays flat, and
// reads the next page while fn works through this one: on SQLite reading
// is as much of an export's CPU as decoding and encoding, and on
// PostgreSQL it is the server's time.
func (s *Store) EachEvent(ctx context.Context, fn func(throughline.Event) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make(chan []storedRow, 1)
	var readErr error
	go func() {
		defer close(pages)
		var after int64
		for {
			page, err := s.eventPage(ctx, after)
			if err != nil || len(page) == 0 {
				readErr = err
				return
			}
			after = page[len(page)-1].r.Position
			select {
			case pages <- page:
			case <-ctx.Done():
				return
			}
		}
	}()
	err := func() error {
		for page := range pages {
			for _, p := range page {
				e, err := decodeEvent(p.r, p.key)
				if err != nil {
					return err
				}
				if err := fn(e); err != nil {
					return err
				}
			}
		}
		return nil
	}()
	cancel()
	for range pages { // let the reader stop before readErr is read
	}
	if err != nil {
		return err
	}
	return readErr
}

// eventPage reads the next 10,000 events of the log after position after.
func (s *Store) eventPage(ctx context.Context, after int64) ([]storedRow, error) {
	return s.readEvents(ctx, s.db, ` WHERE e.position > ? ORDER BY e.position LIMIT 10000`, after)
}

// storedRow is an event as stored, with its case's key.
type storedRow struct {
	r   *storedEvent
	key []byte
}

// readEvents reads in full the events selectEvents finds under cond (its
// WHERE and ORDER BY), each with its case's key.
func (s *Store) readEvents(ctx context.Context, q querier, cond string, args ...any) ([]storedRow, error) {
	rows, err := q.QueryContext(ctx, s.d.rebind(selectEvents+cond), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var all []storedRow
	for rows.Next() {
		r, key, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		all = append(all, storedRow{r, key})
	}
	return all, rows.Err()
}

// EachCase calls fn with every case's folded state, in reference order,
// reading in pages so memory stays flat.
func (s *Store) EachCase(ctx context.Context, fn func(*throughline.Case) error) error {
	return s.eachByRef(ctx, `SELECT ref, state FROM cases WHERE ref > ? ORDER BY ref LIMIT 5000`, func(ref string, state []byte) error {
		c := &throughline.Case{}
		if err := json.Unmarshal(state, c); err != nil {
			return fmt.Errorf("case %s: stored state: %w", ref, err)
		}
		return fn(c)
	})
}

// eachByRef calls fn with every row of query, a page of (case reference,
// value) rows after the reference it is given, in reference order: one
// page at a time, read whole before fn sees its rows, so that fn may read
// the store too.
func (s *Store) eachByRef(ctx context.Context, query string, fn func(ref string, value []byte) error) error {
	return s.eachByRefFrom(ctx, "", query, nil, fn)
}

// eachByRefFrom is eachByRef from the reference after on, the query's
// parameters after the first being args.
func (s *Store) eachByRefFrom(ctx context.Context, after, query string, args []any, fn func(ref string, value []byte) error) error {
	type row struct {
		ref   string
		value []byte
	}
	for {
		rows, err := s.db.QueryContext(ctx, s.d.rebind(query), append([]any{after}, args...)...)
		if err != nil {
			return err
		}
		var page []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.ref, &r.value); err != nil {
				rows.Close()
				return err
			}
			page = append(page, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		for _, r := range page {
			if err := fn(r.ref, r.value); err != nil {
				return err
			}
		}
		after = page[len(page)-1].ref
	}
}

// Refs returns every case reference, in order.
func (s *Store) Refs(ctx context.Context) ([]string, error) {
	return column(ctx, s.db, `SELECT ref FROM cases ORDER BY ref`)
}

// column runs a query of one text column and returns its values.
func column(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
