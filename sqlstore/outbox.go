package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"throughline"
)

// The outbox: messages owed to complainants, delivered by package
// comms/dispatch's Dispatcher through the Store's methods here. Every
// change to a claimed row checks the lease owner, so a dispatcher that
// lost its lease cannot record over the one that took the message over.
// What is owed, what it supersedes and what its delivery records are
// decided by the injected Consequences; the store applies the decisions.

// tsLayout writes instants fixed-width in UTC, so they sort as text.
const tsLayout = "2006-01-02T15:04:05.000000Z07:00"

func ts(t time.Time) string { return t.UTC().Format(tsLayout) }

// sealedContent is what the outbox keeps sealed under the case key.
type sealedContent struct {
	throughline.MessageContent
	Text string             `json:"text,omitempty"`
	From throughline.Sender `json:"from,omitzero"`
}

func outboxAAD(ref, complainant, dedupe string) []byte {
	return []byte("outbox|" + ref + "|" + complainant + "|" + dedupe)
}

// enqueue writes a message owed to the outbox inside tx: once per
// complainant and news (the dedupe key), superseding the queued messages
// of the same subject whose kinds it names. free is the sealed free text,
// for a free-text update. It returns the new row's id, or 0 when the news
// was already queued or sent.
func (s *Store) enqueue(ctx context.Context, tx sqlTx, ref string, m throughline.MessageOwed, actor, agency string, free []byte) (int64, error) {
	now := ts(s.Now())
	dedupe := m.DedupeKey()
	if len(m.Supersedes) > 0 {
		q := `UPDATE outbox SET status = 'superseded', updated_at = ?, last_error = 'a later message about the same thing replaced it' WHERE case_ref = ? AND complainant_id = ? AND subject = ? AND status = 'queued' AND dedupe <> ? AND kind IN (` + placeholders(len(m.Supersedes)) + `)`
		args := []any{now, ref, m.Complainant, m.Subject, dedupe}
		for _, k := range m.Supersedes {
			args = append(args, k)
		}
		if _, err := tx.ExecContext(ctx, s.d.rebind(q), args...); err != nil {
			return 0, err
		}
	}
	var sealed any
	if free != nil {
		sealed = free
	}
	var id int64
	err := tx.QueryRowContext(ctx, s.d.rebind(`INSERT INTO outbox (case_ref, complainant_id, kind, about, subject, dedupe, caused_by, actor, agency, status, next_at, sealed, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?) ON CONFLICT (case_ref, complainant_id, dedupe) DO NOTHING RETURNING id`),
		ref, m.Complainant, m.Kind, m.About, m.Subject, dedupe, m.Version, actor, agency, now, sealed, now, now).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// Enqueue queues a message owed on case ref in its own transaction (a
// regular update, say): once per complainant and news. It returns the new
// row's id, or 0 when the news was already queued or sent.
func (s *Store) Enqueue(ctx context.Context, ref string, m throughline.MessageOwed, actor, agency string) (int64, error) {
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = s.enqueue(ctx, tx, ref, m, actor, agency, nil)
		return err
	})
	return id, err
}

// EnqueueFreeText queues an update a person wrote, after the injected
// Consequences checked it against the case as it stands in the same
// transaction. Errors: ENOTFOUND; EINVALID (with a FieldError on "body"
// per contradicted fact) when the text contradicts the record or the
// complainant does not exist, or the case has been erased; ECONFLICT when
// the same words to her were already queued on the case as it stands (a
// form sent twice, an API call repeated), so one message goes, not two.
func (s *Store) EnqueueFreeText(ctx context.Context, ref, complainant, text, actor, agency string) (int64, error) {
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		c, _, _, err := s.loadForUpdate(ctx, tx, ref)
		if err != nil {
			return err
		}
		if c.Version == 0 {
			return throughline.Errorf(throughline.ENOTFOUND, "no case %s", ref)
		}
		m, err := s.rules.FreeText(c, complainant, text, s.Now())
		if err != nil {
			return err
		}
		key, err := s.caseKey(ctx, tx, ref)
		if err != nil {
			return err
		}
		if key == nil {
			return throughline.Errorf(throughline.EINVALID, "case %s has been erased", ref)
		}
		// The writer by the name of their account, as it is when they write.
		from := throughline.Sender{Agency: agency}
		err = tx.QueryRowContext(ctx, s.d.rebind(`SELECT name FROM users WHERE id = ?`), actor).Scan(&from.Name)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		sealed, err := sealWith(key, outboxAAD(ref, complainant, m.DedupeKey()), sealedContent{Text: text, From: from})
		if err != nil {
			return err
		}
		id, err = s.enqueue(ctx, tx, ref, m, actor, agency, sealed)
		if err == nil && id == 0 {
			return &throughline.Error{Code: throughline.ECONFLICT, Message: "this message is already on its way",
				Fields: []throughline.FieldError{{Field: "body", Message: "The same words were already sent to her about the case as it stands: see the messages on the case"}}}
		}
		return err
	})
	return id, err
}

const pendingColumns = `id, case_ref, complainant_id, kind, about, subject, dedupe, status, channel, channel_index, attempts, COALESCE(reference, ''), provider_id, actor, created_at, sealed`

// Claim leases up to n due messages to owner. On PostgreSQL concurrent
// claimers skip each other's rows (FOR UPDATE SKIP LOCKED); SQLite has one
// writer. A row in "sending" whose lease lapsed is an attempt with an
// unknown outcome: the dispatcher reconciles it before any resend.
func (s *Store) Claim(ctx context.Context, owner string, n int, lease time.Duration) ([]throughline.PendingMessage, error) {
	var out []throughline.PendingMessage
	err := s.write(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		now := s.Now()
		lock := s.d.skipLocked
		rows, err := tx.QueryContext(ctx, s.d.rebind(`UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE id IN (
			SELECT id FROM outbox WHERE status IN ('queued', 'sending', 'sent') AND next_at <= ? AND lease_until < ? ORDER BY next_at, id LIMIT ?`+lock+`)
			RETURNING `+pendingColumns), owner, ts(now.Add(lease)), ts(now), ts(now), n)
		if err != nil {
			return err
		}
		type row struct {
			p       throughline.PendingMessage
			dedupe  string
			created string
			sealed  []byte
		}
		var got []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.p.ID, &r.p.Case, &r.p.Complainant, &r.p.Kind, &r.p.About, &r.p.Subject, &r.dedupe, &r.p.Status, &r.p.Channel,
				&r.p.ChannelIndex, &r.p.Attempts, &r.p.Reference, &r.p.ProviderID, &r.p.Actor, &r.created, &r.sealed); err != nil {
				rows.Close()
				return err
			}
			got = append(got, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range got {
			r.p.Created, _ = time.Parse(time.RFC3339Nano, r.created)
			if r.sealed != nil {
				key, err := s.caseKey(ctx, tx, r.p.Case)
				if err != nil {
					return err
				}
				var sc sealedContent
				if err := openWith(key, outboxAAD(r.p.Case, r.p.Complainant, r.dedupe), r.sealed, &sc); err != nil {
					return fmt.Errorf("message %d: %w", r.p.ID, err)
				}
				r.p.Content, r.p.Text, r.p.From = sc.MessageContent, sc.Text, sc.From
			}
			out = append(out, r.p)
		}
		return nil
	})
	return out, err
}

// update changes one claimed row: set is the SET clause, from the statuses
// it may be in. ErrLeaseLost when the row is not (or no longer) owner's.
func (s *Store) update(ctx context.Context, tx *sql.Tx, owner string, id int64, from []string, set string, args ...any) error {
	q := `UPDATE outbox SET ` + set + `, updated_at = ?, lease_owner = '', lease_until = '' WHERE id = ? AND lease_owner = ? AND status IN (` + placeholders(len(from)) + `)`
	all := append(append([]any{}, args...), ts(s.Now()), id, owner)
	for _, f := range from {
		all = append(all, f)
	}
	res, err := tx.ExecContext(ctx, s.d.rebind(q), all...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return throughline.ErrLeaseLost
	}
	return nil
}

func (s *Store) attempt(ctx context.Context, tx sqlTx, id int64, channel, ref, outcome, detail string) error {
	_, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO message_attempts (message_id, at, channel, reference, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)`),
		id, ts(s.Now()), channel, ref, outcome, detail)
	return err
}

var activeStatuses = []string{throughline.MessageQueued, throughline.MessageSending, throughline.MessageSent}

// Sending records durably, before the attempt, the channel, the reference
// and the content of the attempt about to begin. The lease is kept.
func (s *Store) Sending(ctx context.Context, owner string, p throughline.PendingMessage) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var dedupe string
		var cur []byte
		if err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT dedupe, sealed FROM outbox WHERE id = ?`), p.ID).Scan(&dedupe, &cur); err != nil {
			return err
		}
		key, err := s.caseKey(ctx, tx, p.Case)
		if err != nil {
			return err
		}
		aad := outboxAAD(p.Case, p.Complainant, dedupe)
		var sc sealedContent
		if err := openWith(key, aad, cur, &sc); err != nil {
			return err
		}
		sc.MessageContent = p.Content
		sealed, err := sealWith(key, aad, sc)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE outbox SET status = 'sending', channel = ?, channel_index = ?, reference = ?, lang = ?, sealed = ?, updated_at = ?
			WHERE id = ? AND lease_owner = ? AND status IN ('queued', 'sending')`),
			p.Channel, p.ChannelIndex, p.Reference, p.Content.Lang, sealed, ts(s.Now()), p.ID, owner)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return throughline.ErrLeaseLost
		}
		return s.attempt(ctx, tx, p.ID, p.Channel, p.Reference, "sending", "")
	})
}

// Sent records the channel's acceptance.
func (s *Store) Sent(ctx context.Context, owner string, id int64, providerID string, pollAt time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		now := ts(s.Now())
		if err := s.update(ctx, tx, owner, id, activeStatuses, `status = 'sent', provider_id = ?, sent_at = COALESCE(sent_at, ?), next_at = ?`, providerID, now, ts(pollAt)); err != nil {
			return err
		}
		return s.attempt(ctx, tx, id, "", "", "sent", providerID)
	})
}

// Retry puts a message back in the queue for at, counting the attempt.
func (s *Store) Retry(ctx context.Context, owner string, id int64, at time.Time, failure, why string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := s.update(ctx, tx, owner, id, activeStatuses, `status = 'queued', attempts = attempts + 1, failure = ?, last_error = ?, next_at = ?`, failure, clip(why), ts(at)); err != nil {
			return err
		}
		return s.attempt(ctx, tx, id, "", "", failure, clip(why))
	})
}

// RetryFailed puts a message of case ref that failed on every channel back
// in the queue, from her first channel, at a person's request (after her
// contact details were corrected, say). It is the same message, not a new
// one: it keeps its id, so it is delivered at most once, and the dispatcher
// composes and checks it against the record again before sending. Errors:
// ENOTFOUND when the case has no such message; ECONFLICT when it has not
// failed (it is on its way, delivered, stopped or replaced).
func (s *Store) RetryFailed(ctx context.Context, ref string, id int64, by string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var status string
		err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT status FROM outbox WHERE id = ? AND case_ref = ?`), id, ref).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) {
			return throughline.Errorf(throughline.ENOTFOUND, "case %s has no message %d", ref, id)
		}
		if err != nil {
			return err
		}
		if status != throughline.MessageFailed {
			return throughline.Errorf(throughline.ECONFLICT, "only a message that failed can be tried again; this one is %s", status)
		}
		if err := s.update(ctx, tx, "", id, []string{throughline.MessageFailed}, `status = 'queued', channel_index = 0, attempts = 0, failure = '', last_error = '', next_at = ?`, ts(s.Now())); err != nil {
			return err
		}
		return s.attempt(ctx, tx, id, "", "", "retry", "tried again at the request of "+by)
	})
}

// Fallback moves a message to the complainant's channel at index.
func (s *Store) Fallback(ctx context.Context, owner string, id int64, index int, failure, why string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := s.update(ctx, tx, owner, id, activeStatuses, `status = 'queued', channel_index = ?, attempts = 0, failure = ?, last_error = ?, next_at = ?`, index, failure, clip(why), ts(s.Now())); err != nil {
			return err
		}
		return s.attempt(ctx, tx, id, "", "", failure, "falls back to the next channel: "+clip(why))
	})
}

// Finish ends a message in status.
func (s *Store) Finish(ctx context.Context, owner string, id int64, status, failure, why string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := s.update(ctx, tx, owner, id, activeStatuses, `status = ?, failure = ?, last_error = ?`, status, failure, clip(why)); err != nil {
			return err
		}
		return s.attempt(ctx, tx, id, "", "", status, clip(why))
	})
}

func clip(s string) string {
	if len(s) > 500 {
		return s[:500]
	}
	return s
}

// errDelivered means the message was already recorded as delivered.
var errDelivered = errors.New("already delivered")

// markDelivered marks message id delivered inside tx, if owner holds its
// lease ("" for a delivery receipt or a phone call done, which hold none).
// errDelivered when it already was; ErrLeaseLost when another holds it.
func (s *Store) markDelivered(ctx context.Context, tx sqlTx, id int64, owner string) error {
	now := ts(s.Now())
	res, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE outbox SET status = 'delivered', delivered_at = ?, sent_at = COALESCE(sent_at, ?), updated_at = ?, lease_owner = '', lease_until = ''
		WHERE id = ? AND status IN ('sending', 'sent', 'task') AND (? = '' OR lease_owner = ?)`), now, now, now, id, owner, owner)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return s.attempt(ctx, tx, id, "", "", "delivered", "")
	}
	var st string
	if err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT status FROM outbox WHERE id = ?`), id).Scan(&st); err != nil {
		return err
	}
	if st == throughline.MessageDelivered {
		return errDelivered
	}
	return throughline.ErrLeaseLost
}

// deliver records message id delivered on channel by actor: it appends the
// event the injected Consequences say a delivery records (victim_informed,
// about the message's subject event) and marks the row delivered, in one
// transaction. The event is what closes the Victims' Code deadline.
// Recording a delivery twice is not an error and appends nothing.
func (s *Store) deliver(ctx context.Context, owner string, id int64, channel, actor string) error {
	var ref, complainant, about, subject, st string
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT case_ref, complainant_id, about, subject, status FROM outbox WHERE id = ?`), id).Scan(&ref, &complainant, &about, &subject, &st)
	if err != nil {
		return fmt.Errorf("message %d: %w", id, err)
	}
	if st == throughline.MessageDelivered {
		return nil
	}
	e := s.rules.Informed(ref, complainant, about, subject, channel, actor, s.Now())
	_, _, err = s.appendWith(ctx, e, throughline.AnyVersion, func(tx sqlTx, _ *throughline.Case) error {
		return s.markDelivered(ctx, tx, id, owner)
	})
	if errors.Is(err, errDelivered) {
		return nil
	}
	return err
}

// Delivered records that a dispatcher holding the lease as owner delivered
// message id on channel (see deliver).
func (s *Store) Delivered(ctx context.Context, owner string, id int64, channel string) error {
	return s.deliver(ctx, owner, id, channel, "throughline:dispatcher")
}

// OpenTask opens a task for a person, once per message, kind and detail.
func (s *Store) OpenTask(ctx context.Context, t throughline.CommsTask) error {
	return s.write(ctx, func(tx *sql.Tx) error { return s.insertTask(ctx, tx, t) })
}

// insertTask writes a task inside tx, sealing what to say under the case key.
func (s *Store) insertTask(ctx context.Context, tx sqlTx, t throughline.CommsTask) error {
	var sealed any
	if t.Say != "" {
		key, err := s.caseKey(ctx, tx, t.Case)
		if err != nil {
			return err
		}
		b, err := sealWith(key, taskAAD(t), sealedContent{MessageContent: throughline.MessageContent{Body: t.Say}})
		if err != nil {
			return err
		}
		sealed = b
	}
	return s.execLater(ctx, tx, s.d.rebind(`INSERT INTO comms_tasks (case_ref, complainant_id, message_id, kind, assignee, detail, sealed, status, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?) ON CONFLICT (message_id, kind, detail) DO NOTHING`),
		t.Case, t.Complainant, t.MessageID, t.Kind, t.Assignee, clip(t.Detail), sealed, ts(s.Now()))
}

func taskAAD(t throughline.CommsTask) []byte {
	return []byte(fmt.Sprintf("task|%s|%d|%s|%s", t.Case, t.MessageID, t.Kind, clip(t.Detail)))
}

// Receipt records a delivery receipt for the attempt with reference (a
// GOV.UK Notify callback): delivered appends victim_informed; a failure puts
// the message back for its dispatcher to retry or fall back. Errors:
// ENOTFOUND for an unknown reference.
func (s *Store) Receipt(ctx context.Context, reference, status string) error {
	var id int64
	var channel, st string
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT id, channel, status FROM outbox WHERE reference = ?`), reference).Scan(&id, &channel, &st)
	if errors.Is(err, sql.ErrNoRows) {
		return throughline.Errorf(throughline.ENOTFOUND, "no message with reference %s", reference)
	}
	if err != nil {
		return err
	}
	switch status {
	case throughline.MessageDelivered:
		if st == throughline.MessageDelivered {
			return nil
		}
		err := s.deliver(ctx, "", id, channel, "throughline:notify-receipt")
		if errors.Is(err, throughline.ErrLeaseLost) {
			return nil
		}
		return err
	default:
		// A failure: make the row due now, so its dispatcher polls the
		// status and decides (retry or fall back) as for any failure.
		return s.write(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE outbox SET next_at = ?, updated_at = ? WHERE id = ? AND status = 'sent'`), ts(s.Now()), ts(s.Now()), id)
			return err
		})
	}
}

// OutboxBacklog reports the messages waiting in the outbox (queued, not yet
// sent) and when the oldest of them was queued (zero when none): the
// metrics' outbox depth and age. Failed counts the messages that ended
// failed, by channel. No case data leaves: counts, a time, channel names.
func (s *Store) OutboxBacklog(ctx context.Context) (queued int, oldest time.Time, failed map[string]int, err error) {
	var first sql.NullString
	if err := s.db.QueryRowContext(ctx, `SELECT count(*), min(created_at) FROM outbox WHERE status = 'queued'`).Scan(&queued, &first); err != nil {
		return 0, time.Time{}, nil, err
	}
	if first.Valid {
		if oldest, err = time.Parse(time.RFC3339Nano, first.String); err != nil {
			return 0, time.Time{}, nil, err
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT channel, count(*) FROM outbox WHERE status = 'failed' GROUP BY channel`)
	if err != nil {
		return 0, time.Time{}, nil, err
	}
	defer rows.Close()
	failed = map[string]int{}
	for rows.Next() {
		var ch string
		var n int
		if err := rows.Scan(&ch, &n); err != nil {
			return 0, time.Time{}, nil, err
		}
		failed[ch] = n
	}
	return queued, oldest, failed, rows.Err()
}
