-- Hashes of entry ids that occur more than once among the segments that passed seq validation:
-- one integer group-by over the run instead of a string one.
-- Splices: {{files}} quoted list of segment paths. Grain: one row per repeated hash.
CREATE OR REPLACE TEMP TABLE entry_id_candidates AS
SELECT hash(entry_id) AS h
FROM read_parquet({{files}}, hive_partitioning = false)
WHERE entry_id IS NOT NULL
GROUP BY h
HAVING count(*) > 1;
