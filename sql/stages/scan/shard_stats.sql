-- Per source shard of a scan task: rows accepted and rows rejected (their reasons come from the
-- task's rejects, reject_reasons.sql). Tables: shard_pre.
-- Grain: one row per (source_no, rejected).
SELECT source_no, account_row IS NULL AS rejected, sum(entry_count)::BIGINT AS rows
FROM shard_pre
GROUP BY ALL
ORDER BY ALL;
