-- The account directory every shard task joins against.
-- Splices: {{accounts}} quoted path of accounts.parquet. Grain: one row per account listing.
CREATE OR REPLACE TEMP TABLE accounts AS
SELECT account_id::VARCHAR AS account_id, merchant_id::VARCHAR AS merchant_id,
       shard_id::VARCHAR AS shard_id, currency::VARCHAR AS currency
FROM read_parquet({{accounts}}, hive_partitioning = false);
