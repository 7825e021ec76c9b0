-- The stalled lists of a police supervisor and a CPS manager take their
-- candidates from their force's or area's open cases with no event for 28
-- days, in reference order (attribution.Stalled). Open cases are a tenth of
-- a ten-year record: holding the open cases alone, led by the force or the
-- area, and with every column the list reads, these reach the candidates
-- without reading the case rows, closed or open (docs/benchmarks.md, the
-- today page). closed_on is among the columns so that SQLite takes them
-- over cases_force (force, ref), which orders the same.
CREATE INDEX cases_open_force ON cases (force, closed_on, ref, last_occurred, version, cps_area, stage, reported_on) WHERE closed_on IS NULL;
CREATE INDEX cases_open_area ON cases (cps_area, closed_on, ref, last_occurred, version, force, stage, reported_on) WHERE closed_on IS NULL;
-- Whether a case is open, by its reference, without reading its row (which
-- holds the folded case): the workload's count of each person's open cases.
CREATE INDEX cases_open ON cases (ref, closed_on) WHERE closed_on IS NULL;
