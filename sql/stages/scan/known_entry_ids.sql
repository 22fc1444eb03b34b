-- Correction rows whose entry_id would count twice: the ledger's complete segments already have
-- the id, or an earlier correction file of the run (in the order given) carries it. Those rows
-- are rejected as duplicate_entry_id; the first file in the order given wins.
-- Splices: {{corrections}} quoted list of correction files, in the manifest's order.
-- Tables: complete_entry_ids. Grain: one row per (correction file, repeated entry id).
CREATE OR REPLACE TEMP TABLE known_entry_ids AS
WITH rows AS (
  SELECT filename AS file, list_position({{corrections}}, filename) AS rank, entry_id
  FROM read_parquet({{corrections}}, hive_partitioning = false, filename = true)
  WHERE entry_id IS NOT NULL
)
SELECT DISTINCT r.file, r.entry_id
FROM rows r
WHERE r.entry_id IN (SELECT entry_id FROM complete_entry_ids)
   OR EXISTS (SELECT 1 FROM rows p WHERE p.entry_id = r.entry_id AND p.rank < r.rank);
