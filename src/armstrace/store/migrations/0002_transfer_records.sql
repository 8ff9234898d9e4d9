-- armstrace schema, version 2: materialised transfer records, SIPRI deals, document signatures.
-- Transfer records are recomputed from the claims by armstrace.kb.records.refresh_records; the
-- filterable fields are columns, the whole record is `body` (the JSON of TransferRecord.to_dict).

CREATE TABLE transfer_records (
    id                  TEXT PRIMARY KEY,
    supplier            TEXT COLLATE NOCASE,
    recipient           TEXT COLLATE NOCASE,
    category            TEXT NOT NULL,
    status              TEXT NOT NULL,
    first_seen          TEXT,
    last_seen           TEXT,
    support             INTEGER NOT NULL,
    independent_sources INTEGER NOT NULL,
    confidence          REAL NOT NULL,
    embargo             INTEGER NOT NULL DEFAULT 0,
    body                TEXT NOT NULL
);
-- Listing is by last_seen, newest first; the undated sort last (`last_seen IS NULL` first key).
CREATE INDEX transfer_records_order ON transfer_records (last_seen IS NULL, last_seen DESC, id);
CREATE INDEX transfer_records_pair ON transfer_records (supplier, recipient);
CREATE INDEX transfer_records_recipient ON transfer_records (recipient);
CREATE INDEX transfer_records_category ON transfer_records (category);
CREATE INDEX transfer_records_status ON transfer_records (status);

-- Which record each claim supports or denies, to answer "where did this claim go?".
CREATE TABLE record_claims (
    record_id TEXT NOT NULL REFERENCES transfer_records (id) ON DELETE CASCADE,
    claim_id  TEXT NOT NULL,
    role      TEXT NOT NULL CHECK (role IN ('support', 'denial')),
    PRIMARY KEY (record_id, claim_id)
);
CREATE INDEX record_claims_claim ON record_claims (claim_id);

-- Deals imported from a SIPRI trade-register export (`armstrace import-sipri`); `body` is JSON.
CREATE TABLE sipri_deals (
    id        TEXT PRIMARY KEY,
    supplier  TEXT COLLATE NOCASE,
    recipient TEXT COLLATE NOCASE,
    body      TEXT NOT NULL
);
CREATE INDEX sipri_deals_pair ON sipri_deals (supplier, recipient);

-- MinHash signatures of document texts, computed once, for near-duplicate detection.
CREATE TABLE document_signatures (
    document_id TEXT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    signature   TEXT NOT NULL
);
