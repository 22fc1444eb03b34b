-- Facts that decide whether each listed segment file of one shard is complete (SPEC section 3).
-- Exact duplicates are rows identical in every column; two rows with the same seq whose row hashes
-- differ are a conflict (a 64-bit collision between two rows of one seq is not a practical risk).
-- Splices: {{files}} quoted list of absolute segment paths.
-- Grain: one row per file; dup_keys lists the (seq, keep_row) of each exactly duplicated seq.
WITH src AS (
  SELECT filename AS file, file_row_number, seq, entry_id,
         hash(entry_id, shard_id, seq, account_id, merchant_id, customer_ref, entry_type,
              amount_minor, currency, event_time, settlement_date) AS row_hash
  FROM read_parquet({{files}}, hive_partitioning = false, filename = true, file_row_number = true)
),
per_seq AS (
  SELECT file, seq,
         count(*) AS copies,
         min(row_hash) = max(row_hash) AS identical,
         min(file_row_number) AS keep_row,
         min(entry_id) AS entry_id
  FROM src
  GROUP BY file, seq
)
SELECT file,
       sum(copies)::BIGINT AS rows_read,
       count(*)::BIGINT AS distinct_seqs,
       coalesce(sum(copies - 1) FILTER (WHERE identical), 0)::BIGINT AS duplicates_removed,
       count(*) FILTER (WHERE NOT identical)::BIGINT AS conflicting_seqs,
       count(*) FILTER (WHERE seq IS NULL)::BIGINT AS null_seqs,
       min(seq) AS min_seq,
       max(seq) AS max_seq,
       count(entry_id)::BIGINT AS seqs_with_entry_id,
       count(DISTINCT entry_id)::BIGINT AS distinct_entry_ids,
       coalesce(list({'seq': seq, 'keep_row': keep_row}) FILTER (WHERE copies > 1 AND identical), []) AS dup_keys
FROM per_seq
GROUP BY file;
