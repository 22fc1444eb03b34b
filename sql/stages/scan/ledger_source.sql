-- The rows a ledger shard task classifies: its complete segments with one copy of each exact
-- duplicate (the row kept is the first by file_row_number). A ledger row is never a known
-- duplicate entry (that rule is for corrections), so entry_id is not probed here.
-- Splices: {{files}} quoted list of complete segment paths. Tables: scan_dup_keys(file, seq,
-- keep_row). Grain: one row per kept ledger row.
CREATE OR REPLACE TEMP VIEW scan_source AS
SELECT e.entry_id, e.shard_id, e.seq, e.account_id, e.merchant_id, e.customer_ref, e.entry_type,
       e.amount_minor, e.currency, e.event_time, e.settlement_date, e.filename,
       false AS known_duplicate
FROM read_parquet({{files}}, hive_partitioning = false, filename = true, file_row_number = true) e
LEFT JOIN scan_dup_keys d ON d.file = e.filename AND d.seq = e.seq
WHERE d.keep_row IS NULL OR e.file_row_number = d.keep_row;
