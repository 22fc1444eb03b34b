-- Every row of a scan task's source (ledger_source.sql or corrections_source.sql) with its first
-- reject reason (NULL = accepted), in the order SPEC section 3 gives (contract/reject-reasons.ts
-- lists the same reasons; a test holds the two together). Small reference sets are tested with
-- IN (subquery), which DuckDB runs as a semi join: measurably cheaper per row than LEFT JOINs.
-- Tables: scan_source, accounts, iso_currencies, entry_types, run_params.
-- Grain: one row per source row.
CREATE OR REPLACE TEMP VIEW shard_entries AS
SELECT e.entry_id, e.shard_id, e.seq, e.account_id, e.merchant_id, e.customer_ref, e.entry_type,
       e.amount_minor, e.currency, e.event_time, e.settlement_date,
       e.filename,
       CASE
         WHEN e.entry_type IS NULL OR e.entry_type NOT IN (SELECT entry_type FROM entry_types) THEN 'unknown_entry_type'
         WHEN e.amount_minor IS NULL OR e.amount_minor <= 0 THEN 'bad_amount'
         WHEN e.currency IS NULL OR e.currency NOT IN (SELECT code FROM iso_currencies) THEN 'bad_currency'
         WHEN e.merchant_id IS NULL OR e.merchant_id = '' OR e.account_id IS NULL OR e.account_id = '' THEN 'missing_key'
         WHEN a.account_id IS NULL THEN 'unknown_account'
         WHEN e.merchant_id IS DISTINCT FROM a.merchant_id OR e.shard_id IS DISTINCT FROM a.shard_id
              OR e.currency IS DISTINCT FROM a.currency THEN 'directory_mismatch'
         WHEN e.settlement_date IS DISTINCT FROM (SELECT settlement_date FROM run_params) THEN 'out_of_window'
         WHEN e.entry_type = 'charge' AND (e.customer_ref IS NULL OR e.customer_ref = '') THEN 'missing_customer_ref'
         WHEN e.known_duplicate THEN 'duplicate_entry_id'
       END AS reject_reason
FROM scan_source e
LEFT JOIN accounts a ON a.account_id = e.account_id;
