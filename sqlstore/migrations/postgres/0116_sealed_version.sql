-- Each case's latest head a checkpoint sealed (its version; 0 when none
-- has), kept on the case row so that what moved since the last checkpoint
-- is read through a small partial index — only the cases whose head is not
-- sealed are in it — rather than by probing every case (audit verify
-- --since-checkpoint). Checkpoint sets it; appends leave it, so a case that
-- moves enters the index by itself.
ALTER TABLE cases ADD COLUMN sealed_version BIGINT NOT NULL DEFAULT 0;
UPDATE cases SET sealed_version = version
    WHERE EXISTS (SELECT 1 FROM checkpoint_heads h WHERE h.case_ref = cases.ref AND h.version = cases.version AND h.hash = cases.head_hash);
CREATE INDEX cases_unsealed ON cases (ref) WHERE version <> sealed_version;
