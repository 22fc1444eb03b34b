-- One reduce partition's key totals, summed over every shard (a key's totals all go to the key's
-- partition). Scan outputs are sorted by part, so the filter reads only this partition's row
-- groups. Totals stay BIGINT (a checked cast: past 2^63 the run fails; a HUGEINT column would be
-- written as DOUBLE). Splices: {{sums}} quoted list of every scan task's sums, {{part}} integer.
-- Grain: one row per (merchant_id, currency) of the partition.
SELECT merchant_id, currency, sum(COLUMNS(* EXCLUDE (merchant_id, currency, part)))::BIGINT
FROM read_parquet({{sums}}, hive_partitioning = false)
WHERE part = {{part}}
GROUP BY merchant_id, currency
