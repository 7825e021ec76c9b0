-- Scheduled work under a lease (ADR 0013): one row per job. The process
-- named by holder runs the job's ticks until expires_at; another may take
-- the lease only once it has expired. fence counts the changes of holder;
-- tick counts the ticks run, and ticked_at is when the last one ran, so a
-- tick runs once across every serve process, whoever holds the lease.
CREATE TABLE leases (
    name       TEXT   PRIMARY KEY,
    holder     TEXT   NOT NULL,
    expires_at TEXT   NOT NULL,            -- RFC 3339 UTC, fixed width: sorts as text; '' once released
    fence      INTEGER NOT NULL,
    tick       INTEGER NOT NULL DEFAULT 0,
    ticked_at  TEXT   NOT NULL DEFAULT ''  -- '' before the first tick
);
