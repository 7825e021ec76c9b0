-- The oversight measures' roll-up: each case's facts (package oversight's
-- Facts as JSON), a projection written with the others in the append's
-- transaction, by import and by rebuild (docs/adr/0252). A database that
-- had cases before this migration gets their rows from `throughline rebuild`.
CREATE TABLE case_facts (
    case_ref TEXT PRIMARY KEY,
    facts    TEXT NOT NULL
) WITHOUT ROWID;
