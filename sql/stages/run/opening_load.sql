-- Closing balances of the pinned opening version (the previous settlement date).
-- Splices: {{data}} quoted glob of the version's data files. Grain: one row per (merchant, currency).
CREATE OR REPLACE TEMP TABLE opening AS
SELECT merchant_id, currency, available_balance, holds_balance, reserve_balance
FROM read_parquet({{data}}, hive_partitioning = false);
