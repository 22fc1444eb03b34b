-- Rows each reduce partition receives from one scan task's partitioned outputs (the skew measure).
-- Splices: {{files}} quoted list of the task's sums and customers files.
-- Grain: one row per partition that receives rows.
SELECT part, count(*)::BIGINT AS rows
FROM read_parquet({{files}}, hive_partitioning = false, union_by_name = true)
GROUP BY part
ORDER BY part;
