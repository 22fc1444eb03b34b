-- Distinct (merchant_id, currency, customer_ref) of one shard's accepted charges.
-- Tables: shard_pre. Grain: one row per distinct tuple.
SELECT merchant_id, currency, charge_customer AS customer_ref
FROM shard_pre
WHERE reject_reason IS NULL AND charge_customer IS NOT NULL;
