-- Case-file reviews (docs/adr/0254): a sample of closed cases drawn once,
-- its reviewing inspectors, and the window in which they may read its
-- cases. Never changed: the triggers refuse it. Drawing one is also
-- recorded in the chained administrators' log.
CREATE TABLE case_reviews (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    by_what     TEXT NOT NULL,
    per_stratum INTEGER NOT NULL,
    seed        TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    ends_at     TEXT NOT NULL
);
CREATE TABLE case_review_reviewers (
    review_id TEXT NOT NULL REFERENCES case_reviews (id),
    user_id   TEXT NOT NULL,
    PRIMARY KEY (review_id, user_id)
);
CREATE INDEX case_review_reviewers_user ON case_review_reviewers (user_id);
CREATE TABLE case_review_cases (
    review_id TEXT NOT NULL REFERENCES case_reviews (id),
    case_ref  TEXT NOT NULL,
    stratum   TEXT NOT NULL,
    PRIMARY KEY (review_id, case_ref)
);
CREATE INDEX case_review_cases_case ON case_review_cases (case_ref);
CREATE TRIGGER case_reviews_no_update BEFORE UPDATE ON case_reviews
BEGIN SELECT RAISE(ABORT, 'a case-file review is never changed'); END;
CREATE TRIGGER case_reviews_no_delete BEFORE DELETE ON case_reviews
BEGIN SELECT RAISE(ABORT, 'a case-file review is never deleted'); END;
CREATE TRIGGER case_review_cases_no_change BEFORE UPDATE ON case_review_cases
BEGIN SELECT RAISE(ABORT, 'a case-file review is never changed'); END;
CREATE TRIGGER case_review_cases_no_delete BEFORE DELETE ON case_review_cases
BEGIN SELECT RAISE(ABORT, 'a case-file review is never changed'); END;
CREATE TRIGGER case_review_reviewers_no_change BEFORE UPDATE ON case_review_reviewers
BEGIN SELECT RAISE(ABORT, 'a case-file review is never changed'); END;
CREATE TRIGGER case_review_reviewers_no_delete BEFORE DELETE ON case_review_reviewers
BEGIN SELECT RAISE(ABORT, 'a case-file review is never changed'); END;
