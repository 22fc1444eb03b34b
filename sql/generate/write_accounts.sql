-- accounts.parquet in the SPEC's columns, sorted by account_id.
-- Tables: gen_accounts. Grain: one row per account.
SELECT account_id, merchant_id, shard_id, currency
FROM gen_accounts
ORDER BY account_id
