-- armstrace schema for PostgreSQL, version 4: the counters that say whether the transfer
-- records are current (as the SQLite series' 0004).
CREATE TABLE store_state (
    key   TEXT COLLATE "C" PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO store_state (key, value)
    VALUES ('inputs_version', (SELECT (count(*) > 0)::int FROM documents)), ('records_version', 0);
