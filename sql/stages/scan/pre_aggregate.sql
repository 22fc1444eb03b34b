-- Shard-local pre-aggregation: one pass over the shard's kept rows. Accepted charges keep their
-- customer_ref so distinct customers can be counted exactly after the shuffle; everything else is
-- folded to (merchant_id, currency, reject_reason).
-- Tables: shard_entries (view). Grain: one row per (merchant_id, currency, reject_reason,
-- charge_customer).
CREATE OR REPLACE TEMP TABLE shard_pre AS
SELECT merchant_id, currency, reject_reason,
       CASE WHEN reject_reason IS NULL AND entry_type = 'charge' THEN customer_ref END AS charge_customer,
       count(*) AS entry_count,
       count(*) FILTER (WHERE entry_type = 'charge') AS charge_count,
       count(*) FILTER (WHERE entry_type = 'chargeback') AS chargeback_count,
       count(*) FILTER (WHERE entry_type = 'payout_failed') AS failed_payout_count,
       coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'charge'), 0) AS charge_amount,
       coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'refund'), 0) AS refund_amount,
       coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'chargeback'), 0) AS chargeback_amount,
       coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'chargeback_reversal'), 0) AS chargeback_reversal_amount,
       coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'fee'), 0) AS fee_amount,
       coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'payout'), 0) AS payout_amount,
       coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'payout_failed'), 0) AS payout_failed_amount,
       coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'hold'), 0) AS hold_amount,
       coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'hold_release'), 0) AS hold_release_amount,
       coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'reserve'), 0) AS reserve_amount,
       coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'reserve_release'), 0) AS reserve_release_amount,
       coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'adjustment_credit'), 0) AS adjustment_credit_amount,
       coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'adjustment_debit'), 0) AS adjustment_debit_amount
FROM shard_entries
GROUP BY ALL;
