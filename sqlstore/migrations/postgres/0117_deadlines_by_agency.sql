-- A supervisor's lists read their force's or CPS area's open deadlines by due
-- date (the today page's overdue duties and custody time limits): led by the
-- force or the area, they go straight to them rather than through every
-- open deadline in the country (docs/benchmarks.md, the today page).
CREATE INDEX deadlines_force_open_due ON deadlines (force, open, due);
CREATE INDEX deadlines_area_open_due ON deadlines (cps_area, open, due);
