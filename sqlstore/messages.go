package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"throughline"
)

// MessageRecord is one message to a complainant, as staff and the victim
// portal see it: the same row, so both sides show the same words.
type MessageRecord struct {
	ID          int64     `json:"id"`
	Case        string    `json:"case"`
	Complainant string    `json:"complainant_id"`
	Kind        string    `json:"kind"`
	About       string    `json:"about"`
	Status      string    `json:"status"`
	Channel     string    `json:"channel,omitempty"`
	Attempts    int       `json:"attempts"`
	Failure     string    `json:"failure,omitempty"`
	LastError   string    `json:"last_error,omitempty"`
	Reference   string    `json:"reference,omitempty"`
	Lang        string    `json:"lang,omitempty"`
	Subject     string    `json:"subject,omitempty"` // the subject line, once composed
	Body        string    `json:"body,omitempty"`    // the words sent, once composed
	TriggeredBy string    `json:"triggered_by"`      // who recorded the event that called for it
	Agency      string    `json:"agency"`
	CausedBy    int64     `json:"caused_by_version,omitempty"`
	Created     time.Time `json:"created_at"`
	Sent        string    `json:"sent_at,omitempty"`
	Delivered   string    `json:"delivered_at,omitempty"`
}

const messageColumns = `o.id, o.case_ref, o.complainant_id, o.kind, o.about, o.status, o.channel, o.attempts, o.failure, o.last_error, COALESCE(o.reference, ''), o.lang, o.actor, o.agency, o.caused_by, o.created_at, COALESCE(o.sent_at, ''), COALESCE(o.delivered_at, ''), o.dedupe, o.sealed, k.key`

func (s *Store) queryMessages(ctx context.Context, where string, args ...any) ([]MessageRecord, error) {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT `+messageColumns+` FROM outbox o LEFT JOIN case_keys k ON k.case_ref = o.case_ref `+where), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []MessageRecord{}
	for rows.Next() {
		var m MessageRecord
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
func (s *Store) Messages(ctx context.Context, ref string) ([]MessageRecord, error) {
	return s.queryMessages(ctx, `WHERE o.case_ref = ? ORDER BY o.id`, ref)
}

// Message returns one message. Errors: ENOTFOUND.
func (s *Store) Message(ctx context.Context, id int64) (MessageRecord, error) {
	ms, err := s.queryMessages(ctx, `WHERE o.id = ?`, id)
	if err != nil {
		return MessageRecord{}, err
	}
	if len(ms) == 0 {
		return MessageRecord{}, throughline.Errorf(throughline.ENOTFOUND, "no message %d", id)
	}
	return ms[0], nil
}

// ScopeFilter narrows a cross-case list to forces or CPS areas (all when empty).
type ScopeFilter struct {
	Forces   []string
	CPSAreas []string
	Limit    int
}

func (f ScopeFilter) scope(alias string) (string, []any) {
	var w where
	w.in(alias+".force", f.Forces)
	w.in(alias+".cps_area", f.CPSAreas)
	return w.clause("AND"), w.args
}

func (f ScopeFilter) limit() string {
	n := f.Limit
	if n <= 0 || n > 1000 {
		n = 200
	}
	return fmt.Sprintf(" LIMIT %d", n)
}

// FailedDeliveries is the queue of messages that need a person: every
// channel failed, the guard blocked them at sending time, or they are being
// retried after a failure. Most recent first.
func (s *Store) FailedDeliveries(ctx context.Context, f ScopeFilter) ([]MessageRecord, error) {
	w, args := f.scope("c")
	return s.queryMessages(ctx, `JOIN cases c ON c.ref = o.case_ref WHERE (o.status IN ('failed', 'blocked') OR (o.status = 'queued' AND o.failure <> ''))`+w+` ORDER BY o.updated_at DESC, o.id DESC`+f.limit(), args...)
}

// CommsTask is a task for a person.
type CommsTask struct {
	ID          int64     `json:"id"`
	Case        string    `json:"case"`
	Complainant string    `json:"complainant_id"`
	MessageID   int64     `json:"message_id"`
	Kind        string    `json:"kind"`
	Assignee    string    `json:"assignee"`
	Detail      string    `json:"detail"`
	Say         string    `json:"say,omitempty"`
	Status      string    `json:"status"`
	Created     time.Time `json:"created_at"`
	DoneBy      string    `json:"done_by,omitempty"`
}

// Tasks lists the tasks of one case ("" for every case in scope), open ones
// only when open.
func (s *Store) Tasks(ctx context.Context, ref string, open bool, f ScopeFilter) ([]CommsTask, error) {
	w, args := f.scope("c")
	q := `SELECT t.id, t.case_ref, t.complainant_id, t.message_id, t.kind, t.assignee, t.detail, t.sealed, t.status, t.created_at, COALESCE(t.done_by, ''), k.key
		FROM comms_tasks t JOIN cases c ON c.ref = t.case_ref LEFT JOIN case_keys k ON k.case_ref = t.case_ref WHERE 1 = 1` + w
	if ref != "" {
		q += " AND t.case_ref = ?"
		args = append(args, ref)
	}
	if open {
		q += " AND t.status = 'open'"
	}
	rows, err := s.db.QueryContext(ctx, s.d.rebind(q+" ORDER BY t.id"+f.limit()), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []CommsTask{}
	for rows.Next() {
		var t CommsTask
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
	if kind == "phone_call" {
		if err := s.Delivered(ctx, "", msg, "phone"); err != nil {
			return err
		}
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE comms_tasks SET status = 'done', done_at = ?, done_by = ? WHERE id = ? AND status = 'open'`), ts(s.Now()), by, id)
		return err
	})
}

// SilentComplainant is a complainant owed a regular update.
type SilentComplainant struct {
	Case        string    `json:"case"`
	Force       string    `json:"force"`
	CPSArea     string    `json:"cps_area"`
	Complainant string    `json:"complainant_id"`
	Since       time.Time `json:"since"` // the last update (or the charge)
	Due         time.Time `json:"due"`   // when the next update was due
	DaysSilent  int       `json:"days_silent"`
	Every       int       `json:"every_days"` // their cadence
}

// Silence lists complainants with no update for longer than their cadence
// (routine_every_days, default 28) as of asOf: the open regular-update
// deadlines that are overdue, longest silence first.
func (s *Store) Silence(ctx context.Context, asOf time.Time, f ScopeFilter) ([]SilentComplainant, error) {
	today := throughline.At(asOf).Date()
	ds, err := s.DeadlinesDue(ctx, DeadlineFilter{OpenOnly: true, DueBefore: today.AddDate(0, 0, -1), Forces: f.Forces, CPSAreas: f.CPSAreas})
	if err != nil {
		return nil, err
	}
	out := []SilentComplainant{}
	for _, d := range ds {
		if d.Rule != "regular_update" || !strings.HasPrefix(d.Subject, "complainant:") {
			continue
		}
		out = append(out, SilentComplainant{Case: d.Case, Force: d.Force, CPSArea: d.CPSArea, Complainant: strings.TrimPrefix(d.Subject, "complainant:"),
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
