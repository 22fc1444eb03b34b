-- Rejected rows of a scan task with every entry column, the reason and the source file (relative
-- to the snapshot root), classified row by row with the same macro as the pre-aggregate.
-- Splices: {{files}} the task's source paths, {{relative}} the same files relative to the
-- snapshot root, in the same order. Tables: scan_source, accounts.
-- Grain: one row per rejected row.
SELECT entry_id, shard_id, seq, account_id, merchant_id, customer_ref, entry_type, amount_minor,
       currency, event_time, settlement_date, reject_reason, file
FROM (
  SELECT e.*,
         reject_reason(e.entry_type, coalesce(e.amount_minor > 0, false), e.currency, e.merchant_id,
                       e.account_id, e.shard_id, e.settlement_date,
                       e.entry_type = 'charge' AND (e.customer_ref IS NULL OR e.customer_ref = ''),
                       e.known_duplicate, a.account_id, a.merchant_id, a.shard_id, a.currency) AS reject_reason,
         ({{relative}})[list_position({{files}}, e.filename)] AS file
  FROM scan_source e
  LEFT JOIN accounts a ON a.account_id = e.account_id
)
WHERE reject_reason IS NOT NULL
