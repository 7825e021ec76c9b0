-- The case heads each signed checkpoint seals: every case whose head moved
-- since the checkpoint before (every case, for the first). With them a
-- checkpoint can be checked against the log case by case, and taking one
-- reads only what changed.
CREATE TABLE checkpoint_heads (
    checkpoint_id INTEGER NOT NULL,
    case_ref      TEXT    NOT NULL,
    version       INTEGER NOT NULL,
    hash          BLOB    NOT NULL,
    PRIMARY KEY (checkpoint_id, case_ref)
);
CREATE INDEX checkpoint_heads_case ON checkpoint_heads (case_ref, version);
CREATE TRIGGER checkpoint_heads_no_update BEFORE UPDATE ON checkpoint_heads
BEGIN SELECT RAISE(ABORT, 'checkpoint_heads is append-only'); END;
CREATE TRIGGER checkpoint_heads_no_delete BEFORE DELETE ON checkpoint_heads
BEGIN SELECT RAISE(ABORT, 'checkpoint_heads is append-only'); END;
