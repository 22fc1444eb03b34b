-- Content checksum of a version: sha256 over a canonical text of its rows (JSON per row; summary
-- rows in key order, rejects in the order of their own text), so it depends on the values only,
-- never on file layout, thread count or row-group size.
-- Splices: {{data}}, {{rejects}} quoted globs. Grain: one row.
SELECT sha256(
  'summary' || chr(10)
  || coalesce((SELECT string_agg(to_json(s)::VARCHAR, chr(10) ORDER BY s.merchant_id, s.currency)
               FROM read_parquet({{data}}, hive_partitioning = false) s), '')
  || chr(10) || 'rejects' || chr(10)
  || coalesce((SELECT string_agg(j, chr(10) ORDER BY j)
               FROM (SELECT to_json(r)::VARCHAR AS j FROM read_parquet({{rejects}}, hive_partitioning = false) r)), '')
) AS content_checksum,
(SELECT count(*) FROM read_parquet({{data}}, hive_partitioning = false))::BIGINT AS row_count,
(SELECT count(*) FROM read_parquet({{rejects}}, hive_partitioning = false))::BIGINT AS reject_count;
