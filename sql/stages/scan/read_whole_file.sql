-- Decodes every value of one input file (used only to find which file an engine error came from).
-- Splices: {{file}} quoted path. Grain: one row.
SELECT count(*) AS rows, max(hash(COLUMNS(*))) AS probe
FROM read_parquet({{file}}, hive_partitioning = false);
