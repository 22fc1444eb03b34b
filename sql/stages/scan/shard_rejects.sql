-- Rejected rows of one shard with every entry column, the reason and the source file (relative
-- to the snapshot root). Tables: shard_entries, scan_files(file, rel_path).
-- Grain: one row per rejected ledger row.
SELECT e.entry_id, e.shard_id, e.seq, e.account_id, e.merchant_id, e.customer_ref, e.entry_type,
       e.amount_minor, e.currency, e.event_time, e.settlement_date, e.reject_reason, f.rel_path AS file
FROM shard_entries e
JOIN scan_files f ON f.file = e.filename
WHERE e.reject_reason IS NOT NULL
