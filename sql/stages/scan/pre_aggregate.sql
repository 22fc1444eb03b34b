-- A scan task's pre-aggregate: every row classified (reject_reason macro, against the account
-- directory) and folded to what the later stages need, a count and a sum per (source shard,
-- merchant, currency, reject reason, entry type), with accepted charges keeping their
-- customer_ref so distinct customers can be counted exactly after the shuffle. (Grouping the raw
-- rows first and classifying the groups was measured slower: 1.20 s vs 1.09 s for a 6.3M-row
-- shard, 0.51 s vs 0.30 s for 1M rows, since customers keep the groups almost as many as rows.)
-- Only accepted groups carry an amount, as BIGINT (a checked cast): every later sum over BIGINT
-- inputs is half the cost of one over HUGEINT (shard_sums: 0.32 s vs 0.15 s for 511k groups), and
-- an accepted group past 2^63 would fail the run at the key's BIGINT total anyway. Rejected
-- groups' amounts are never summed (their rows are kept whole by shard_rejects.sql), so an
-- absurd rejected amount cannot fail the run here.
-- Tables: scan_source (view), accounts. Grain: one row per (source_no, merchant_id, currency,
-- reject_reason, entry_type, charge_customer).
CREATE OR REPLACE TEMP TABLE shard_pre AS
WITH classified AS (
  SELECT e.source_no, e.merchant_id, e.currency, e.entry_type, e.customer_ref, e.amount_minor,
         reject_reason(e.entry_type, coalesce(e.amount_minor > 0, false), e.currency, e.merchant_id,
                       e.account_id, e.shard_id, e.settlement_date,
                       e.customer_ref IS NULL OR e.customer_ref = '', e.known_duplicate,
                       a.account_id, a.merchant_id, a.shard_id, a.currency) AS reject_reason
  FROM scan_source e
  LEFT JOIN accounts a ON a.account_id = e.account_id
)
SELECT source_no, merchant_id, currency, reject_reason, entry_type,
       CASE WHEN reject_reason IS NULL AND entry_type = 'charge' THEN customer_ref END AS charge_customer,
       count(*)::BIGINT AS entry_count,
       sum(CASE WHEN reject_reason IS NULL THEN amount_minor END)::BIGINT AS amount
FROM classified
GROUP BY ALL;
