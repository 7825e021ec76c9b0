-- The consultation log and the administrators' log hash-chained (ADR 0112):
-- each entry's hash covers the one before it in its chain and every field;
-- a consultation's chain is its case's, the administrators' log is one
-- chain. log_heads holds where each chain ends, written with the entry.
ALTER TABLE consultations ADD COLUMN seq INTEGER;  -- position in its case's chain, from 1
ALTER TABLE consultations ADD COLUMN hash BLOB;
ALTER TABLE admin_actions ADD COLUMN seq INTEGER;  -- position in the one chain, from 1
ALTER TABLE admin_actions ADD COLUMN hash BLOB;
CREATE UNIQUE INDEX consultations_chain ON consultations (case_ref, seq);
CREATE UNIQUE INDEX admin_actions_chain ON admin_actions (seq);

CREATE TABLE log_heads (
    log   TEXT    NOT NULL,   -- consultations or admin_actions
    chain TEXT    NOT NULL,   -- the case reference; '' for the administrators' log
    seq   INTEGER NOT NULL,
    hash  BLOB    NOT NULL,
    PRIMARY KEY (log, chain)
);

-- Entries written before the chains began are not covered: each log's
-- entries up to after_id. Any later entry outside a chain is tampering.
CREATE TABLE log_chain_start (
    log      TEXT PRIMARY KEY,
    after_id INTEGER NOT NULL
);
INSERT INTO log_chain_start (log, after_id) SELECT 'consultations', coalesce(max(id), 0) FROM consultations;
INSERT INTO log_chain_start (log, after_id) SELECT 'admin_actions', coalesce(max(id), 0) FROM admin_actions;
CREATE TRIGGER log_chain_start_no_update BEFORE UPDATE ON log_chain_start
BEGIN SELECT RAISE(ABORT, 'log_chain_start is fixed'); END;
CREATE TRIGGER log_chain_start_no_delete BEFORE DELETE ON log_chain_start
BEGIN SELECT RAISE(ABORT, 'log_chain_start is fixed'); END;
