-- Entry ids of accepted correction rows (from the corrections task), for unique_entry_id.
-- Splices: {{ids}} quoted path. Grain: one row per accepted correction row.
CREATE OR REPLACE TEMP VIEW correction_entry_ids AS
SELECT entry_id, file FROM read_parquet({{ids}}, hive_partitioning = false);
