-- Staff sign-in, sessions, teams, case teams, break-glass, ISVA consent and
-- the consultation log (who looked at which case, when and why).

-- How a user signs in. A user without a row here can use the API only.
CREATE TABLE accounts (
    user_id        TEXT PRIMARY KEY REFERENCES users (id),
    login          TEXT NOT NULL UNIQUE,   -- lower-cased email address or username
    password_hash  TEXT,                   -- argon2id PHC string; NULL: no local password
    totp_secret    BYTEA,                   -- NULL until the user has set up an authenticator
    totp_last_step BIGINT NOT NULL DEFAULT 0, -- the last code's time step: a code is good once
    oidc_issuer    TEXT,
    oidc_subject   TEXT,
    updated_at     TEXT NOT NULL,
    UNIQUE (oidc_issuer, oidc_subject)
);

-- Server-side sessions. The cookie holds a random id; only its SHA-256 is
-- stored. Role and agency are those at sign-in: a change ends the session.
CREATE TABLE sessions (
    id_hash    BYTEA PRIMARY KEY,
    user_id    TEXT NOT NULL,
    role       TEXT NOT NULL,
    agency     TEXT NOT NULL,
    state      TEXT NOT NULL,   -- code (password checked, code due), enrol (must set up TOTP), active
    method     TEXT NOT NULL,   -- password or oidc
    created_at TEXT NOT NULL,   -- times: RFC 3339 UTC, fixed width, so they sort as text
    seen_at    TEXT NOT NULL,
    auth_at    TEXT NOT NULL    -- last (re-)authentication
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-ins, per account ("login:…") and per address ("ip:…"), for
-- rate limiting shared by every serve process.
CREATE TABLE signin_failures (
    key TEXT NOT NULL,
    at  TEXT NOT NULL
);
CREATE INDEX signin_failures_key ON signin_failures (key, at);

CREATE TABLE teams (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    agency     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (agency, name)
);
CREATE TABLE team_members (
    team_id  TEXT NOT NULL REFERENCES teams (id),
    user_id  TEXT NOT NULL REFERENCES users (id),
    added_at TEXT NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

-- Case teams: the users and teams who work a case.
CREATE TABLE case_members (
    case_ref    TEXT NOT NULL,
    member_kind TEXT NOT NULL CHECK (member_kind IN ('user', 'team')),
    member_id   TEXT NOT NULL,
    added_by    TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    PRIMARY KEY (case_ref, member_kind, member_id)
);
CREATE INDEX case_members_member ON case_members (member_kind, member_id, case_ref);

-- A victim's consent to share their case with their ISVA organisation:
-- append-only; the latest row for (case, complainant, organisation) stands.
CREATE TABLE isva_consents (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_ref       TEXT    NOT NULL,
    complainant_id TEXT    NOT NULL,
    isva_agency    TEXT    NOT NULL,
    given          BOOLEAN NOT NULL,  -- true given, false withdrawn
    note           TEXT    NOT NULL,
    recorded_by    TEXT    NOT NULL,
    recorded_at    TEXT    NOT NULL
);
CREATE INDEX isva_consents_case ON isva_consents (case_ref, isva_agency, id);
CREATE TRIGGER isva_consents_append_only BEFORE UPDATE OR DELETE ON isva_consents
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER isva_consents_no_truncate BEFORE TRUNCATE ON isva_consents
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Break-glass accesses: append-only; reviews are rows of their own.
CREATE TABLE break_glass (
    id         TEXT PRIMARY KEY,
    case_ref   TEXT NOT NULL,
    force      TEXT NOT NULL,
    cps_area   TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    user_name  TEXT NOT NULL,
    role       TEXT NOT NULL,
    agency     TEXT NOT NULL,
    reason     TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX break_glass_user ON break_glass (user_id, case_ref, expires_at);
CREATE INDEX break_glass_force ON break_glass (force, granted_at);
CREATE TRIGGER break_glass_append_only BEFORE UPDATE OR DELETE ON break_glass
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER break_glass_no_truncate BEFORE TRUNCATE ON break_glass
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

CREATE TABLE break_glass_reviews (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    grant_id    TEXT NOT NULL REFERENCES break_glass (id),
    reviewer_id TEXT NOT NULL,
    reviewer    TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('justified', 'not_justified')),
    note        TEXT NOT NULL,
    reviewed_at TEXT NOT NULL
);
CREATE INDEX break_glass_reviews_grant ON break_glass_reviews (grant_id);
CREATE TRIGGER break_glass_reviews_append_only BEFORE UPDATE OR DELETE ON break_glass_reviews
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER break_glass_reviews_no_truncate BEFORE TRUNCATE ON break_glass_reviews
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- The consultation log (DPA 2018 s.62): every view of personal data, who,
-- when, which case and parts, and the purpose. Append-only.
CREATE TABLE consultations (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    user_name   TEXT NOT NULL,
    role        TEXT NOT NULL,
    agency      TEXT NOT NULL,
    case_ref    TEXT NOT NULL,
    parts       TEXT NOT NULL,   -- comma-separated parts shown
    purpose     TEXT NOT NULL,
    basis       TEXT NOT NULL,   -- case_team, supervisor, break_glass, victim_consent, …
    channel     TEXT NOT NULL,   -- page, api, export
    target      TEXT NOT NULL,   -- what was asked for, e.g. "GET /cases/{ref}"
    break_glass TEXT             -- the break-glass access, if that was the basis
);
CREATE INDEX consultations_case ON consultations (case_ref, id);
CREATE INDEX consultations_user ON consultations (user_id, id);
CREATE TRIGGER consultations_append_only BEFORE UPDATE OR DELETE ON consultations
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER consultations_no_truncate BEFORE TRUNCATE ON consultations
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- What administrators did: append-only.
CREATE TABLE admin_actions (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    action   TEXT NOT NULL,
    subject  TEXT NOT NULL,
    detail   TEXT NOT NULL
);
CREATE TRIGGER admin_actions_append_only BEFORE UPDATE OR DELETE ON admin_actions
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER admin_actions_no_truncate BEFORE TRUNCATE ON admin_actions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Installation secrets made on first use (the pseudonym key).
CREATE TABLE secrets (
    name  TEXT PRIMARY KEY,
    value BYTEA NOT NULL
);
