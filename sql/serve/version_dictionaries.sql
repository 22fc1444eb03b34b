-- The distinct values of one small text column of a published version, in byte order: the
-- dictionaries the loader codes currency and incomplete_reason with (version_rows.sql).
-- Params: $data (glob, as in version_profile.sql). Splices: {{column}} quoted identifier, from
-- the contract. Grain: one row per distinct non-NULL value.
SELECT DISTINCT {{column}} AS value
FROM read_parquet($data, hive_partitioning = false)
WHERE {{column}} IS NOT NULL
ORDER BY value
