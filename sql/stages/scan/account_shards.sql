-- The shards of a run: those the account directory names. Tables: accounts.
-- Grain: one row per shard id.
SELECT DISTINCT shard_id FROM accounts ORDER BY shard_id;
