-- The rows a ledger scan classifies when its files hold no exact duplicate: every row of its
-- complete segments. A ledger row is never a known duplicate entry (that rule is for
-- corrections); the shard a row counts for is its file's shard (source_no).
-- Splices: {{files}} quoted list of complete segment paths, {{source_no}} the expression giving a
-- row's shard number (a constant when the task reads one shard: measured 12% cheaper than a list
-- lookup per row). Grain: one row per row read.
CREATE OR REPLACE TEMP VIEW scan_source AS
SELECT e.entry_id, e.shard_id, e.seq, e.account_id, e.merchant_id, e.customer_ref, e.entry_type,
       e.amount_minor, e.currency, e.event_time, e.settlement_date, e.filename,
       ({{source_no}})::SMALLINT AS source_no,
       false AS known_duplicate
FROM read_parquet({{files}}, hive_partitioning = false, filename = true) e;
