-- Each case's facts narrowed to what the measures' aggregation reads, in a
-- compact binary form (oversight.Narrow), written with case_facts in the
-- append's transaction, by import and by rebuild (docs/adr/0258): `metrics`
-- reads these rather than the JSON records, 700,000 of which took about
-- 200,000 pages. A rowid table (unlike case_facts) so that its pages hold
-- many rows and a scan in rowid order reads only them; the primary key's
-- index is for the append's delete of the case's row. A database that had
-- cases before this migration gets their rows from `throughline rebuild`;
-- until then `metrics` reads the JSON records and says so.
CREATE TABLE case_facts_narrow (
    case_ref TEXT PRIMARY KEY,
    facts    BLOB NOT NULL
);
