-- Hashes of entry ids that occur more than once among every listed segment of the run: one
-- integer group-by over the run (measured cheaper than streaming hashes to partitioned files and
-- grouping each partition: this machine pays for every freshly touched page of a hash table, and
-- one query reuses its buffers). Splices: {{files}} quoted list of segment paths.
-- Grain: one row per repeated hash.
CREATE OR REPLACE TEMP TABLE entry_id_candidates AS
SELECT hash(entry_id) AS h
FROM read_parquet({{files}}, hive_partitioning = false)
WHERE entry_id IS NOT NULL
GROUP BY h
HAVING count(*) > 1;
