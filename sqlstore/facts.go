package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"golang.org/x/sync/errgroup"
)

// The oversight measures' roll-up is the case_facts projection: a record
// per case, written by the Measurer with the case's other projections
// (docs/adr/0252).

// EachCaseFacts calls fn with every case's record in the roll-up, in
// reference order, reading in pages so memory stays flat.
func (s *Store) EachCaseFacts(ctx context.Context, fn func(record []byte) error) error {
	return s.eachByRef(ctx, `SELECT case_ref, facts FROM case_facts WHERE case_ref > ? ORDER BY case_ref LIMIT 5000`, func(_ string, rec []byte) error {
		return fn(rec)
	})
}

// EachCaseFactsSplit calls fn with every case's record in the roll-up, as
// EachCaseFacts, read in parts — ranges of references of about as many
// cases each — at once, a goroutine each: fn is called by up to parts
// goroutines at once, with its part's number (0 to parts-1) and that
// part's records in reference order. On a machine of several processors
// it reads the whole roll-up in a fraction of the time of one reading.
func (s *Store) EachCaseFactsSplit(ctx context.Context, parts int, fn func(part int, record []byte) error) error {
	bounds, err := s.refBounds(ctx, parts)
	if err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(ctx)
	for i := range len(bounds) + 1 {
		query, args := `SELECT case_ref, facts FROM case_facts WHERE case_ref > ? ORDER BY case_ref LIMIT 5000`, []any(nil)
		if i < len(bounds) {
			query, args = `SELECT case_ref, facts FROM case_facts WHERE case_ref > ? AND case_ref <= ? ORDER BY case_ref LIMIT 5000`, []any{bounds[i]}
		}
		after := ""
		if i > 0 {
			after = bounds[i-1]
		}
		g.Go(func() error {
			return s.eachByRefFrom(ctx, after, query, args, func(_ string, rec []byte) error { return fn(i, rec) })
		})
	}
	return g.Wait()
}

// refBounds returns up to parts-1 case references, in order, that split
// the cases into parts of about as many cases each (fewer for few cases).
func (s *Store) refBounds(ctx context.Context, parts int) ([]string, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM cases`).Scan(&n); err != nil {
		return nil, err
	}
	var bounds []string
	for i := 1; i < parts; i++ {
		var ref string
		err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT ref FROM cases ORDER BY ref LIMIT 1 OFFSET ?`), n*i/parts).Scan(&ref)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return bounds, nil
		case err != nil:
			return nil, err
		}
		if len(bounds) == 0 || ref > bounds[len(bounds)-1] {
			bounds = append(bounds, ref)
		}
	}
	return bounds, nil
}

// LogHead is the position of the latest event in the log (0 when it is
// empty): while it stands still, no projection has changed.
func (s *Store) LogHead(ctx context.Context) (int64, error) {
	var head sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT max(position) FROM events`).Scan(&head)
	return head.Int64, err
}

// CaseVersions calls fn with every case's reference and version (the
// number of its events), which its facts in the roll-up were written at in
// the same transaction: a reader that kept the roll-up learns from them
// which cases moved since (a case's version, unlike a log position, is a
// sound boundary on PostgreSQL too: ADR 0002). fn must not use the store.
func (s *Store) CaseVersions(ctx context.Context, fn func(ref string, version int64) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT ref, version FROM cases`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ref string
		var v int64
		if err := rows.Scan(&ref, &v); err != nil {
			return err
		}
		if err := fn(ref, v); err != nil {
			return err
		}
	}
	return rows.Err()
}

// CaseFactsOf calls fn with the record in the roll-up of each case of refs
// that has one, in no particular order.
func (s *Store) CaseFactsOf(ctx context.Context, refs []string, fn func(record []byte) error) error {
	for len(refs) > 0 {
		n := min(len(refs), 500)
		recs, err := column(ctx, s.db, s.d.rebind(`SELECT facts FROM case_facts WHERE case_ref IN (`+placeholders(n)+`)`), anys(refs[:n])...)
		if err != nil {
			return err
		}
		for _, rec := range recs {
			if err := fn([]byte(rec)); err != nil {
				return err
			}
		}
		refs = refs[n:]
	}
	return nil
}

// EachNarrowFacts calls fn with every case's narrow record in the roll-up
// (case_facts_narrow: the Measurer's narrow record, docs/adr/0258), in no
// particular order, in one query, so that every case is read once and as
// of one moment however the log moves meanwhile. A record is valid only
// until fn returns; fn must not use the store.
//
// It returns how many cases there were before it read them: fewer records
// than that means some case has none, in a database that had cases before
// migration 0132, until `throughline rebuild` writes them.
func (s *Store) EachNarrowFacts(ctx context.Context, fn func(record []byte) error) (cases int, err error) {
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM cases`).Scan(&cases); err != nil {
		return 0, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT facts FROM case_facts_narrow`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var rec sql.RawBytes // not copied: fn reads it before the next row
		if err := rows.Scan(&rec); err != nil {
			return 0, err
		}
		if err := fn(rec); err != nil {
			return 0, err
		}
	}
	return cases, rows.Err()
}
