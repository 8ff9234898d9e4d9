-- armstrace schema, version 6: what `armstrace watch` keeps between runs, and declarations
-- imported from the UN Register of Conventional Arms (`armstrace import-unroca`).

-- One row per watched feed: its validators, failure count and next try; `body` is the JSON of
-- armstrace.watch.state.FeedState, the columns are for listing failing feeds.
CREATE TABLE feed_state (
    url          TEXT PRIMARY KEY,
    status       TEXT NOT NULL,
    failures     REAL NOT NULL DEFAULT 0,
    last_success TEXT,
    next_attempt TEXT,
    body         TEXT NOT NULL
);

-- Every feed entry met: by its key (feed URL + guid) and its canonical URL, so that a story is
-- fetched once however many feeds carry it. The feed's date is kept beside the page's.
CREATE TABLE feed_entries (
    key         TEXT PRIMARY KEY,
    url         TEXT NOT NULL,
    feed_url    TEXT NOT NULL,
    document_id TEXT,
    feed_date   TEXT,
    page_date   TEXT,
    status      TEXT NOT NULL,
    seen_at     TEXT NOT NULL
);
CREATE INDEX feed_entries_url ON feed_entries (url);

-- What the alert rules last saw of each transfer record (status, claims, denials, sources),
-- to tell new records and changes apart from what was already alerted.
CREATE TABLE record_snapshots (
    record_id TEXT PRIMARY KEY,
    body      TEXT NOT NULL
);

-- Alerts, each stored once (its id is derived from rule, record and change), and their
-- delivery to each channel: a row stays pending until the channel took it.
CREATE TABLE alerts (
    id         TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    body       TEXT NOT NULL
);
CREATE TABLE alert_deliveries (
    alert_id     TEXT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    channel      TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    delivered_at TEXT,
    last_error   TEXT,
    PRIMARY KEY (alert_id, channel)
);
CREATE INDEX alert_deliveries_pending ON alert_deliveries (channel, delivered_at);

-- Transfers declared to UNROCA, one row per report line, the exporter's and the importer's
-- reports kept apart (`reporter`); `body` is the JSON of armstrace.kb.unroca.Declaration.
CREATE TABLE declared_transfers (
    id       TEXT PRIMARY KEY,
    exporter TEXT COLLATE NOCASE,
    importer TEXT COLLATE NOCASE,
    year     INTEGER NOT NULL,
    category TEXT NOT NULL,
    reporter TEXT NOT NULL,
    body     TEXT NOT NULL
);
CREATE INDEX declared_transfers_pair ON declared_transfers (exporter, importer);
