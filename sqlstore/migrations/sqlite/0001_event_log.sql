-- The event log: append-only, hash-chained per case. The database itself
-- refuses UPDATE and DELETE (triggers below); corrections are later events.
CREATE TABLE events (
    position    INTEGER PRIMARY KEY AUTOINCREMENT, -- global append order
    case_ref    TEXT    NOT NULL,
    version     INTEGER NOT NULL,                  -- position within the case, from 1
    type        TEXT    NOT NULL,
    occurred_at TEXT    NOT NULL,                  -- when it happened (date or RFC 3339)
    recorded_at TEXT    NOT NULL,                  -- when the agency learned of it
    appended_at TEXT    NOT NULL,                  -- when the log stored it (RFC 3339, UTC)
    actor       TEXT    NOT NULL,
    agency      TEXT    NOT NULL,
    data        TEXT    NOT NULL,                  -- payload without personal data (JSON)
    personal    BLOB,                              -- personal fields, sealed under the case key
    prev_hash   BLOB    NOT NULL,
    hash        BLOB    NOT NULL,
    UNIQUE (case_ref, version)
);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events cannot be changed'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events cannot be deleted'); END;

-- Per-case data keys. Destroying a row erases the case's personal data
-- without touching the log.
CREATE TABLE case_keys (
    case_ref TEXT PRIMARY KEY,
    key      BLOB NOT NULL
);

-- Projections: derived from the log in the same transaction as each event,
-- and rebuilt from it by `throughline rebuild`.
CREATE TABLE cases (
    ref           TEXT PRIMARY KEY,
    version       INTEGER NOT NULL,
    head_hash     BLOB    NOT NULL,
    force         TEXT    NOT NULL,
    cps_area      TEXT    NOT NULL,
    stage         TEXT    NOT NULL,
    reported_on   TEXT    NOT NULL,
    last_occurred TEXT    NOT NULL,
    closed_on     TEXT,
    state         TEXT    NOT NULL  -- the folded case (JSON), read to decide the next event
);
CREATE INDEX cases_force ON cases (force, ref);
CREATE INDEX cases_area ON cases (cps_area, ref);
CREATE INDEX cases_stage ON cases (stage, ref);

CREATE TABLE parties (
    case_ref TEXT NOT NULL,
    party_id TEXT NOT NULL,
    role     TEXT NOT NULL, -- complainant or defendant
    name     TEXT NOT NULL,
    stage    TEXT NOT NULL, -- a defendant's stage; a complainant's "withdrawn" or "supporting"
    PRIMARY KEY (case_ref, party_id)
);
CREATE INDEX parties_name ON parties (name);

CREATE TABLE offences (
    case_ref TEXT NOT NULL,
    seq      INTEGER NOT NULL,
    ho_code  TEXT NOT NULL,
    cjs_code TEXT NOT NULL,
    PRIMARY KEY (case_ref, seq)
);

CREATE TABLE hearings (
    case_ref   TEXT NOT NULL,
    hearing_id TEXT NOT NULL,
    kind       TEXT NOT NULL,
    court      TEXT NOT NULL,
    starts_at  TEXT NOT NULL,
    starts_on  TEXT NOT NULL, -- London date of starts_at, for listing queries
    listing    TEXT NOT NULL,
    status     TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    PRIMARY KEY (case_ref, hearing_id)
);
CREATE INDEX hearings_day ON hearings (starts_on);

CREATE TABLE key_dates (
    case_ref TEXT NOT NULL,
    name     TEXT NOT NULL,
    on_date  TEXT NOT NULL,
    PRIMARY KEY (case_ref, name)
);

-- Signed checkpoints over the whole log: each seals the head of every case
-- as of a moment, so that a removed case or a truncated chain is detected.
CREATE TABLE checkpoints (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    taken_at  TEXT    NOT NULL,  -- events appended before this are covered
    cases     INTEGER NOT NULL,
    events    INTEGER NOT NULL,
    root      BLOB    NOT NULL,
    prev      BLOB    NOT NULL,  -- the previous checkpoint's signature
    signature BLOB    NOT NULL
);
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;

CREATE TABLE users (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    agency     TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    disabled   INTEGER NOT NULL DEFAULT 0
);
