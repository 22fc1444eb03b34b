-- Deduplicated rows of one shard's complete segments, each with its first reject reason
-- (NULL = accepted), in the order SPEC section 3 gives.
-- Splices: {{files}} quoted list of complete segment paths. Tables: scan_dup_keys(file, seq, keep_row), accounts, iso_currencies, entry_types, known_entry_ids (the
-- ledger's entry ids a correction may not repeat; empty while scanning the ledger itself).
-- Params: none (the settlement date comes from run_params). Grain: one row per kept ledger row.
CREATE OR REPLACE TEMP VIEW shard_entries AS
SELECT e.entry_id, e.shard_id, e.seq, e.account_id, e.merchant_id, e.customer_ref, e.entry_type,
       e.amount_minor, e.currency, e.event_time, e.settlement_date,
       e.filename,
       CASE
         WHEN t.entry_type IS NULL THEN 'unknown_entry_type'
         WHEN e.amount_minor IS NULL OR e.amount_minor <= 0 THEN 'bad_amount'
         WHEN c.code IS NULL THEN 'bad_currency'
         WHEN e.merchant_id IS NULL OR e.merchant_id = '' OR e.account_id IS NULL OR e.account_id = '' THEN 'missing_key'
         WHEN a.account_id IS NULL THEN 'unknown_account'
         WHEN e.merchant_id IS DISTINCT FROM a.merchant_id OR e.shard_id IS DISTINCT FROM a.shard_id
              OR e.currency IS DISTINCT FROM a.currency THEN 'directory_mismatch'
         WHEN e.settlement_date IS DISTINCT FROM (SELECT settlement_date FROM run_params) THEN 'out_of_window'
         WHEN e.entry_type = 'charge' AND (e.customer_ref IS NULL OR e.customer_ref = '') THEN 'missing_customer_ref'
         WHEN k.entry_id IS NOT NULL THEN 'duplicate_entry_id'
       END AS reject_reason
FROM read_parquet({{files}}, hive_partitioning = false, filename = true, file_row_number = true) e
LEFT JOIN scan_dup_keys d ON d.file = e.filename AND d.seq = e.seq
LEFT JOIN entry_types t ON t.entry_type = e.entry_type
LEFT JOIN iso_currencies c ON c.code = e.currency
LEFT JOIN accounts a ON a.account_id = e.account_id
LEFT JOIN known_entry_ids k ON k.entry_id = e.entry_id
WHERE d.keep_row IS NULL OR e.file_row_number = d.keep_row;
