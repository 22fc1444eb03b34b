-- Rejected rows of one shard with every entry column, the reason and the source file.
-- Tables: shard_entries. Grain: one row per rejected ledger row.
SELECT entry_id, shard_id, seq, account_id, merchant_id, customer_ref, entry_type, amount_minor,
       currency, event_time, settlement_date, reject_reason, file
FROM shard_entries
WHERE reject_reason IS NOT NULL;
