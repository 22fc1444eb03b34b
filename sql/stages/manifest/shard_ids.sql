-- The shards of a run: those the account directory names.
-- Splices: {{accounts}} quoted path of accounts.parquet. Grain: one row per shard id.
SELECT DISTINCT shard_id
FROM read_parquet({{accounts}}, hive_partitioning = false)
ORDER BY shard_id;
