-- armstrace schema, version 1: documents, their claims, quotes and notes, and full-text search.
-- Applied by armstrace.store.database inside one transaction; the runner records the version.
-- Dates are ISO 8601 text; list-valued columns are JSON arrays (json.dumps, sort_keys=True).

CREATE TABLE schema_migrations (
    version    INTEGER PRIMARY KEY,
    applied_at TEXT NOT NULL
);

-- `seq` is an explicit INTEGER PRIMARY KEY (the rowid) because the external-content FTS index
-- refers to rows by rowid, and VACUUM may renumber an implicit rowid. `id`, the content id, is
-- the natural key that everything else references.
CREATE TABLE documents (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    url         TEXT,
    title       TEXT,
    published   TEXT,
    outlet      TEXT,
    language    TEXT NOT NULL DEFAULT 'en',
    origin      TEXT,
    text        TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE INDEX documents_name ON documents (name);
CREATE INDEX documents_published ON documents (published);

-- Actor codes compare case-insensitively (as the scorer does), so the index is built NOCASE too.
CREATE TABLE claims (
    id                  TEXT PRIMARY KEY,
    document_id         TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    supplier            TEXT COLLATE NOCASE,
    recipient           TEXT COLLATE NOCASE,
    category            TEXT NOT NULL,
    status              TEXT NOT NULL,
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
    claim_date          TEXT,
    rule                TEXT NOT NULL DEFAULT ''
);
CREATE INDEX claims_document ON claims (document_id);
CREATE INDEX claims_pair ON claims (supplier, recipient);
CREATE INDEX claims_recipient ON claims (recipient);
CREATE INDEX claims_category ON claims (category);
CREATE INDEX claims_status ON claims (status);
CREATE INDEX claims_date ON claims (claim_date);

CREATE TABLE quotes (
    id                  TEXT PRIMARY KEY,
    document_id         TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    text                TEXT NOT NULL,
    start               INTEGER NOT NULL,
    "end"               INTEGER NOT NULL,
    speaker_name        TEXT,
    speaker_title       TEXT,
    speaker_affiliation TEXT
);
CREATE INDEX quotes_document ON quotes (document_id, start);

-- `position` keeps the order in which extraction recorded the notes.
CREATE TABLE notes (
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    note        TEXT NOT NULL,
    PRIMARY KEY (document_id, position)
);

-- External-content index: the text lives once, in `documents`; triggers keep the index in step.
CREATE VIRTUAL TABLE documents_fts USING fts5 (
    title,
    text,
    content = 'documents',
    content_rowid = 'seq',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
END;

CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text)
    VALUES ('delete', old.seq, old.title, old.text);
END;

CREATE TRIGGER documents_fts_update AFTER UPDATE ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text)
    VALUES ('delete', old.seq, old.title, old.text);
    INSERT INTO documents_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
