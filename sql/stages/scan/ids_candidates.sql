-- Hashes that repeat within one partition of the entry-id hash stream, over every scan task:
-- the only ids that can repeat. Splices: {{streams}} quoted list of the partition's stream files.
-- Grain: one row per repeated hash.
CREATE OR REPLACE TEMP TABLE entry_id_candidates AS
SELECT h
FROM read_parquet({{streams}}, hive_partitioning = false)
GROUP BY h
HAVING count(*) > 1;
