-- A case-file review's questions and its reviewers' answers and findings
-- (docs/adr/0254). Never changed: a later answer to the same question
-- stands instead; each is also entered in the chained administrators' log.
CREATE TABLE case_review_questions (
    review_id TEXT    NOT NULL REFERENCES case_reviews (id),
    seq       INTEGER NOT NULL,
    text      TEXT    NOT NULL,
    PRIMARY KEY (review_id, seq)
);
CREATE TABLE case_review_answers (
    id        TEXT    PRIMARY KEY,
    review_id TEXT    NOT NULL REFERENCES case_reviews (id),
    case_ref  TEXT    NOT NULL,
    seq       INTEGER NOT NULL,
    user_id   TEXT    NOT NULL,
    answer    TEXT    NOT NULL CHECK (answer IN ('yes', 'partly', 'no', 'not_applicable')),
    finding   TEXT    NOT NULL,
    at        TEXT    NOT NULL
);
CREATE INDEX case_review_answers_review ON case_review_answers (review_id, case_ref, seq, at);
CREATE TRIGGER case_review_questions_never_changed BEFORE UPDATE OR DELETE ON case_review_questions
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER case_review_questions_no_truncate BEFORE TRUNCATE ON case_review_questions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER case_review_answers_never_changed BEFORE UPDATE OR DELETE ON case_review_answers
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER case_review_answers_no_truncate BEFORE TRUNCATE ON case_review_answers
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
