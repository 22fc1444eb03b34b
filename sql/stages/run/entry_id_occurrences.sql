-- Occurrences of repeated entry ids (from the ids tasks), for the unique_entry_id assertion.
-- Splices: {{occurrences}} quoted list of the ids tasks' files. Grain: one row per occurrence.
CREATE OR REPLACE TEMP VIEW entry_id_occurrences AS
SELECT file, seq, entry_id FROM read_parquet({{occurrences}}, hive_partitioning = false);
