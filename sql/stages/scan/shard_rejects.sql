-- Rejected rows of a scan task with every entry column, the reason and the source file (relative
-- to the snapshot root), as classified_source.sql classified them for the pre-aggregate.
-- Splices: {{files}} the task's source paths, {{relative}} the same files relative to the
-- snapshot root, in the same order. Tables: classified_source (view).
-- Grain: one row per rejected row.
SELECT entry_id, shard_id, seq, account_id, merchant_id, customer_ref, entry_type, amount_minor,
       currency, event_time, settlement_date, reject_reason, file
FROM (
  SELECT *, ({{relative}})[list_position({{files}}, filename)] AS file
  FROM classified_source
  WHERE reject_reason IS NOT NULL
)
