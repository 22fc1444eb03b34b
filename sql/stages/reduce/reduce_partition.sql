-- One reduce partition: totals per key summed over shards, and distinct customers counted over
-- the partition's tuples (a partial count: salts split a key's customers disjointly over
-- partitions, and the assembly adds the partials up). Scan outputs are sorted by part, so the
-- filter reads only this partition's row groups.
-- Splices: {{sums}}, {{customers}} quoted lists of every scan task's outputs. {{part}} integer.
-- Grain: one row per (merchant_id, currency) present in the partition.
WITH sums AS (
  SELECT merchant_id, currency,
         sum(COLUMNS(* EXCLUDE (merchant_id, currency, part)))
  FROM read_parquet({{sums}}, hive_partitioning = false)
  WHERE part = {{part}}
  GROUP BY merchant_id, currency
),
customers AS (
  SELECT merchant_id, currency, count(DISTINCT customer_ref) AS distinct_customers
  FROM read_parquet({{customers}}, hive_partitioning = false)
  WHERE part = {{part}}
  GROUP BY merchant_id, currency
)
SELECT coalesce(s.merchant_id, c.merchant_id) AS merchant_id,
       coalesce(s.currency, c.currency) AS currency,
       s.* EXCLUDE (merchant_id, currency),
       coalesce(c.distinct_customers, 0) AS distinct_customers
FROM sums s
FULL OUTER JOIN customers c
  ON c.merchant_id IS NOT DISTINCT FROM s.merchant_id AND c.currency IS NOT DISTINCT FROM s.currency
