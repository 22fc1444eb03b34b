-- Distinct (merchant_id, currency, customer_ref) of a scan task's accepted charges (merchant_id
-- and currency are the account's), with the reduce partition each goes to.
-- Splices: {{partitions}}, {{salts}} integers, {{order_by_part}} (classify.ts: sorted by
-- partition only when there are several). Tables: shard_pre, accounts.
-- Grain: one row per distinct tuple.
SELECT DISTINCT customer_partition(a.merchant_id, a.currency, p.charge_customer, {{partitions}}, {{salts}}) AS part,
       a.merchant_id, a.currency, p.charge_customer AS customer_ref
FROM shard_pre p
JOIN accounts a ON a.rowid = p.account_row
WHERE p.charge_customer IS NOT NULL
{{order_by_part}}
