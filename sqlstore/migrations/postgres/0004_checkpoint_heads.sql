-- The case heads each signed checkpoint seals: every case whose head moved
-- since the checkpoint before (every case, for the first). With them a
-- checkpoint can be checked against the log case by case, and taking one
-- reads only what changed.
CREATE TABLE checkpoint_heads (
    checkpoint_id BIGINT NOT NULL,
    case_ref      TEXT   NOT NULL,
    version       BIGINT NOT NULL,
    hash          BYTEA  NOT NULL,
    PRIMARY KEY (checkpoint_id, case_ref)
);
CREATE INDEX checkpoint_heads_case ON checkpoint_heads (case_ref, version);
CREATE TRIGGER checkpoint_heads_append_only BEFORE UPDATE OR DELETE ON checkpoint_heads
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER checkpoint_heads_no_truncate BEFORE TRUNCATE ON checkpoint_heads
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
