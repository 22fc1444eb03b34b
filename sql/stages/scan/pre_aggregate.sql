-- A scan task's pre-aggregate, in two steps: identical classification inputs are grouped first
-- (one hash aggregate over the rows, no join), then each group is classified once against the
-- account directory (reject_reason macro) and folded to what the later stages need: a count and a
-- sum per (source shard, merchant, currency, reject reason, entry type), with accepted charges
-- keeping their customer_ref so distinct customers can be counted exactly after the shuffle.
-- Tables: scan_source (view), accounts. Grain: one row per (source_no, merchant_id, currency,
-- reject_reason, entry_type, charge_customer).
CREATE OR REPLACE TEMP TABLE shard_pre AS
WITH inputs AS (
  SELECT source_no, account_id, merchant_id, shard_id, currency, entry_type, settlement_date,
         coalesce(amount_minor > 0, false) AS amount_ok,
         CASE WHEN entry_type = 'charge' THEN customer_ref END AS charge_customer,
         known_duplicate,
         count(*) AS entry_count,
         sum(amount_minor) AS amount
  FROM scan_source
  GROUP BY ALL
),
classified AS (
  SELECT i.*,
         reject_reason(i.entry_type, i.amount_ok, i.currency, i.merchant_id, i.account_id,
                       i.shard_id, i.settlement_date, i.charge_customer IS NULL OR i.charge_customer = '',
                       i.known_duplicate, a.account_id, a.merchant_id, a.shard_id, a.currency) AS reject_reason
  FROM inputs i
  LEFT JOIN accounts a ON a.account_id = i.account_id
)
SELECT source_no, merchant_id, currency, reject_reason, entry_type,
       CASE WHEN reject_reason IS NULL THEN charge_customer END AS charge_customer,
       sum(entry_count)::BIGINT AS entry_count,
       coalesce(sum(amount), 0)::HUGEINT AS amount
FROM classified
GROUP BY ALL;
