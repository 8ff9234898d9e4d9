-- armstrace schema for PostgreSQL, version 1: documents, their claims, quotes and notes, and
-- full-text search. The same tables and columns as the SQLite series one level up (version N
-- means the same schema on both); applied by armstrace.store.database in one transaction.
-- Dates are ISO 8601 text on both databases; list-valued columns are JSON arrays as text.
-- Ids and dates compare bytewise (COLLATE "C"), as SQLite's BINARY does, so that id prefixes are
-- index ranges; actor codes compare case-insensitively (`nocase`), as SQLite's NOCASE does.

CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

CREATE TABLE schema_migrations (
    version    INTEGER PRIMARY KEY,
    applied_at TEXT NOT NULL
);

-- `seq` keeps the order of storing; `search` is the full-text index of title and text (without
-- positions, so that a long document stays under the 1 MB limit of a tsvector).
CREATE TABLE documents (
    seq         BIGSERIAL PRIMARY KEY,
    id          TEXT COLLATE "C" NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    url         TEXT,
    title       TEXT,
    published   TEXT COLLATE "C",
    outlet      TEXT,
    language    TEXT NOT NULL DEFAULT 'en',
    origin      TEXT,
    text        TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    search      tsvector GENERATED ALWAYS AS (
        setweight(strip(to_tsvector('english'::regconfig, coalesce(title, ''))), 'A')
        || strip(to_tsvector('english'::regconfig, left(text, 400000)))
    ) STORED
);
CREATE INDEX documents_name ON documents (name);
CREATE INDEX documents_published ON documents (published);
CREATE INDEX documents_search ON documents USING gin (search);

CREATE TABLE claims (
    id                  TEXT COLLATE "C" PRIMARY KEY,
    document_id         TEXT COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    supplier            TEXT COLLATE nocase,
    recipient           TEXT COLLATE nocase,
    category            TEXT COLLATE "C" NOT NULL,
    status              TEXT COLLATE "C" NOT NULL,
    items               TEXT NOT NULL DEFAULT '[]',
    evidence            TEXT NOT NULL,
    evidence_start      INTEGER NOT NULL,
    evidence_end        INTEGER NOT NULL,
    sentence            TEXT NOT NULL DEFAULT '',
    sentence_start      INTEGER NOT NULL DEFAULT 0,
    via                 TEXT NOT NULL DEFAULT '[]',
    route               TEXT NOT NULL DEFAULT '[]',
    source              TEXT,
    speaker_name        TEXT,
    speaker_title       TEXT,
    speaker_affiliation TEXT,
    designations        TEXT NOT NULL DEFAULT '[]',
    quantity            TEXT,
    claim_date          TEXT COLLATE "C",
    rule                TEXT NOT NULL DEFAULT ''
);
CREATE INDEX claims_document ON claims (document_id);
CREATE INDEX claims_pair ON claims (supplier, recipient);
CREATE INDEX claims_recipient ON claims (recipient);
CREATE INDEX claims_category ON claims (category);
CREATE INDEX claims_status ON claims (status);
CREATE INDEX claims_date ON claims (claim_date);

CREATE TABLE quotes (
    id                  TEXT COLLATE "C" PRIMARY KEY,
    document_id         TEXT COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    text                TEXT NOT NULL,
    start               INTEGER NOT NULL,
    "end"               INTEGER NOT NULL,
    speaker_name        TEXT,
    speaker_title       TEXT,
    speaker_affiliation TEXT
);
CREATE INDEX quotes_document ON quotes (document_id, start);

CREATE TABLE notes (
    document_id TEXT COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    note        TEXT NOT NULL,
    PRIMARY KEY (document_id, position)
);
