-- (merchant_id, currency, customer_ref) of a scan task's accepted charges (merchant_id and
-- currency are the account's), with the reduce partition each goes to. One row per (source,
-- account, customer) of the pre-aggregate, not deduplicated per key here: the reduce counts
-- DISTINCT customers anyway, and a key almost always has one account in one source (with a
-- DISTINCT: 62-68 ms against 54-62 ms per 10m task, measured warm).
-- Splices: {{partitions}}, {{salts}} integers, {{order_by_part}} (classify.ts: sorted by
-- partition only when there are several). Tables: shard_pre, accounts.
-- Grain: one row per (source_no, account, customer_ref) with accepted charges.
SELECT customer_partition(a.merchant_id, a.currency, p.charge_customer, {{partitions}}, {{salts}}) AS part,
       a.merchant_id, a.currency, p.charge_customer AS customer_ref
FROM shard_pre p
JOIN accounts a ON a.rowid = p.account_row
WHERE p.charge_customer IS NOT NULL
{{order_by_part}}
