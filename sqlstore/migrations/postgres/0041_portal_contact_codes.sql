-- A victim changing their email address or mobile number in the portal
-- proves the new one with a code sent to it. One pending change per
-- complainant. The code's hash binds it to the channel and the new
-- address; neither is stored here (the victim's browser carries them).
CREATE TABLE portal_contact_codes (
    case_ref       TEXT    NOT NULL,
    complainant_id TEXT    NOT NULL,
    code_hash      BYTEA    NOT NULL,
    expires_at     TEXT    NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (case_ref, complainant_id)
);
