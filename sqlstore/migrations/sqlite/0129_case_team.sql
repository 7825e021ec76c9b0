-- Who is designated on each case (case_team_changed, folded into the case's
-- Team): the officer in the case, the reviewing prosecutor, the Witness
-- Care officer, the disclosure officer. A projection written with the
-- others from the folded case, so that the case list names the same people
-- as the case page and the victim's portal (docs/adr/0326). The rows of
-- the cases already stored are taken from their folded state here.
CREATE TABLE case_team (
    case_ref TEXT NOT NULL,
    role     TEXT NOT NULL,
    name     TEXT NOT NULL,
    PRIMARY KEY (case_ref, role)
) WITHOUT ROWID;
INSERT INTO case_team (case_ref, role, name)
SELECT c.ref, json_extract(t.value, '$.Role'), json_extract(t.value, '$.Name')
FROM cases c, json_each(c.state, '$.Team') t;
