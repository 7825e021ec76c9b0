-- PostgreSQL's 0128 puts the index of unsealed cases on the comparison
-- version <> sealed_version, which its planner could not estimate as a
-- partial index. SQLite plans the partial index of 0116 and keeps it; this
-- migration is here so that both databases stand at the same schema
-- version, which a backup restored across them requires.
SELECT 1;
