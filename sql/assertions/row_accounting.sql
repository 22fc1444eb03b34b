-- severity: error
-- Per shard: rows read = accepted + rejected + excluded (incomplete segments) + exact duplicates
-- removed. Read and excluded come from the validation pass, accepted and rejected from the
-- classification pass.
SELECT shard_id, rows_read, accepted, rejected, excluded, duplicates_removed
FROM scan_stats
WHERE rows_read <> accepted + rejected + excluded + duplicates_removed
ORDER BY shard_id;
