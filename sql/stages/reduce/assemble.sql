-- The published rows: one per (merchant_id, currency) of the account directory or the opening
-- version, with every column of SPEC section 4. Money stays HUGEINT until the final BIGINT cast
-- (an overflow fails the run rather than wrapping).
-- Splices: {{sums}}, {{customers}} quoted lists of the reduce tasks' outputs. Tables: accounts,
-- opening, shard_flags(shard_id, item), run_params(settlement_date, min_charges,
-- chargeback_ratio_bps). Grain: one row per (merchant_id, currency), sorted by merchant_id,
-- currency (byte order).
CREATE OR REPLACE TEMP TABLE summary AS
WITH customers AS (
  SELECT merchant_id, currency, sum(distinct_customers) AS distinct_customers
  FROM read_parquet({{customers}}, hive_partitioning = false)
  GROUP BY merchant_id, currency
),
reduced AS (
  SELECT coalesce(s.merchant_id, c.merchant_id) AS merchant_id,
         coalesce(s.currency, c.currency) AS currency,
         s.* EXCLUDE (merchant_id, currency), c.distinct_customers
  FROM read_parquet({{sums}}, hive_partitioning = false) s
  FULL OUTER JOIN customers c ON c.merchant_id = s.merchant_id AND c.currency = s.currency
),
pairs AS (
  SELECT merchant_id, currency FROM accounts
  UNION
  SELECT merchant_id, currency FROM opening
),
books AS (
  SELECT a.merchant_id, array_to_string(list_sort(list_distinct(list(f.item))), ';') AS incomplete_reason
  FROM (SELECT DISTINCT merchant_id, shard_id FROM accounts) a
  JOIN shard_flags f ON f.shard_id = a.shard_id
  GROUP BY a.merchant_id
),
deltas AS (
  SELECT p.merchant_id, p.currency,
         coalesce(r.entry_count, 0) AS entry_count,
         coalesce(r.charge_count, 0) AS charge_count,
         coalesce(r.charge_amount, 0) AS gross_inflow,
         coalesce(r.refund_amount, 0) AS refunds,
         coalesce(r.chargeback_count, 0) AS chargeback_count,
         coalesce(r.chargeback_amount, 0) - coalesce(r.chargeback_reversal_amount, 0) AS chargebacks_net,
         coalesce(r.fee_amount, 0) AS fees,
         coalesce(r.adjustment_credit_amount, 0) - coalesce(r.adjustment_debit_amount, 0) AS adjustments_net,
         coalesce(r.payout_amount, 0) AS payouts_settled,
         coalesce(r.failed_payout_count, 0) AS failed_payout_count,
         coalesce(r.payout_failed_amount, 0) AS payouts_failed,
         coalesce(r.hold_amount, 0) - coalesce(r.hold_release_amount, 0) AS holds_delta,
         coalesce(r.reserve_amount, 0) - coalesce(r.reserve_release_amount, 0) AS reserve_delta,
         coalesce(r.distinct_customers, 0) AS distinct_customers,
         coalesce(r.rejected_entries, 0) AS rejected_entries
  FROM pairs p
  LEFT JOIN reduced r ON r.merchant_id = p.merchant_id AND r.currency = p.currency
),
flows AS (
  SELECT *, gross_inflow - refunds - chargebacks_net - fees + adjustments_net AS net_inflow
  FROM deltas
),
balances AS (
  SELECT f.*,
         net_inflow - payouts_settled + payouts_failed - holds_delta - reserve_delta AS available_delta,
         coalesce(o.available_balance, 0) AS opening_available,
         coalesce(o.holds_balance, 0) AS opening_holds,
         coalesce(o.reserve_balance, 0) AS opening_reserve
  FROM flows f
  LEFT JOIN opening o ON o.merchant_id = f.merchant_id AND o.currency = f.currency
),
final AS (
  SELECT b.*,
         b.opening_available + b.available_delta AS available_balance,
         b.opening_holds + b.holds_delta AS holds_balance,
         b.opening_reserve + b.reserve_delta AS reserve_balance,
         k.incomplete_reason IS NULL AS books_complete,
         k.incomplete_reason,
         b.charge_count >= rp.min_charges
           AND b.chargeback_count * 10000 > b.charge_count * rp.chargeback_ratio_bps AS reserve_review,
         rp.settlement_date
  FROM balances b
  CROSS JOIN run_params rp
  LEFT JOIN books k ON k.merchant_id = b.merchant_id
)
SELECT settlement_date::DATE AS settlement_date,
       merchant_id::VARCHAR AS merchant_id,
       currency::VARCHAR AS currency,
       entry_count::BIGINT AS entry_count,
       charge_count::BIGINT AS charge_count,
       gross_inflow::BIGINT AS gross_inflow,
       refunds::BIGINT AS refunds,
       chargeback_count::BIGINT AS chargeback_count,
       chargebacks_net::BIGINT AS chargebacks_net,
       fees::BIGINT AS fees,
       adjustments_net::BIGINT AS adjustments_net,
       net_inflow::BIGINT AS net_inflow,
       payouts_settled::BIGINT AS payouts_settled,
       failed_payout_count::BIGINT AS failed_payout_count,
       payouts_failed::BIGINT AS payouts_failed,
       holds_delta::BIGINT AS holds_delta,
       reserve_delta::BIGINT AS reserve_delta,
       available_delta::BIGINT AS available_delta,
       distinct_customers::BIGINT AS distinct_customers,
       available_balance::BIGINT AS available_balance,
       holds_balance::BIGINT AS holds_balance,
       reserve_balance::BIGINT AS reserve_balance,
       rejected_entries::BIGINT AS rejected_entries,
       books_complete::BOOLEAN AS books_complete,
       incomplete_reason::VARCHAR AS incomplete_reason,
       reserve_review::BOOLEAN AS reserve_review,
       (books_complete AND NOT reserve_review AND available_balance > 0)::BOOLEAN AS payout_eligible
FROM final
ORDER BY merchant_id, currency;
