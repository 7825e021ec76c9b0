package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"throughline"
	"throughline/envelope"
)

// Restricted material (ADR 0402) is stored sealed (package envelope) in
// restricted_material, written in the same transaction as the event that
// records it: the event never exists without its item, nor an item without
// its event. The store never sees a key or a plaintext.

// AppendMaterial appends e, a restricted_material_received or
// restricted_material_redacted event, and stores item, the material it
// records, in one transaction. The event's sha256 must be the SHA-256 of
// item's ciphertext. Errors: as Append; EINVALID for another event type or
// a digest that does not match.
func (s *Store) AppendMaterial(ctx context.Context, e throughline.Event, expected int64, item envelope.Sealed) ([]throughline.Event, *throughline.Case, error) {
	var id, of, digest string
	switch d := e.Data.(type) {
	case *throughline.RestrictedMaterialReceived:
		id, digest = d.MaterialID, d.SHA256
	case *throughline.RestrictedMaterialRedacted:
		id, of, digest = d.RedactionID, d.MaterialID, d.SHA256
	default:
		return nil, nil, throughline.Errorf(throughline.EINVALID, "restricted material is recorded by %s or %s, not %s", throughline.TypeRestrictedMaterialReceived, throughline.TypeRestrictedMaterialRedacted, e.Type)
	}
	if digest != item.Digest() {
		return nil, nil, throughline.Errorf(throughline.EINVALID, "%s: sha256 is not the digest of the material stored", e.Type)
	}
	return s.appendWith(ctx, e, expected, func(tx sqlTx, c *throughline.Case) error {
		_, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO restricted_material (case_ref, material_id, redacted_of, key_id, wrapped_key, ciphertext) VALUES (?, ?, ?, ?, ?, ?)`),
			c.Ref, id, of, item.KeyID, item.WrappedKey, item.Ciphertext)
		return conflictIfDuplicate(err, c.Ref)
	})
}

// Material returns the sealed item id of case ref. Errors: ENOTFOUND.
func (s *Store) Material(ctx context.Context, ref, id string) (envelope.Sealed, error) {
	var m envelope.Sealed
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT key_id, wrapped_key, ciphertext FROM restricted_material WHERE case_ref = ? AND material_id = ?`), ref, id).
		Scan(&m.KeyID, &m.WrappedKey, &m.Ciphertext)
	if errors.Is(err, sql.ErrNoRows) {
		return m, throughline.Errorf(throughline.ENOTFOUND, "no material %s", id)
	}
	return m, err
}

// RewrapMaterial re-wraps the data key of every item not yet under key
// toKeyID with rewrap, in one transaction: after it, the old key is no
// longer needed. It returns how many items it re-wrapped; an item rewrap
// cannot open stops it with nothing changed.
func (s *Store) RewrapMaterial(ctx context.Context, toKeyID string, rewrap func(envelope.Sealed) (envelope.Sealed, error)) (int, error) {
	n := 0
	err := s.write(ctx, func(tx *sql.Tx) error {
		n = 0
		rows, err := tx.QueryContext(ctx, s.d.rebind(`SELECT case_ref, material_id, key_id, wrapped_key, ciphertext FROM restricted_material WHERE key_id <> ? ORDER BY case_ref, material_id`), toKeyID)
		if err != nil {
			return err
		}
		type item struct {
			ref, id string
			m       envelope.Sealed
		}
		var items []item
		for rows.Next() {
			var it item
			if err := rows.Scan(&it.ref, &it.id, &it.m.KeyID, &it.m.WrappedKey, &it.m.Ciphertext); err != nil {
				rows.Close()
				return err
			}
			items = append(items, it)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, it := range items {
			m, err := rewrap(it.m)
			if err != nil {
				return fmt.Errorf("material %s of case %s: %w", it.id, it.ref, err)
			}
			if _, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE restricted_material SET key_id = ?, wrapped_key = ? WHERE case_ref = ? AND material_id = ?`), m.KeyID, m.WrappedKey, it.ref, it.id); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// MaterialCount is how many items are stored, for serve to say whether a
// key is needed.
func (s *Store) MaterialCount(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM restricted_material`).Scan(&n)
	return n, err
}

// VerifyMaterial checks each stored item of restricted material against
// the log: its ciphertext's SHA-256 must be the digest the event that
// recorded it carries, and each item the log records must be stored. An
// item changed, swapped or lost is named; nothing is decrypted.
func (s *Store) VerifyMaterial(ctx context.Context) ([]throughline.Problem, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT case_ref, material_id, ciphertext FROM restricted_material ORDER BY case_ref, material_id`)
	if err != nil {
		return nil, err
	}
	stored := map[string]map[string]string{} // case → item → digest of what is stored
	for rows.Next() {
		var ref, id string
		var m envelope.Sealed
		if err := rows.Scan(&ref, &id, &m.Ciphertext); err != nil {
			rows.Close()
			return nil, err
		}
		if stored[ref] == nil {
			stored[ref] = map[string]string{}
		}
		stored[ref][id] = m.Digest()
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	refs, err := s.materialCases(ctx)
	if err != nil {
		return nil, err
	}
	var problems []throughline.Problem
	for _, ref := range refs {
		c, err := s.Case(ctx, ref)
		if throughline.ErrorCode(err) == throughline.ENOTFOUND {
			problems = append(problems, throughline.Problem{Case: ref, What: "restricted material is stored for a case the log does not hold"})
			continue
		}
		if err != nil {
			return nil, err
		}
		recorded := map[string]string{}
		for _, it := range c.Restricted {
			recorded[it.ID] = it.SHA256
			for _, r := range it.Redactions {
				recorded[r.ID] = r.SHA256
			}
		}
		for id, want := range recorded {
			switch got, ok := stored[ref][id]; {
			case !ok && c.Erased.IsZero():
				problems = append(problems, throughline.Problem{Case: ref, What: fmt.Sprintf("restricted material %s: the log records it, but it is not stored", id)})
			case ok && got != want:
				problems = append(problems, throughline.Problem{Case: ref, What: fmt.Sprintf("restricted material %s: what is stored is not what the log recorded (its SHA-256 differs): it was changed or swapped", id)})
			}
		}
		for id := range stored[ref] {
			if _, ok := recorded[id]; !ok {
				problems = append(problems, throughline.Problem{Case: ref, What: fmt.Sprintf("restricted material %s is stored, but no event of the log records it", id)})
			}
		}
	}
	slices.SortFunc(problems, func(a, b throughline.Problem) int { return strings.Compare(a.Case+a.What, b.Case+b.What) })
	return problems, nil
}

// materialCases are the cases that store restricted material or whose log
// records some.
func (s *Store) materialCases(ctx context.Context) ([]string, error) {
	return column(ctx, s.db, s.d.rebind(`SELECT case_ref FROM restricted_material UNION SELECT DISTINCT case_ref FROM events WHERE type IN (?, ?)`),
		throughline.TypeRestrictedMaterialReceived, throughline.TypeRestrictedMaterialRedacted)
}
