-- Entry ids of the accepted rows of a scan task, with their file: what reaches the sums, for the
-- unique_entry_id assertion. Tables: shard_entries. Grain: one row per accepted row.
SELECT entry_id, filename AS file
FROM shard_entries
WHERE reject_reason IS NULL
