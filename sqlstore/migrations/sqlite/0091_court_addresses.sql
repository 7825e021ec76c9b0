-- Where the courts are, as a victim is told it with a hearing (ADR 0234):
-- reference data kept by administrators beside the directory of 0090,
-- replaced in place, every change in admin_actions. court is the court as
-- hearings record it: a Crown Court's id or another court's name.
CREATE TABLE court_addresses (
    id         TEXT PRIMARY KEY,
    court      TEXT NOT NULL UNIQUE,
    address    TEXT NOT NULL,
    checked_on TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
