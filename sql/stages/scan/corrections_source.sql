-- The rows of the run's correction files, each marked when its entry_id is a known duplicate:
-- the ledger's complete segments already have it, or an earlier correction file (in the order
-- given) carries it (known_entry_ids.sql). They all count for one source (0).
-- Splices: {{files}} quoted list of correction files. Tables: known_entry_ids(file, entry_id).
-- Grain: one row per correction row.
CREATE OR REPLACE TEMP VIEW scan_source AS
SELECT e.entry_id, e.shard_id, e.seq, e.account_id, e.merchant_id, e.customer_ref, e.entry_type,
       e.amount_minor, e.currency, e.event_time, e.settlement_date, e.filename,
       0::SMALLINT AS source_no,
       k.entry_id IS NOT NULL AS known_duplicate
FROM read_parquet({{files}}, hive_partitioning = false, filename = true) e
LEFT JOIN known_entry_ids k ON k.file = e.filename AND k.entry_id = e.entry_id;
