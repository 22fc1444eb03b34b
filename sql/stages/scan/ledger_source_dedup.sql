-- The rows a ledger scan classifies when some file holds exact duplicate rows: its complete
-- segments with one copy of each (the row kept is the first by file_row_number, scan_dup_keys).
-- Splices and grain: as ledger_source.sql. Tables: scan_dup_keys(file, seq, keep_row).
CREATE OR REPLACE TEMP VIEW scan_source AS
SELECT e.entry_id, e.shard_id, e.seq, e.account_id, e.merchant_id, e.customer_ref, e.entry_type,
       e.amount_minor, e.currency, e.event_time, e.settlement_date, e.filename,
       ({{source_no}})::SMALLINT AS source_no,
       false AS known_duplicate
FROM read_parquet({{files}}, hive_partitioning = false, filename = true, file_row_number = true) e
LEFT JOIN scan_dup_keys d ON d.file = e.filename AND d.seq = e.seq
WHERE d.keep_row IS NULL OR e.file_row_number = d.keep_row;
