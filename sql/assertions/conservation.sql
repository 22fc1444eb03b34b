-- severity: error
-- Per currency, every money and count column of the published rows equals the same total taken
-- straight from the shard scan outputs (bypassing shuffle and reduce).
WITH scanned AS (
  SELECT currency,
         sum(entry_count) AS entry_count, sum(charge_count) AS charge_count,
         sum(charge_amount) AS gross_inflow, sum(refund_amount) AS refunds,
         sum(chargeback_count) AS chargeback_count,
         sum(chargeback_amount) - sum(chargeback_reversal_amount) AS chargebacks_net,
         sum(fee_amount) AS fees,
         sum(adjustment_credit_amount) - sum(adjustment_debit_amount) AS adjustments_net,
         sum(payout_amount) AS payouts_settled, sum(failed_payout_count) AS failed_payout_count,
         sum(payout_failed_amount) AS payouts_failed,
         sum(hold_amount) - sum(hold_release_amount) AS holds_delta,
         sum(reserve_amount) - sum(reserve_release_amount) AS reserve_delta
  FROM shard_sums
  WHERE entry_count > 0
  GROUP BY currency
),
published AS (
  SELECT currency,
         sum(entry_count) AS entry_count, sum(charge_count) AS charge_count,
         sum(gross_inflow) AS gross_inflow, sum(refunds) AS refunds,
         sum(chargeback_count) AS chargeback_count, sum(chargebacks_net) AS chargebacks_net,
         sum(fees) AS fees, sum(adjustments_net) AS adjustments_net,
         sum(payouts_settled) AS payouts_settled, sum(failed_payout_count) AS failed_payout_count,
         sum(payouts_failed) AS payouts_failed, sum(holds_delta) AS holds_delta,
         sum(reserve_delta) AS reserve_delta
  FROM summary
  GROUP BY currency
),
scanned_long AS (UNPIVOT scanned ON COLUMNS(* EXCLUDE currency) INTO NAME measure VALUE scanned_total),
published_long AS (UNPIVOT published ON COLUMNS(* EXCLUDE currency) INTO NAME measure VALUE published_total)
SELECT coalesce(s.currency, p.currency) AS currency, coalesce(s.measure, p.measure) AS measure,
       coalesce(s.scanned_total, 0) AS scanned_total, coalesce(p.published_total, 0) AS published_total
FROM scanned_long s
FULL OUTER JOIN published_long p ON p.currency = s.currency AND p.measure = s.measure
WHERE coalesce(s.scanned_total, 0) <> coalesce(p.published_total, 0)
ORDER BY currency, measure;
