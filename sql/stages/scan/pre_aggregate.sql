-- Shard-local pre-aggregation: one pass over the shard's kept rows, narrow on purpose (a count and
-- a sum per entry type). Accepted charges keep their customer_ref so distinct customers can be
-- counted exactly after the shuffle; everything else folds to (merchant, currency, reason, type).
-- Tables: shard_entries (view). Grain: one row per (merchant_id, currency, reject_reason,
-- entry_type, charge_customer).
CREATE OR REPLACE TEMP TABLE shard_pre AS
SELECT merchant_id, currency, reject_reason, entry_type,
       CASE WHEN reject_reason IS NULL AND entry_type = 'charge' THEN customer_ref END AS charge_customer,
       count(*) AS entry_count,
       coalesce(sum(amount_minor), 0) AS amount
FROM shard_entries
GROUP BY ALL;
