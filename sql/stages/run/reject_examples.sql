-- A few rejected rows per reason (the first by file and seq), for the run report.
-- Splices: {{rejects}} quoted list of the tasks' reject files. Grain: up to 3 rows per reason.
SELECT * EXCLUDE (n)
FROM (SELECT *, row_number() OVER (PARTITION BY reject_reason ORDER BY file, seq, entry_id) AS n
      FROM read_parquet({{rejects}}, hive_partitioning = false))
WHERE n <= 3
ORDER BY reject_reason, file, seq;
