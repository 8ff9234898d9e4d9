-- armstrace schema, version 4: counters that say whether the transfer records are current.
-- `inputs_version` goes up in the transaction of every write that records are built from
-- (a document with its claims, SIPRI deals); `records_version` is the inputs_version that the
-- stored records were built from. They differ after a crash between storing documents and
-- rebuilding records, and the next ingest (or `serve`) rebuilds them. An existing database
-- with documents starts stale, so that its records are rebuilt once under the new rule.
CREATE TABLE store_state (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO store_state (key, value)
    VALUES ('inputs_version', (SELECT count(*) > 0 FROM documents)), ('records_version', 0);
