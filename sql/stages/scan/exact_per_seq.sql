-- Exact check of the segment files the fingerprint did not clear: rows grouped by (file, seq).
-- Exact duplicates are rows identical in every column; two rows with the same seq whose row hashes
-- differ are a conflict (a 64-bit collision between two rows of one seq is not a practical risk).
-- Splices: {{files}} quoted list of absolute segment paths. Grain: one row per (file, seq).
CREATE OR REPLACE TEMP TABLE exact_per_seq AS
WITH src AS (
  SELECT filename AS file, file_row_number, seq, entry_id,
         hash(entry_id, shard_id, seq, account_id, merchant_id, customer_ref, entry_type,
              amount_minor, currency, event_time, settlement_date) AS row_hash
  FROM read_parquet({{files}}, hive_partitioning = false, filename = true, file_row_number = true)
)
SELECT file, seq,
       count(*) AS copies,
       min(row_hash) = max(row_hash) AS identical,
       min(file_row_number) AS keep_row,
       min(entry_id) AS entry_id
FROM src
GROUP BY file, seq;
