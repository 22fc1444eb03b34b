-- Row-level diff of two published versions: per (merchant_id, currency) whether the row was added,
-- removed or changed, and which columns changed (values compared as text; NULL is a value,
-- spelled '<NULL>' so UNPIVOT keeps it).
-- Splices: {{from}}, {{to}} quoted data globs. Grain: one row per key that differs.
WITH a AS (
  SELECT merchant_id, currency, coalesce(COLUMNS(* EXCLUDE (merchant_id, currency))::VARCHAR, '<NULL>')
  FROM read_parquet({{from}}, hive_partitioning = false)
),
b AS (
  SELECT merchant_id, currency, coalesce(COLUMNS(* EXCLUDE (merchant_id, currency))::VARCHAR, '<NULL>')
  FROM read_parquet({{to}}, hive_partitioning = false)
),
la AS (UNPIVOT a ON COLUMNS(* EXCLUDE (merchant_id, currency)) INTO NAME col VALUE val),
lb AS (UNPIVOT b ON COLUMNS(* EXCLUDE (merchant_id, currency)) INTO NAME col VALUE val),
keys AS (
  SELECT merchant_id, currency,
         bool_or(src = 'a') AS in_from, bool_or(src = 'b') AS in_to
  FROM (SELECT merchant_id, currency, 'a' AS src FROM a UNION ALL SELECT merchant_id, currency, 'b' FROM b)
  GROUP BY merchant_id, currency
),
changed AS (
  SELECT la.merchant_id, la.currency,
         list(la.col ORDER BY la.col) AS changed_columns,
         list({'column': la.col, 'from': nullif(la.val, '<NULL>'), 'to': nullif(lb.val, '<NULL>')} ORDER BY la.col) AS changes
  FROM la
  JOIN lb ON lb.merchant_id = la.merchant_id AND lb.currency = la.currency AND lb.col = la.col
  WHERE la.val IS DISTINCT FROM lb.val
  GROUP BY la.merchant_id, la.currency
)
SELECT k.merchant_id, k.currency,
       CASE WHEN NOT k.in_from THEN 'added' WHEN NOT k.in_to THEN 'removed' ELSE 'changed' END AS change,
       c.changed_columns, c.changes
FROM keys k
LEFT JOIN changed c ON c.merchant_id = k.merchant_id AND c.currency = k.currency
WHERE NOT k.in_from OR NOT k.in_to OR c.merchant_id IS NOT NULL
ORDER BY k.merchant_id, k.currency
