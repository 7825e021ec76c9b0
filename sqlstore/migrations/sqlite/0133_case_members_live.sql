-- A case team membership says whether its case is open, as deadlines do
-- (0119, ADR 0324): the supervisors' workload counts each person's open
-- cases, and after ten years most memberships are of closed cases (in the
-- 700,000-case set, 11,700 memberships of West Yorkshire Police's staff, of
-- which 1,000 on open cases), which the workload used to look up one by one
-- or, on PostgreSQL, by hashing every open case in the country.
-- Kept by the store wherever a case closes or reopens and when a member is
-- added (sqlstore/members.go).
ALTER TABLE case_members ADD COLUMN live INTEGER NOT NULL DEFAULT 1;
UPDATE case_members SET live = 0 WHERE case_ref IN (SELECT ref FROM cases WHERE closed_on IS NOT NULL);
CREATE INDEX case_members_live ON case_members (member_kind, member_id, case_ref) WHERE live = 1;
