-- The small per-case tables are read and rewritten case by case. Stored
-- WITHOUT ROWID, each is one B-tree ordered by its primary key, instead of
-- a table plus an index of that key: half the writes, and a case's rows
-- side by side.
CREATE TABLE case_keys_new (
    case_ref TEXT PRIMARY KEY,
    key      BLOB NOT NULL
) WITHOUT ROWID;
INSERT INTO case_keys_new SELECT case_ref, key FROM case_keys;
DROP TABLE case_keys;
ALTER TABLE case_keys_new RENAME TO case_keys;

CREATE TABLE parties_new (
    case_ref TEXT NOT NULL,
    party_id TEXT NOT NULL,
    role     TEXT NOT NULL, -- complainant or defendant
    name     TEXT NOT NULL,
    stage    TEXT NOT NULL, -- a defendant's stage; a complainant's "withdrawn" or "supporting"
    PRIMARY KEY (case_ref, party_id)
) WITHOUT ROWID;
INSERT INTO parties_new SELECT case_ref, party_id, role, name, stage FROM parties;
DROP TABLE parties;
ALTER TABLE parties_new RENAME TO parties;
CREATE INDEX parties_name ON parties (name);

CREATE TABLE offences_new (
    case_ref TEXT NOT NULL,
    seq      INTEGER NOT NULL,
    ho_code  TEXT NOT NULL,
    cjs_code TEXT NOT NULL,
    PRIMARY KEY (case_ref, seq)
) WITHOUT ROWID;
INSERT INTO offences_new SELECT case_ref, seq, ho_code, cjs_code FROM offences;
DROP TABLE offences;
ALTER TABLE offences_new RENAME TO offences;

CREATE TABLE key_dates_new (
    case_ref TEXT NOT NULL,
    name     TEXT NOT NULL,
    on_date  TEXT NOT NULL,
    PRIMARY KEY (case_ref, name)
) WITHOUT ROWID;
INSERT INTO key_dates_new SELECT case_ref, name, on_date FROM key_dates;
DROP TABLE key_dates;
ALTER TABLE key_dates_new RENAME TO key_dates;
