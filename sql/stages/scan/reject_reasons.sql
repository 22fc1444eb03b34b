-- Rejected rows of a scan task by source file and reason, from the rows it keeps, in reason order
-- (a shard's reasons are listed in that order in the run report).
-- Splices: {{rejects}} quoted path of the task's rejects file. Grain: one row per (file, reason).
SELECT file, reject_reason, count(*)::BIGINT AS rows
FROM read_parquet({{rejects}}, hive_partitioning = false)
GROUP BY ALL
ORDER BY reject_reason, file;
