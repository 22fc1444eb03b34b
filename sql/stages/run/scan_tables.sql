-- Scan outputs the assembly and the assertions read: per-shard flags and row counts (from the
-- shard tasks' results) and every shard's totals.
-- Splices: {{sums}} quoted list of shard sums files.
CREATE OR REPLACE TEMP TABLE shard_flags (shard_id VARCHAR, item VARCHAR);
CREATE OR REPLACE TEMP TABLE scan_stats (shard_id VARCHAR, rows_read BIGINT, accepted BIGINT,
  rejected BIGINT, excluded BIGINT, duplicates_removed BIGINT);
CREATE OR REPLACE TEMP VIEW shard_sums AS SELECT * FROM read_parquet({{sums}}, hive_partitioning = false);
