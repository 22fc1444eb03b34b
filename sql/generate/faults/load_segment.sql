-- Loads one segment file into the scratch table seg so a fault can edit it.
-- Splices: {{file}} quoted path. Grain: one row per entry.
CREATE OR REPLACE TEMP TABLE seg AS
SELECT * FROM read_parquet({{file}}, hive_partitioning = false);
