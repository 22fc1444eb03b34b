-- Rows each reduce partition receives from one scan task's partitioned output (the skew measure).
-- Splices: {{file}} quoted path. Grain: one row per partition that receives rows.
SELECT part, count(*)::BIGINT AS rows
FROM read_parquet({{file}}, hive_partitioning = false)
GROUP BY part
ORDER BY part;
