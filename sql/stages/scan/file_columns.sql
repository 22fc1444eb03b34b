-- Column names and types of one Parquet file, from its footer only.
-- Splices: {{file}} quoted path. Grain: one row per column.
SELECT column_name, column_type
FROM (DESCRIBE SELECT * FROM read_parquet({{file}}, hive_partitioning = false));
