-- Routes one shard's per-key totals to the partition of their key (never salted: one row per key).
-- Splices: {{sums}} quoted path. Params: $partitions. Grain: one row per key, with its partition.
SELECT *, (hash(merchant_id, currency) % $partitions)::INTEGER AS part
FROM read_parquet({{sums}}, hive_partitioning = false)
ORDER BY part
