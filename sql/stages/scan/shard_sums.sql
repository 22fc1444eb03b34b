-- Per (merchant_id, currency) totals of one shard: accepted money and counts by entry type,
-- rejected rows counted on the row's own merchant_id and currency. Sums are written as
-- DECIMAL(38, 0): exact 128-bit integers in Parquet (a HUGEINT column would be written as DOUBLE
-- and round above 2^53). Each row carries the reduce partition of its key; sorted by it.
-- Splices: {{partitions}} integer. Tables: shard_pre. Grain: one row per (merchant_id, currency) seen by the shard.
SELECT key_partition(merchant_id, currency, {{partitions}}) AS part, merchant_id, currency,
       COLUMNS(* EXCLUDE (merchant_id, currency))::DECIMAL(38, 0)
FROM (
SELECT merchant_id, currency,
       coalesce(sum(entry_count) FILTER (WHERE reject_reason IS NULL), 0) AS entry_count,
       coalesce(sum(entry_count) FILTER (WHERE reject_reason IS NOT NULL), 0) AS rejected_entries,
       coalesce(sum(entry_count) FILTER (WHERE reject_reason IS NULL AND entry_type = 'charge'), 0) AS charge_count,
       coalesce(sum(entry_count) FILTER (WHERE reject_reason IS NULL AND entry_type = 'chargeback'), 0) AS chargeback_count,
       coalesce(sum(entry_count) FILTER (WHERE reject_reason IS NULL AND entry_type = 'payout_failed'), 0) AS failed_payout_count,
       coalesce(sum(amount) FILTER (WHERE reject_reason IS NULL AND entry_type = 'charge'), 0) AS charge_amount,
       coalesce(sum(amount) FILTER (WHERE reject_reason IS NULL AND entry_type = 'refund'), 0) AS refund_amount,
       coalesce(sum(amount) FILTER (WHERE reject_reason IS NULL AND entry_type = 'chargeback'), 0) AS chargeback_amount,
       coalesce(sum(amount) FILTER (WHERE reject_reason IS NULL AND entry_type = 'chargeback_reversal'), 0) AS chargeback_reversal_amount,
       coalesce(sum(amount) FILTER (WHERE reject_reason IS NULL AND entry_type = 'fee'), 0) AS fee_amount,
       coalesce(sum(amount) FILTER (WHERE reject_reason IS NULL AND entry_type = 'payout'), 0) AS payout_amount,
       coalesce(sum(amount) FILTER (WHERE reject_reason IS NULL AND entry_type = 'payout_failed'), 0) AS payout_failed_amount,
       coalesce(sum(amount) FILTER (WHERE reject_reason IS NULL AND entry_type = 'hold'), 0) AS hold_amount,
       coalesce(sum(amount) FILTER (WHERE reject_reason IS NULL AND entry_type = 'hold_release'), 0) AS hold_release_amount,
       coalesce(sum(amount) FILTER (WHERE reject_reason IS NULL AND entry_type = 'reserve'), 0) AS reserve_amount,
       coalesce(sum(amount) FILTER (WHERE reject_reason IS NULL AND entry_type = 'reserve_release'), 0) AS reserve_release_amount,
       coalesce(sum(amount) FILTER (WHERE reject_reason IS NULL AND entry_type = 'adjustment_credit'), 0) AS adjustment_credit_amount,
       coalesce(sum(amount) FILTER (WHERE reject_reason IS NULL AND entry_type = 'adjustment_debit'), 0) AS adjustment_debit_amount
FROM shard_pre
GROUP BY merchant_id, currency
)
ORDER BY part, merchant_id, currency;
