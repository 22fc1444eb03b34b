-- Segments in which two different rows (different seq) share an entry_id: incomplete.
-- Splices: {{occurrences}} quoted path. Grain: one row per file.
SELECT DISTINCT file
FROM (SELECT file, entry_id FROM read_parquet({{occurrences}}, hive_partitioning = false)
      GROUP BY file, entry_id HAVING count(DISTINCT seq) > 1)
ORDER BY file
