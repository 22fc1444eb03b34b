-- Rejected rows of a scan task counted on the row's own merchant_id and currency (either may be
-- NULL), for rejected_entries. Splices: {{rejects}} quoted path of the task's rejects file.
-- Grain: one row per (merchant_id, currency) with a rejected row.
CREATE OR REPLACE TEMP TABLE shard_rejected_keys AS
SELECT merchant_id, currency, count(*)::BIGINT AS n_rejected
FROM read_parquet({{rejects}}, hive_partitioning = false)
GROUP BY ALL;
