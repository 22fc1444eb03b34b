-- What the content checksum of a version hashes: the sha256 of each row's canonical JSON, summary
-- rows in key order, rejects in the order of their own row hash, each list concatenated. The
-- checksum is sha256('summary' LF <summary hashes> LF 'rejects' LF <reject hashes>), taken in Node
-- (publish.ts: its SHA-256 is several times faster than DuckDB's on one long string). It depends
-- on the values only, never on file layout, thread count or row-group size.
-- Splices: {{data}}, {{rejects}} quoted globs. Grain: one row.
SELECT coalesce((SELECT string_agg(sha256(to_json(s)::VARCHAR), '' ORDER BY s.merchant_id, s.currency)
                 FROM read_parquet({{data}}, hive_partitioning = false) s), '') AS summary_hashes,
       coalesce((SELECT string_agg(h, '' ORDER BY h)
                 FROM (SELECT sha256(to_json(r)::VARCHAR) AS h
                       FROM read_parquet({{rejects}}, hive_partitioning = false) r)), '') AS reject_hashes,
       (SELECT count(*) FROM read_parquet({{data}}, hive_partitioning = false))::BIGINT AS row_count,
       (SELECT count(*) FROM read_parquet({{rejects}}, hive_partitioning = false))::BIGINT AS reject_count;
