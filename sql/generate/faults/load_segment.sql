-- Loads one segment file into a scratch table so a fault can be applied to it.
-- Splices: {{file}} quoted path. Grain: one row per entry.
CREATE OR REPLACE TEMP TABLE seg AS
SELECT * FROM read_parquet({{file}}, hive_partitioning = false);
