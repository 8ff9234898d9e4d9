-- armstrace schema for PostgreSQL, version 2: materialised transfer records, SIPRI deals and
-- document signatures (as the SQLite series' 0002).

CREATE TABLE transfer_records (
    id                  TEXT COLLATE "C" PRIMARY KEY,
    supplier            TEXT COLLATE nocase,
    recipient           TEXT COLLATE nocase,
    category            TEXT COLLATE "C" NOT NULL,
    status              TEXT COLLATE "C" NOT NULL,
    first_seen          TEXT COLLATE "C",
    last_seen           TEXT COLLATE "C",
    support             INTEGER NOT NULL,
    independent_sources INTEGER NOT NULL,
    confidence          DOUBLE PRECISION NOT NULL,
    embargo             INTEGER NOT NULL DEFAULT 0,
    body                TEXT NOT NULL
);
CREATE INDEX transfer_records_order ON transfer_records ((last_seen IS NULL), last_seen DESC, id);
CREATE INDEX transfer_records_pair ON transfer_records (supplier, recipient);
CREATE INDEX transfer_records_recipient ON transfer_records (recipient);
CREATE INDEX transfer_records_category ON transfer_records (category);
CREATE INDEX transfer_records_status ON transfer_records (status);

CREATE TABLE record_claims (
    record_id TEXT COLLATE "C" NOT NULL REFERENCES transfer_records (id) ON DELETE CASCADE,
    claim_id  TEXT COLLATE "C" NOT NULL,
    role      TEXT NOT NULL CHECK (role IN ('support', 'denial')),
    PRIMARY KEY (record_id, claim_id)
);
CREATE INDEX record_claims_claim ON record_claims (claim_id);

CREATE TABLE sipri_deals (
    id        TEXT COLLATE "C" PRIMARY KEY,
    supplier  TEXT COLLATE nocase,
    recipient TEXT COLLATE nocase,
    body      TEXT NOT NULL
);
CREATE INDEX sipri_deals_pair ON sipri_deals (supplier, recipient);

CREATE TABLE document_signatures (
    document_id TEXT COLLATE "C" PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    signature   TEXT NOT NULL
);
