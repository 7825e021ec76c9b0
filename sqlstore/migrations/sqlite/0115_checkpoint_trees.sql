-- A checkpoint's format (package chain): 1 signs its heads hashed in a
-- row; 2 signs the root of a Merkle tree (RFC 6962) over them, so that one
-- head's inclusion can be proved with a short path (audit prove).
ALTER TABLE checkpoints ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
