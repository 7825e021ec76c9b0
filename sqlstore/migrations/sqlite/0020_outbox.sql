-- Victim communication: the outbox of messages owed to complainants, the
-- log of every delivery attempt, and the tasks for people (phone calls,
-- failed deliveries, texts the guard refused). Outbox rows are written in
-- the same transaction as the event that causes them (sqlstore/hooks.go).
-- Bodies and addresses are sealed under the case key, like the log.
CREATE TABLE outbox (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    case_ref       TEXT    NOT NULL,
    complainant_id TEXT    NOT NULL,
    kind           TEXT    NOT NULL,             -- template (comms.Kinds)
    about          TEXT    NOT NULL,             -- victim_informed.about on delivery
    subject        TEXT    NOT NULL,             -- hearing:H3, defendant:D1, …, or ''
    dedupe         TEXT    NOT NULL,             -- kind|subject|facts: one message per news
    caused_by      INTEGER NOT NULL,             -- case version of the causing event (0: none)
    actor          TEXT    NOT NULL,             -- who caused it
    agency         TEXT    NOT NULL,
    status         TEXT    NOT NULL,             -- queued, sending, sent, delivered, task, failed, blocked, superseded
    channel        TEXT    NOT NULL DEFAULT '',  -- channel of the current attempt
    channel_index  INTEGER NOT NULL DEFAULT 0,   -- position in the complainant's channels
    attempts       INTEGER NOT NULL DEFAULT 0,   -- attempts on the current channel
    reference      TEXT,                         -- idempotency reference of the current attempt
    provider_id    TEXT    NOT NULL DEFAULT '',
    failure        TEXT    NOT NULL DEFAULT '',  -- permanent, temporary, technical
    last_error     TEXT    NOT NULL DEFAULT '',
    lang           TEXT    NOT NULL DEFAULT '',
    next_at        TEXT    NOT NULL,             -- RFC 3339 UTC, fixed width: sorts as text
    lease_owner    TEXT    NOT NULL DEFAULT '',
    lease_until    TEXT    NOT NULL DEFAULT '',
    sealed         BLOB,                         -- subject line, body, recipient, free text
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    sent_at        TEXT,
    delivered_at   TEXT,
    UNIQUE (case_ref, complainant_id, dedupe)
);
CREATE INDEX outbox_due ON outbox (status, next_at);
CREATE INDEX outbox_case ON outbox (case_ref, id);
CREATE UNIQUE INDEX outbox_reference ON outbox (reference);

CREATE TABLE message_attempts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id INTEGER NOT NULL,
    at         TEXT    NOT NULL,
    channel    TEXT    NOT NULL,
    reference  TEXT    NOT NULL,
    outcome    TEXT    NOT NULL,  -- sending, sent, delivered, permanent, temporary, technical, unknown
    detail     TEXT    NOT NULL
);
CREATE INDEX message_attempts_message ON message_attempts (message_id, id);

CREATE TABLE comms_tasks (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    case_ref       TEXT    NOT NULL,
    complainant_id TEXT    NOT NULL,
    message_id     INTEGER NOT NULL,
    kind           TEXT    NOT NULL,  -- phone_call, delivery_failed, no_channel, blocked
    assignee       TEXT    NOT NULL,  -- the named contact, or their team
    detail         TEXT    NOT NULL,  -- what went wrong (no personal data)
    sealed         BLOB,              -- what to say
    status         TEXT    NOT NULL,  -- open, done
    created_at     TEXT    NOT NULL,
    done_at        TEXT,
    done_by        TEXT,
    UNIQUE (message_id, kind, detail)
);
CREATE INDEX comms_tasks_open ON comms_tasks (status, case_ref);
