-- Entry ids the ledger already has (complete segments) that a correction file repeats: those
-- correction rows are rejected as duplicate_entry_id.
-- Splices: {{corrections}} quoted list of correction files. Tables: complete_entry_ids.
-- Grain: one row per repeated entry id.
CREATE OR REPLACE TEMP TABLE known_entry_ids AS
SELECT DISTINCT entry_id
FROM complete_entry_ids
WHERE entry_id IN (SELECT entry_id FROM read_parquet({{corrections}}, hive_partitioning = false));
