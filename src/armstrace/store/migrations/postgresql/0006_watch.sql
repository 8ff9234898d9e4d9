-- armstrace schema for PostgreSQL, version 6: what `armstrace watch` keeps between runs, and
-- declarations imported from the UN Register of Conventional Arms (as the SQLite series' 0006).

CREATE TABLE feed_state (
    url          TEXT COLLATE "C" PRIMARY KEY,
    status       TEXT NOT NULL,
    failures     DOUBLE PRECISION NOT NULL DEFAULT 0,
    last_success TEXT COLLATE "C",
    next_attempt TEXT COLLATE "C",
    body         TEXT NOT NULL
);

CREATE TABLE feed_entries (
    key         TEXT COLLATE "C" PRIMARY KEY,
    url         TEXT COLLATE "C" NOT NULL,
    feed_url    TEXT NOT NULL,
    document_id TEXT COLLATE "C",
    feed_date   TEXT COLLATE "C",
    page_date   TEXT COLLATE "C",
    status      TEXT NOT NULL,
    seen_at     TEXT COLLATE "C" NOT NULL
);
CREATE INDEX feed_entries_url ON feed_entries (url);

CREATE TABLE record_snapshots (
    record_id TEXT COLLATE "C" PRIMARY KEY,
    body      TEXT NOT NULL
);

CREATE TABLE alerts (
    id         TEXT COLLATE "C" PRIMARY KEY,
    created_at TEXT COLLATE "C" NOT NULL,
    body       TEXT NOT NULL
);
CREATE TABLE alert_deliveries (
    alert_id     TEXT COLLATE "C" NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    channel      TEXT COLLATE "C" NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    delivered_at TEXT COLLATE "C",
    last_error   TEXT,
    PRIMARY KEY (alert_id, channel)
);
CREATE INDEX alert_deliveries_pending ON alert_deliveries (channel, delivered_at);

CREATE TABLE declared_transfers (
    id       TEXT COLLATE "C" PRIMARY KEY,
    exporter TEXT COLLATE nocase,
    importer TEXT COLLATE nocase,
    year     INTEGER NOT NULL,
    category TEXT COLLATE "C" NOT NULL,
    reporter TEXT NOT NULL,
    body     TEXT NOT NULL
);
CREATE INDEX declared_transfers_pair ON declared_transfers (exporter, importer);
