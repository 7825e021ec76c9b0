-- Restricted material (ADR 0402): what a holder sent in answer to a victim
-- information request, and the redacted copies made of it, each sealed
-- with AES-256-GCM under a data key of its own that is stored only wrapped
-- by a key kept outside the database (package envelope). No column holds
-- plaintext: title, holder and content are inside ciphertext. key_id names
-- the key that wrapped the data key, so that rotation finds what it has
-- still to re-wrap. redacted_of is the original of a redacted copy ('' for
-- an original). The event that recorded the row carries the SHA-256 of its
-- ciphertext.
CREATE TABLE restricted_material (
    case_ref    TEXT NOT NULL,
    material_id TEXT NOT NULL,
    redacted_of TEXT NOT NULL DEFAULT '',
    key_id      TEXT NOT NULL,
    wrapped_key BYTEA NOT NULL,
    ciphertext  BYTEA NOT NULL,
    PRIMARY KEY (case_ref, material_id)
);
CREATE INDEX restricted_material_key ON restricted_material (key_id);
