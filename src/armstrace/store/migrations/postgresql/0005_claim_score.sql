-- armstrace schema for PostgreSQL, version 5: the learned claim score, 0-1, or NULL (as the
-- SQLite series' 0005). Double precision, so that a score reads back exactly as it was stored.
ALTER TABLE claims ADD COLUMN score DOUBLE PRECISION;
