-- Exact duplicates to drop while classifying, from the validate tasks' dup_keys.parquet files.
-- Splices: {{dup_keys}} quoted path of one shard's file. Grain: one row per duplicated (file, seq).
CREATE OR REPLACE TEMP TABLE scan_dup_keys AS
SELECT file, seq, keep_row FROM read_parquet({{dup_keys}}, hive_partitioning = false);
