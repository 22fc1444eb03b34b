-- Distinct (merchant_id, currency, customer_ref) of a scan task's accepted charges, with the
-- reduce partition each goes to. Splices: {{partitions}}, {{salts}} integers,
-- {{order_by_part}} (classify.ts: sorted by partition only when there are several).
-- Tables: shard_pre. Grain: one row per distinct tuple.
SELECT DISTINCT customer_partition(merchant_id, currency, charge_customer, {{partitions}}, {{salts}}) AS part,
       merchant_id, currency, charge_customer AS customer_ref
FROM shard_pre
WHERE reject_reason IS NULL AND charge_customer IS NOT NULL
{{order_by_part}}
