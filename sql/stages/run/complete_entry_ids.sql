-- Entry ids of every complete segment of every shard, for the unique_entry_id assertion.
-- Splices: {{files}} quoted list of complete segment files. Grain: one row per kept-or-duplicate row.
CREATE OR REPLACE TEMP VIEW complete_entry_ids AS
SELECT filename AS file, entry_id
FROM read_parquet({{files}}, hive_partitioning = false, filename = true);
