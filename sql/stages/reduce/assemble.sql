-- The published rows: one per (merchant_id, currency) of the account directory or the opening
-- version, with every column of the contract (contract/columns.ts, SPEC section 4) in published
-- order. `inputs` gathers what the column expressions read, each named in_* so that no input
-- shadows a published column; `computed` evaluates the contract's expressions in order (DuckDB
-- resolves earlier aliases of the same select list) in HUGEINT, and the final select casts to the
-- published types: money and count columns with try_cast, so a value past BIGINT is NULL and
-- overflow_columns.sql names its merchant, currency and columns (the run fails, nothing wraps).
-- Splices: {{sums}}, {{customers}} quoted lists of the reduce tasks' outputs; {{measure_inputs}},
-- {{expressions}}, {{casts}} rendered from the contract. Tables: accounts, opening,
-- shard_flags(shard_id, item), run_params. Grain: one row per (merchant_id, currency), sorted by
-- merchant_id, currency (byte order).
CREATE OR REPLACE TEMP TABLE summary AS
WITH customers AS (
  SELECT merchant_id, currency, sum(distinct_customers) AS distinct_customers
  FROM read_parquet({{customers}}, hive_partitioning = false)
  GROUP BY merchant_id, currency
),
sums AS (
  SELECT * FROM read_parquet({{sums}}, hive_partitioning = false)
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
inputs AS (
  SELECT p.merchant_id AS in_merchant_id,
         p.currency AS in_currency,
         {{measure_inputs}},
         coalesce(r.n_rejected, 0)::HUGEINT AS in_rejected_entries,
         coalesce(c.distinct_customers, 0)::HUGEINT AS in_distinct_customers,
         coalesce(o.available_balance, 0)::HUGEINT AS in_opening_available,
         coalesce(o.holds_balance, 0)::HUGEINT AS in_opening_holds,
         coalesce(o.reserve_balance, 0)::HUGEINT AS in_opening_reserve,
         k.incomplete_reason AS in_incomplete_reason
  FROM pairs p
  LEFT JOIN sums r ON r.merchant_id = p.merchant_id AND r.currency = p.currency
  LEFT JOIN customers c ON c.merchant_id = p.merchant_id AND c.currency = p.currency
  LEFT JOIN opening o ON o.merchant_id = p.merchant_id AND o.currency = p.currency
  LEFT JOIN books k ON k.merchant_id = p.merchant_id
),
computed AS (
  SELECT {{expressions}}
  FROM inputs
  CROSS JOIN run_params rp
)
SELECT {{casts}}
FROM computed
ORDER BY merchant_id, currency;
