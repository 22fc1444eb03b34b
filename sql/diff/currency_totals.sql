-- Per currency, each money and count column's total in both versions and the difference.
-- Splices: {{from}}, {{to}} quoted data globs; {{totals}} rendered from the contract.
-- Grain: one row per (currency, measure) that exists in either version.
WITH totals AS (
  SELECT 'from' AS side, currency, count(*) AS rows,
         {{totals}}
  FROM read_parquet({{from}}, hive_partitioning = false) GROUP BY currency
  UNION ALL BY NAME
  SELECT 'to' AS side, currency, count(*) AS rows,
         {{totals}}
  FROM read_parquet({{to}}, hive_partitioning = false) GROUP BY currency
),
long AS (UNPIVOT totals ON COLUMNS(* EXCLUDE (side, currency)) INTO NAME measure VALUE total)
SELECT currency, measure,
       coalesce(max(total) FILTER (WHERE side = 'from'), 0)::HUGEINT AS from_total,
       coalesce(max(total) FILTER (WHERE side = 'to'), 0)::HUGEINT AS to_total,
       (coalesce(max(total) FILTER (WHERE side = 'to'), 0) - coalesce(max(total) FILTER (WHERE side = 'from'), 0))::HUGEINT AS difference
FROM long
GROUP BY currency, measure
ORDER BY currency, measure
