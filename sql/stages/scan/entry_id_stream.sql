-- The entry-id hash stream of a scan task: a 64-bit hash per row, partitioned by hash for the
-- uniqueness check (ids task p compares only the hashes of its partition, from every scan task),
-- and the file's position in the task's file list. Exact duplicate rows stream twice; the check
-- resolves repeated hashes exactly on the ids themselves.
-- Splices: {{files}} quoted list of segment paths, {{parts}} integer. Grain: one row per row read.
SELECT (hash(entry_id) % {{parts}})::INTEGER AS part,
       hash(entry_id) AS h,
       list_position({{files}}, filename)::SMALLINT AS file_no
FROM read_parquet({{files}}, hive_partitioning = false, filename = true)
WHERE entry_id IS NOT NULL
