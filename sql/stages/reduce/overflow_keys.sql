-- After a reduce task's key totals failed to fit BIGINT: the first (merchant_id, currency,
-- measure) whose total over every input task is past it.
-- Splices: {{sums}} quoted list of every scan task's sums, {{part}} integer.
-- Grain: at most one row.
SELECT merchant_id, currency, measure, total::VARCHAR AS total
FROM (
  UNPIVOT (
    SELECT merchant_id, currency, sum(COLUMNS(* EXCLUDE (merchant_id, currency, part)))
    FROM read_parquet({{sums}}, hive_partitioning = false)
    WHERE part = {{part}}
    GROUP BY merchant_id, currency
  )
  ON COLUMNS(* EXCLUDE (merchant_id, currency))
  INTO NAME measure VALUE total
)
WHERE total > 9223372036854775807
ORDER BY ALL
LIMIT 1;
