-- A scan task's pre-aggregate: every row classified (reject_reason macro, against the account
-- directory) and folded to what the later stages need, a count and a sum per (source shard,
-- merchant, currency, reject reason, entry type), with accepted charges keeping their
-- customer_ref so distinct customers can be counted exactly after the shuffle. (Grouping the raw
-- rows first and classifying the groups was measured slower: 1.20 s vs 1.09 s for a 6.3M-row
-- shard, 0.51 s vs 0.30 s for 1M rows, since customers keep the groups almost as many as rows.)
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
       coalesce(sum(amount_minor), 0)::HUGEINT AS amount
FROM classified
GROUP BY ALL;
