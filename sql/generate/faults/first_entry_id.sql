-- cross_segment_duplicate_entry_id: the entry_id of a donor segment's first row.
-- Splices: {{file}} quoted path. Grain: one row.
SELECT entry_id FROM read_parquet({{file}}, hive_partitioning = false) ORDER BY seq LIMIT 1;
