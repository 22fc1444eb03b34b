-- Kept rows (accepted + rejected) and distinct customer tuples of one shard.
-- Tables: shard_pre. Grain: one row.
SELECT coalesce(sum(entry_count), 0)::BIGINT AS kept, count(charge_customer)::BIGINT AS tuples
FROM shard_pre;
