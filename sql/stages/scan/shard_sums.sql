-- Per (merchant_id, currency) totals of one shard: accepted money by entry type, rejected rows
-- counted on the row's own merchant_id and currency, and the shard's distinct customer tuples
-- (the salting signal). Amounts stay HUGEINT until the published row is cast to BIGINT.
-- Tables: shard_pre. Grain: one row per (merchant_id, currency) seen by the shard.
SELECT merchant_id, currency,
       sum(entry_count) FILTER (WHERE reject_reason IS NULL) AS entry_count,
       sum(entry_count) FILTER (WHERE reject_reason IS NOT NULL) AS rejected_entries,
       sum(charge_count) FILTER (WHERE reject_reason IS NULL) AS charge_count,
       sum(chargeback_count) FILTER (WHERE reject_reason IS NULL) AS chargeback_count,
       sum(failed_payout_count) FILTER (WHERE reject_reason IS NULL) AS failed_payout_count,
       sum(COLUMNS(c -> c LIKE '%\_amount' ESCAPE '\')) FILTER (WHERE reject_reason IS NULL),
       count(charge_customer) AS customer_tuples
FROM shard_pre
GROUP BY merchant_id, currency
ORDER BY merchant_id, currency;
