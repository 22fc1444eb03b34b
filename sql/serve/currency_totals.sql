-- Per-currency totals of a published version for the dashboard summary: rows, merchants, flag
-- counts and the exact sum of every count and money column (HUGEINT sums; no floating point).
-- Params: $data (glob, as in version_profile.sql). Splices: {{totals}} rendered from the contract.
-- Grain: one row per currency, in byte order.
SELECT currency,
       count(*) AS rows,
       count(DISTINCT merchant_id) AS merchants,
       count(*) FILTER (WHERE reserve_review) AS reserve_review,
       count(*) FILTER (WHERE NOT books_complete) AS books_incomplete,
       count(*) FILTER (WHERE payout_eligible) AS payout_eligible,
       {{totals}}
FROM read_parquet($data, hive_partitioning = false)
GROUP BY currency
ORDER BY currency
