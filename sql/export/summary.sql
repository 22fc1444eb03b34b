-- A published version's rows in published order, money in minor units as stored.
-- Splices: {{data}} quoted glob. Grain: one row per (merchant_id, currency).
SELECT *
FROM read_parquet({{data}}, hive_partitioning = false)
ORDER BY merchant_id, currency
