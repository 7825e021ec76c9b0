-- Deadlines: every statutory and code timescale of every case, recomputed
-- from the case's events in the same transaction as each event. Status is
-- not stored: it depends on the day it is read (see deadline.Status).
CREATE TABLE deadlines (
    case_ref       TEXT    NOT NULL,
    key            TEXT    NOT NULL, -- stable within the case (deadline.Key)
    rule           TEXT    NOT NULL,
    subject        TEXT    NOT NULL, -- complainant:C1, defendant:D1
    owner          TEXT    NOT NULL, -- police, cps, wcu, court, defence
    force          TEXT    NOT NULL,
    cps_area       TEXT    NOT NULL,
    starts         TEXT    NOT NULL, -- YYYY-MM-DD
    due            TEXT,             -- YYYY-MM-DD; NULL when not computable
    met_at         TEXT,             -- YYYY-MM-DD
    open           INTEGER NOT NULL, -- 1 while applicable and not met
    detail         TEXT    NOT NULL, -- the whole deadline (JSON)
    PRIMARY KEY (case_ref, key)
);
-- "What fell due since the last tick" and "overdue" read open deadlines by due date.
CREATE INDEX deadlines_open_due ON deadlines (open, due);
CREATE INDEX deadlines_owner_due ON deadlines (owner, force, due);
