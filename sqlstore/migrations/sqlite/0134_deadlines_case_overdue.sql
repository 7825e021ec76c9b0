-- Which of a person's open cases have a duty overdue (the supervisors'
-- workload): the open deadlines of open cases, by case and due date, so
-- that the question is answered from this small index alone (on
-- PostgreSQL, one pass over the country's 17,000 overdue rows of the
-- 700,000-case set, hashed) rather than each case's rows of every deadline.
CREATE INDEX deadlines_case_overdue ON deadlines (case_ref, due) WHERE open = 1 AND live = 1;
