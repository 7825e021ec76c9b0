-- Each case's facts narrowed to what the measures' aggregation reads, in a
-- compact binary form (oversight.Narrow), written with case_facts in the
-- append's transaction, by import and by rebuild (docs/adr/0258): `metrics`
-- reads these rather than the JSON records. A database that had cases
-- before this migration gets their rows from `throughline rebuild`; until
-- then `metrics` reads the JSON records and says so.
CREATE TABLE case_facts_narrow (
    case_ref TEXT PRIMARY KEY,
    facts    BYTEA NOT NULL
);
