-- Row counts of every shard (and of the corrections), from the tasks' results, for the row
-- accounting and reject ratio assertions. Params: $stats JSON array. Grain: one row per shard.
CREATE OR REPLACE TEMP TABLE scan_stats AS
SELECT unnest(from_json($stats::JSON, '[{"shard_id": "VARCHAR", "rows_read": "BIGINT", "accepted": "BIGINT", "rejected": "BIGINT", "excluded": "BIGINT", "duplicates_removed": "BIGINT"}]'), recursive := true);
