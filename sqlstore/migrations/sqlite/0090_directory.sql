-- The directory administrators keep for the victim's side (ADR 0230): how
-- to reach the people on a case, and the support services a victim can
-- turn to. Reference data, not facts of a case: rows are replaced in place
-- and every change is in admin_actions.
CREATE TABLE staff_contacts (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,          -- '' for a unit's shared line
    role       TEXT NOT NULL CHECK (role IN ('witness_care', 'officer', 'isva')),
    team       TEXT NOT NULL,
    agency     TEXT NOT NULL,
    user_id    TEXT NOT NULL,          -- '' when not a staff account
    phone      TEXT NOT NULL,
    email      TEXT NOT NULL,
    hours      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX staff_contacts_agency ON staff_contacts (agency);
CREATE TABLE support_services (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    offers     TEXT NOT NULL,
    for_whom   TEXT NOT NULL,          -- audiences, space-separated
    areas      TEXT NOT NULL,          -- PNC force codes or 'national', space-separated
    phone      TEXT NOT NULL,
    text_to    TEXT NOT NULL,
    web        TEXT NOT NULL,
    email      TEXT NOT NULL,
    hours      TEXT NOT NULL,
    checked_on TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
