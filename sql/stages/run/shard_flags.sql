-- Why a shard's books are incomplete (missing_segment:<id>, replica_lag:<id>), for the assembly.
-- Params: $flags JSON array. Grain: one row per (shard, item).
CREATE OR REPLACE TEMP TABLE shard_flags AS
SELECT unnest(from_json($flags::JSON, '[{"shard_id": "VARCHAR", "item": "VARCHAR"}]'), recursive := true);
