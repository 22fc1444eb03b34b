-- Every shard's rejected rows in one deterministic order.
-- Splices: {{rejects}} quoted list of shard reject files. Grain: one row per rejected ledger row.
SELECT *
FROM read_parquet({{rejects}}, hive_partitioning = false)
ORDER BY file, seq, entry_id, reject_reason
