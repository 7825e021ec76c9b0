-- Victims' feedback from the portal after a key stage (charge, verdict,
-- sentence): how well they were kept informed, 1 to 5, and an optional
-- comment sealed under the case key (erasing the case erases it). One
-- answer per victim and stage; append-only.
CREATE TABLE portal_feedback (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_ref       TEXT    NOT NULL,
    complainant_id TEXT    NOT NULL,
    stage          TEXT    NOT NULL,   -- charge, verdict, sentence
    rating         INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment_sealed BYTEA,              -- NULL: no comment
    given_at       TEXT    NOT NULL,
    UNIQUE (case_ref, complainant_id, stage)
);
CREATE TRIGGER portal_feedback_append_only BEFORE UPDATE OR DELETE ON portal_feedback
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER portal_feedback_no_truncate BEFORE TRUNCATE ON portal_feedback
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
