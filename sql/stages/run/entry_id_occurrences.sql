-- Occurrences of repeated entry ids (from the entry-ids task), for the unique_entry_id assertion.
-- Splices: {{occurrences}} quoted path. Grain: one row per occurrence.
CREATE OR REPLACE TEMP VIEW entry_id_occurrences AS
SELECT file, seq, entry_id FROM read_parquet({{occurrences}}, hive_partitioning = false);
