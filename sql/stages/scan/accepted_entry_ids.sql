-- Entry ids of the accepted rows of the corrections task, with their file: what reaches the sums,
-- for the unique_entry_id assertion. Tables: scan_source, accounts. Grain: one row per accepted row.
SELECT e.entry_id, e.filename AS file
FROM scan_source e
LEFT JOIN accounts a ON a.account_id = e.account_id
WHERE reject_reason(e.entry_type, coalesce(e.amount_minor > 0, false), e.currency, e.merchant_id,
                    e.account_id, e.shard_id, e.settlement_date,
                    e.entry_type = 'charge' AND (e.customer_ref IS NULL OR e.customer_ref = ''),
                    e.known_duplicate, a.account_id, a.merchant_id, a.shard_id, a.currency) IS NULL
