-- A published version's rows with money in major units, exact: integer division and remainder
-- by 10^exponent of the currency (ISO 4217; JPY 0, USD 2, BHD 3; no exponent means 0), written
-- as text so no floating point ever touches an amount.
-- Splices: {{data}} quoted glob, {{iso4217}} quoted CSV path, {{major_units}} rendered from the
-- contract (every money column). Grain: one row per (merchant_id, currency).
WITH iso AS (
  SELECT code, exponent
  FROM read_csv({{iso4217}}, header = true, columns = {'code': 'VARCHAR', 'exponent': 'INTEGER'})
),
rows AS (
  SELECT s.*, coalesce(iso.exponent, 0) AS exp_, [1, 10, 100, 1000, 10000][coalesce(iso.exponent, 0) + 1]::HUGEINT AS unit_
  FROM read_parquet({{data}}, hive_partitioning = false) s
  LEFT JOIN iso ON iso.code = s.currency
)
SELECT * EXCLUDE (exp_, unit_) REPLACE (
  {{major_units}}
)
FROM rows
ORDER BY merchant_id, currency
