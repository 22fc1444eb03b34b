-- Content checksum of a version, algorithm json-rows-v1 (every version published before
-- text-rows-v2; verify and the same-id no-op recompute it for them): sha256 over the sha256 of
-- each row's canonical JSON (summary rows
-- in key order, rejects in the order of their own row hash), so it depends on the values only,
-- never on file layout, thread count or row-group size. Hashing rows first keeps the final,
-- single-threaded digest small.
-- Splices: {{data}}, {{rejects}} quoted globs. Grain: one row.
SELECT sha256(
  'summary' || chr(10)
  || coalesce((SELECT string_agg(sha256(to_json(s)::VARCHAR), '' ORDER BY s.merchant_id, s.currency)
               FROM read_parquet({{data}}, hive_partitioning = false) s), '')
  || chr(10) || 'rejects' || chr(10)
  || coalesce((SELECT string_agg(h, '' ORDER BY h)
               FROM (SELECT sha256(to_json(r)::VARCHAR) AS h FROM read_parquet({{rejects}}, hive_partitioning = false) r)), '')
) AS content_checksum,
(SELECT count(*) FROM read_parquet({{data}}, hive_partitioning = false))::BIGINT AS row_count,
(SELECT count(*) FROM read_parquet({{rejects}}, hive_partitioning = false))::BIGINT AS reject_count;
