-- The victim portal: one-time sign-in codes (10 minutes, used once),
-- sessions, and the requests counted for rate limiting. Codes and session
-- ids are stored as SHA-256 digests only.
CREATE TABLE portal_codes (
    id             BIGSERIAL PRIMARY KEY,
    case_ref       TEXT    NOT NULL,
    complainant_id TEXT    NOT NULL,
    code_hash      BYTEA    NOT NULL,
    created_at     TEXT    NOT NULL,
    expires_at     TEXT    NOT NULL,
    used_at        TEXT
);
CREATE INDEX portal_codes_case ON portal_codes (case_ref, expires_at);

CREATE TABLE portal_sessions (
    id_hash        BYTEA PRIMARY KEY,
    case_ref       TEXT NOT NULL,
    complainant_id TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    seen_at        TEXT NOT NULL
);

-- Code requests and failed code entries, by reference and by address.
CREATE TABLE portal_attempts (
    key  TEXT NOT NULL,   -- send:ref:<ref>, send:ip:<addr>, fail:ref:<ref>, fail:ip:<addr>
    at   TEXT NOT NULL
);
CREATE INDEX portal_attempts_key ON portal_attempts (key, at);
