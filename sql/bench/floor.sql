-- The engine floor for the benchmark: one hand-written query over the same Parquet files computing
-- the same per-(merchant, currency) columns as the pipeline, with no validation, to Parquet.
-- Splices: {{files}} quoted glob, {{out}} quoted output path.
COPY (
  SELECT merchant_id, currency,
         count(*) AS entry_count,
         count(*) FILTER (WHERE entry_type = 'charge') AS charge_count,
         coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'charge'), 0) AS gross_inflow,
         coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'refund'), 0) AS refunds,
         count(*) FILTER (WHERE entry_type = 'chargeback') AS chargeback_count,
         coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'chargeback'), 0)
           - coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'chargeback_reversal'), 0) AS chargebacks_net,
         coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'fee'), 0) AS fees,
         coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'adjustment_credit'), 0)
           - coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'adjustment_debit'), 0) AS adjustments_net,
         coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'payout'), 0) AS payouts_settled,
         count(*) FILTER (WHERE entry_type = 'payout_failed') AS failed_payout_count,
         coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'payout_failed'), 0) AS payouts_failed,
         coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'hold'), 0)
           - coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'hold_release'), 0) AS holds_delta,
         coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'reserve'), 0)
           - coalesce(sum(amount_minor) FILTER (WHERE entry_type = 'reserve_release'), 0) AS reserve_delta,
         count(DISTINCT customer_ref) FILTER (WHERE entry_type = 'charge') AS distinct_customers
  FROM read_parquet({{files}}, hive_partitioning = false)
  GROUP BY merchant_id, currency
  ORDER BY merchant_id, currency
) TO {{out}} (FORMAT parquet);
