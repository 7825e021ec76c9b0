-- Every case's version, which the measures dashboard reads whenever the log
-- has moved to learn which cases changed (sqlstore.CaseVersions), from an
-- index that holds nothing else: reading them from the cases rows, which
-- carry each case's folded state, took 5 s at 700,000 cases
-- (docs/benchmarks.md, docs/adr/0256). PostgreSQL answers the query from
-- this index alone (an index-only scan) once it knows the table is larger
-- than the index: ANALYZE gives it that here, then autovacuum, which also
-- keeps the pages visible so that the scan need not visit the rows.
CREATE INDEX cases_ref_version ON cases (ref, version);
ANALYZE cases;
