-- armstrace schema for PostgreSQL, version 3: transit and route of each record as columns (JSON
-- arrays of names), and the dashboard's covering indexes (as the SQLite series' 0003). A
-- PostgreSQL store starts at the newest version, so no stored record needs its route copied.
ALTER TABLE transfer_records ADD COLUMN via TEXT NOT NULL DEFAULT '[]';
ALTER TABLE transfer_records ADD COLUMN route TEXT NOT NULL DEFAULT '[]';

DROP INDEX transfer_records_pair;
CREATE INDEX transfer_records_edges ON transfer_records
    (supplier, recipient, category, support, independent_sources, embargo, last_seen, status);
CREATE INDEX transfer_records_routes ON transfer_records
    (supplier, recipient, via, route, support, status);
