-- Additions to a case team that wait for a second person's approval
-- (issue 11, finding 14): an administrator's, or a member of another
-- agency's. Decided once; requests and decisions are also in admin_actions.
CREATE TABLE case_member_requests (
    id           TEXT PRIMARY KEY,
    case_ref     TEXT NOT NULL,
    member_kind  TEXT NOT NULL CHECK (member_kind IN ('user', 'team')),
    member_id    TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    decided_by   TEXT,
    decided_at   TEXT,
    outcome      TEXT CHECK (outcome IN ('approved', 'refused'))
);
CREATE INDEX case_member_requests_case ON case_member_requests (case_ref, decided_at);
