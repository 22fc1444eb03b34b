-- Skewed (merchant_id, currency) keys: any shard holds more distinct customer tuples for them
-- than the threshold. The decision is global so every shard salts a hot key the same way.
-- Splices: {{sums}} quoted list of every shard's sums.parquet. Params: $threshold.
-- Grain: one row per hot key.
CREATE OR REPLACE TEMP TABLE hot_keys AS
SELECT DISTINCT merchant_id, currency
FROM read_parquet({{sums}}, hive_partitioning = false)
WHERE customer_tuples > $threshold;
