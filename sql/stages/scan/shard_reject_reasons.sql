-- Rejected row counts per reason for the run report. Tables: shard_pre. Grain: one row per reason.
SELECT reject_reason, sum(entry_count)::BIGINT AS rows
FROM shard_pre
WHERE reject_reason IS NOT NULL
GROUP BY reject_reason
ORDER BY reject_reason;
