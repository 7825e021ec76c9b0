-- The event log: append-only, hash-chained per case. The database itself
-- refuses UPDATE, DELETE and TRUNCATE; corrections are later events.
CREATE TABLE events (
    position    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- global append order
    case_ref    TEXT   NOT NULL,
    version     BIGINT NOT NULL,   -- position within the case, from 1
    type        TEXT   NOT NULL,
    occurred_at TEXT   NOT NULL,   -- when it happened (date or RFC 3339)
    recorded_at TEXT   NOT NULL,   -- when the agency learned of it
    appended_at TEXT   NOT NULL,   -- when the log stored it (RFC 3339, UTC)
    actor       TEXT   NOT NULL,
    agency      TEXT   NOT NULL,
    data        TEXT   NOT NULL,   -- payload without personal data (JSON)
    personal    BYTEA,             -- personal fields, sealed under the case key
    prev_hash   BYTEA  NOT NULL,
    hash        BYTEA  NOT NULL,
    UNIQUE (case_ref, version)
);

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the % table is append-only: rows cannot be changed or deleted', TG_TABLE_NAME;
END $$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Per-case data keys. Destroying a row erases the case's personal data
-- without touching the log.
CREATE TABLE case_keys (
    case_ref TEXT PRIMARY KEY,
    key      BYTEA NOT NULL
);

-- Projections: derived from the log in the same transaction as each event,
-- and rebuilt from it by `throughline rebuild`.
CREATE TABLE cases (
    ref           TEXT PRIMARY KEY,
    version       BIGINT NOT NULL,
    head_hash     BYTEA  NOT NULL,
    force         TEXT   NOT NULL,
    cps_area      TEXT   NOT NULL,
    stage         TEXT   NOT NULL,
    reported_on   TEXT   NOT NULL,
    last_occurred TEXT   NOT NULL,
    closed_on     TEXT,
    state         TEXT   NOT NULL  -- the folded case (JSON), read to decide the next event
);
CREATE INDEX cases_force ON cases (force, ref);
CREATE INDEX cases_area ON cases (cps_area, ref);
CREATE INDEX cases_stage ON cases (stage, ref);

CREATE TABLE parties (
    case_ref TEXT NOT NULL,
    party_id TEXT NOT NULL,
    role     TEXT NOT NULL,
    name     TEXT NOT NULL,
    stage    TEXT NOT NULL,
    PRIMARY KEY (case_ref, party_id)
);
CREATE INDEX parties_name ON parties (name);

CREATE TABLE offences (
    case_ref TEXT   NOT NULL,
    seq      BIGINT NOT NULL,
    ho_code  TEXT   NOT NULL,
    cjs_code TEXT   NOT NULL,
    PRIMARY KEY (case_ref, seq)
);

CREATE TABLE hearings (
    case_ref   TEXT NOT NULL,
    hearing_id TEXT NOT NULL,
    kind       TEXT NOT NULL,
    court      TEXT NOT NULL,
    starts_at  TEXT NOT NULL,
    starts_on  TEXT NOT NULL,
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

CREATE TABLE checkpoints (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    taken_at  TEXT   NOT NULL,
    cases     BIGINT NOT NULL,
    events    BIGINT NOT NULL,
    root      BYTEA  NOT NULL,
    prev      BYTEA  NOT NULL,
    signature BYTEA  NOT NULL
);
CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON checkpoints
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE users (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    agency     TEXT NOT NULL,
    token_hash BYTEA NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    disabled   BOOLEAN NOT NULL DEFAULT FALSE
);
