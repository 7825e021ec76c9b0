-- The index of unsealed cases (0116) was partial, on version <> sealed_version.
-- PostgreSQL cannot estimate a comparison of two columns, takes nearly every
-- case to match it, and so never used the index: audit verify
-- --since-checkpoint read all 700,000 cases of the national set (1.1 s) to
-- find the few that moved. An index on the comparison itself gives ANALYZE
-- statistics for it (gathered here, then by autovacuum), and with them the planner
-- reads the moved cases from the index. SQLite plans the partial index and
-- keeps it.
DROP INDEX cases_unsealed;
CREATE INDEX cases_unsealed ON cases ((version <> sealed_version));
ANALYZE cases;
