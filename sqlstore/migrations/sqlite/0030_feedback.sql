-- Victims' feedback from the portal after a key stage (charge, verdict,
-- sentence): how well they were kept informed, 1 to 5, and an optional
-- comment sealed under the case key (erasing the case erases it). One
-- answer per victim and stage; append-only.
CREATE TABLE portal_feedback (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    case_ref       TEXT    NOT NULL,
    complainant_id TEXT    NOT NULL,
    stage          TEXT    NOT NULL,   -- charge, verdict, sentence
    rating         INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment_sealed BLOB,               -- NULL: no comment
    given_at       TEXT    NOT NULL,
    UNIQUE (case_ref, complainant_id, stage)
);
CREATE TRIGGER portal_feedback_no_update BEFORE UPDATE ON portal_feedback
BEGIN SELECT RAISE(ABORT, 'portal_feedback is append-only'); END;
CREATE TRIGGER portal_feedback_no_delete BEFORE DELETE ON portal_feedback
BEGIN SELECT RAISE(ABORT, 'portal_feedback is append-only'); END;
