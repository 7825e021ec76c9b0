-- Closed cases are in no work list. Their deadlines stay as they were (the
-- case page and the measures read them), but a row says whether its case is
-- still open, so that the supervisors' lists go straight to the open cases'
-- deadlines: of West Yorkshire's 6,580 open overdue deadlines in the
-- 700,000-case set, 627 are of open cases, and the lists used to look up
-- each row's case to find them (docs/benchmarks.md, the today page).
-- Written by the projection with the case's other rows (sqlstore/projection.go).
ALTER TABLE deadlines ADD COLUMN live INTEGER NOT NULL DEFAULT 1;
UPDATE deadlines SET live = 0 WHERE case_ref IN (SELECT ref FROM cases WHERE closed_on IS NOT NULL);
-- Partial, so they hold only what the lists read; open and live are among
-- the columns too, or SQLite prefers deadlines_force_open_due (two equalities
-- to this one's one) and reads the closed cases' rows after all; rule and
-- owner last, so that the lists of some rules (custody time limits, action
-- plan items) are filtered in the index before any row is read.
CREATE INDEX deadlines_force_live_due ON deadlines (force, open, live, due, rule, owner) WHERE open = 1 AND live = 1;
CREATE INDEX deadlines_area_live_due ON deadlines (cps_area, open, live, due, rule, owner) WHERE open = 1 AND live = 1;
