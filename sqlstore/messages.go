package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"throughline"
)

const messageColumns = `o.id, o.case_ref, o.complainant_id, o.kind, o.about, o.status, o.channel, o.attempts, o.failure, o.last_error, COALESCE(o.reference, ''), o.lang, o.actor, o.agency, o.caused_by, o.created_at, COALESCE(o.sent_at, ''), COALESCE(o.delivered_at, ''), o.dedupe, o.sealed, k.key`

func (s *Store) queryMessages(ctx context.Context, where string, args ...any) ([]throughline.MessageRecord, error) {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT `+messageColumns+` FROM outbox o LEFT JOIN case_keys k ON k.case_ref = o.case_ref `+where), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []throughline.MessageRecord{}
	for rows.Next() {
		var m throughline.MessageRecord
		var created, dedupe string
		var sealed, key []byte
		if err := rows.Scan(&m.ID, &m.Case, &m.Complainant, &m.Kind, &m.About, &m.Status, &m.Channel, &m.Attempts, &m.Failure, &m.LastError,
			&m.Reference, &m.Lang, &m.TriggeredBy, &m.Agency, &m.CausedBy, &created, &m.Sent, &m.Delivered, &dedupe, &sealed, &key); err != nil {
			return nil, err
		}
		m.Created, _ = time.Parse(time.RFC3339Nano, created)
		var sc sealedContent
		if sealed != nil && key == nil {
			m.Body = throughline.Erased
		} else if err := openWith(key, outboxAAD(m.Case, m.Complainant, dedupe), sealed, &sc); err != nil {
			return nil, fmt.Errorf("message %d: %w", m.ID, err)
		}
		if sc.Body != "" {
			m.Subject, m.Body = sc.Subject, sc.Body
		} else if sc.Text != "" {
			m.Body = sc.Text // a free text not yet composed
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Messages lists a case's messages, oldest first.
func (s *Store) Messages(ctx context.Context, ref string) ([]throughline.MessageRecord, error) {
	return s.queryMessages(ctx, `WHERE o.case_ref = ? ORDER BY o.id`, ref)
}

// Message returns one message. Errors: ENOTFOUND.
func (s *Store) Message(ctx context.Context, id int64) (throughline.MessageRecord, error) {
	ms, err := s.queryMessages(ctx, `WHERE o.id = ?`, id)
	if err != nil {
		return throughline.MessageRecord{}, err
	}
	if len(ms) == 0 {
		return throughline.MessageRecord{}, throughline.Errorf(throughline.ENOTFOUND, "no message %d", id)
	}
	return ms[0], nil
}

// scopeWhere is the " AND …" clause and its arguments that narrow rows
// joined as alias (a cases row) to f's forces and areas.
func scopeWhere(f throughline.ScopeFilter, alias string) (string, []any) {
	var w where
	w.in(alias+".force", f.Forces)
	w.in(alias+".cps_area", f.CPSAreas)
	return w.clause("AND"), w.args
}

// scopeLimit is f's " LIMIT n" clause: 200 by default, at most 1000.
func scopeLimit(f throughline.ScopeFilter) string {
	n := f.Limit
	if n <= 0 || n > 1000 {
		n = 200
	}
	return fmt.Sprintf(" LIMIT %d", n)
}

// messageOwner is the SQL of the owner (throughline.OwnerWitnessCare, …)
// of the failed messages of the case whose reference is the expression
// ref: from the active users and the teams on its case team.
func messageOwner(ref string) string {
	member := `SELECT 1 FROM case_members m LEFT JOIN users u ON m.member_kind = 'user' AND u.id = m.member_id AND NOT u.disabled
		LEFT JOIN teams g ON m.member_kind = 'team' AND g.id = m.member_id WHERE m.case_ref = ` + ref + ` AND COALESCE(u.agency, g.agency) LIKE `
	return `CASE WHEN EXISTS (` + member + `'wcu:%') THEN '` + throughline.OwnerWitnessCare + `' WHEN EXISTS (` + member + `'police:%') THEN '` +
		throughline.OwnerPolice + `' ELSE '` + throughline.OwnerSupervisor + `' END`
}

// MessageOwners returns the owner of the failed messages of each of refs.
func (s *Store) MessageOwners(ctx context.Context, refs []string) (map[string]string, error) {
	out := make(map[string]string, len(refs))
	for chunk := range slices.Chunk(refs, 500) {
		args := make([]any, len(chunk))
		for i, r := range chunk {
			args[i] = r
		}
		rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT c.ref, `+messageOwner("c.ref")+` FROM cases c WHERE c.ref IN (`+placeholders(len(chunk))+`)`), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var ref, owner string
			if err := rows.Scan(&ref, &owner); err != nil {
				rows.Close()
				return nil, err
			}
			out[ref] = owner
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// FailedByOwner counts the messages that failed for good on open cases by
// their owner, and those on closed cases under "closed" (in no list).
func (s *Store) FailedByOwner(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT CASE WHEN c.closed_on IS NOT NULL THEN 'closed' ELSE `+messageOwner("c.ref")+` END AS owner, count(*)
		FROM outbox o JOIN cases c ON c.ref = o.case_ref WHERE o.status = 'failed' GROUP BY 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var owner string
		var n int
		if err := rows.Scan(&owner, &n); err != nil {
			return nil, err
		}
		out[owner] = n
	}
	return out, rows.Err()
}

// FailedDeliveries is the queue of messages that need a person: every
// channel failed, the guard blocked them at sending time, or they are being
// retried after a failure. Most recent first; closed cases are in no queue.
func (s *Store) FailedDeliveries(ctx context.Context, f throughline.ScopeFilter) ([]throughline.MessageRecord, error) {
	w, args := scopeWhere(f, "c")
	return s.queryMessages(ctx, `JOIN cases c ON c.ref = o.case_ref WHERE (o.status IN ('failed', 'blocked') OR (o.status = 'queued' AND o.failure <> '')) AND c.closed_on IS NULL`+w+` ORDER BY o.updated_at DESC, o.id DESC`+scopeLimit(f), args...)
}

// Tasks lists the tasks of one case ("" for every open case in scope: a
// closed case is in no queue), open ones only when open.
func (s *Store) Tasks(ctx context.Context, ref string, open bool, f throughline.ScopeFilter) ([]throughline.CommsTask, error) {
	w, args := scopeWhere(f, "c")
	q := `SELECT t.id, t.case_ref, t.complainant_id, t.message_id, t.kind, t.assignee, t.detail, t.sealed, t.status, t.created_at, COALESCE(t.done_by, ''), k.key
		FROM comms_tasks t JOIN cases c ON c.ref = t.case_ref LEFT JOIN case_keys k ON k.case_ref = t.case_ref WHERE 1 = 1` + w
	if ref != "" {
		q += " AND t.case_ref = ?"
		args = append(args, ref)
	} else {
		q += " AND c.closed_on IS NULL"
	}
	if open {
		q += " AND t.status = 'open'"
	}
	rows, err := s.db.QueryContext(ctx, s.d.rebind(q+" ORDER BY t.id"+scopeLimit(f)), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []throughline.CommsTask{}
	for rows.Next() {
		var t throughline.CommsTask
		var sealed, key []byte
		var created string
		if err := rows.Scan(&t.ID, &t.Case, &t.Complainant, &t.MessageID, &t.Kind, &t.Assignee, &t.Detail, &sealed, &t.Status, &created, &t.DoneBy, &key); err != nil {
			return nil, err
		}
		t.Created, _ = time.Parse(time.RFC3339Nano, created)
		var sc sealedContent
		if err := openWith(key, []byte(fmt.Sprintf("task|%s|%d|%s|%s", t.Case, t.MessageID, t.Kind, t.Detail)), sealed, &sc); err != nil {
			return nil, err
		}
		t.Say = sc.Body
		out = append(out, t)
	}
	return out, rows.Err()
}

// CompleteTask closes a task. A phone call done is the message delivered:
// victim_informed (channel phone) is appended in the same transaction.
// Errors: ENOTFOUND; EINVALID if already done.
func (s *Store) CompleteTask(ctx context.Context, id int64, by string) error {
	var kind, status string
	var msg int64
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT kind, status, message_id FROM comms_tasks WHERE id = ?`), id).Scan(&kind, &status, &msg)
	if err == sql.ErrNoRows {
		return throughline.Errorf(throughline.ENOTFOUND, "no task %d", id)
	}
	if err != nil {
		return err
	}
	if status != "open" {
		return throughline.Errorf(throughline.EINVALID, "task %d is already done", id)
	}
	if kind == throughline.TaskPhoneCall {
		if err := s.deliver(ctx, "", msg, "phone", "throughline:dispatcher"); err != nil {
			return err
		}
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE comms_tasks SET status = 'done', done_at = ?, done_by = ? WHERE id = ? AND status = 'open'`), ts(s.Now()), by, id)
		return err
	})
}

// Silence lists complainants with no update for longer than their cadence
// (routine_every_days, default 28) as of asOf: the open regular-update
// deadlines that are overdue, longest silence first.
func (s *Store) Silence(ctx context.Context, asOf time.Time, f throughline.ScopeFilter) ([]throughline.SilentComplainant, error) {
	today := throughline.At(asOf).Date()
	ds, err := s.DeadlinesDue(ctx, throughline.DeadlineFilter{OpenOnly: true, LiveCases: true, DueBefore: today.AddDate(0, 0, -1), Forces: f.Forces, CPSAreas: f.CPSAreas})
	if err != nil {
		return nil, err
	}
	out := []throughline.SilentComplainant{}
	for _, d := range ds {
		if d.Rule != "regular_update" || !strings.HasPrefix(d.Subject, "complainant:") {
			continue
		}
		out = append(out, throughline.SilentComplainant{Case: d.Case, Force: d.Force, CPSArea: d.CPSArea, Complainant: strings.TrimPrefix(d.Subject, "complainant:"),
			Since: d.Starts, Due: d.Due, DaysSilent: int(today.Sub(d.Starts).Hours() / 24), Every: int(d.Due.Sub(d.Starts).Hours()/24 + 0.5)})
	}
	// Longest silence first.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].DaysSilent > out[j-1].DaysSilent; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}
