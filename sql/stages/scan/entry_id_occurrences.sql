-- Every distinct (file, seq, entry_id) of a candidate id, resolved exactly on the id itself; exact
-- duplicate rows collapse to one occurrence. Splices: {{files}} quoted list of the segment files
-- that hold a candidate hash. Tables: entry_id_candidates. Grain: one row per occurrence.
SELECT DISTINCT filename AS file, seq, entry_id
FROM read_parquet({{files}}, hive_partitioning = false, filename = true)
WHERE entry_id IS NOT NULL AND hash(entry_id) IN (SELECT h FROM entry_id_candidates)
ORDER BY entry_id, file, seq
