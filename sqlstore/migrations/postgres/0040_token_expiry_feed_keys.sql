-- API tokens expire (identity.TokenLifetime, 90 days) and are listed with
-- when they were issued. A token issued before this migration lives 90 days
-- from it.
ALTER TABLE users ADD COLUMN token_issued_at TEXT;
ALTER TABLE users ADD COLUMN token_expires_at TEXT;
UPDATE users SET token_issued_at = created_at,
    token_expires_at = to_char((now() + interval '90 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');

-- Each victim's calendar feed has a key of its own: rotating it (on
-- sign-out, exit or request) withdraws that victim's feed only.
CREATE TABLE portal_feed_keys (
    case_ref       TEXT NOT NULL,
    complainant_id TEXT NOT NULL,
    feed_key       BYTEA NOT NULL,
    rotated_at     TEXT NOT NULL,
    PRIMARY KEY (case_ref, complainant_id)
);
