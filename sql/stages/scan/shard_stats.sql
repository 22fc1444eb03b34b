-- Per source shard of a scan task: rows kept (accepted + rejected) and rejected, by reason.
-- Tables: shard_pre. Grain: one row per (source_no, reject_reason).
SELECT source_no, reject_reason, sum(entry_count)::BIGINT AS rows
FROM shard_pre
GROUP BY ALL
ORDER BY source_no, reject_reason NULLS FIRST;
