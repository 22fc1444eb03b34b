-- A published version's rows for export, in published order (merchant_id, currency; byte order),
-- with the currency's ISO 4217 exponent beside each row (JPY 0, USD 2, BHD 3; a code without an
-- exponent, such as XAU, counts as 0) so money can be written in exact major units: integer
-- division and remainder by 10^exponent (export/major_units_macro.sql), never floating point.
-- Splices: {{data}} quoted glob, {{iso4217}} the ISO 4217 list as a VALUES table, {{columns}} the select list over
-- `r`, rendered from the contract (contract/render.ts exportColumns: every published column in
-- order; money as stored or as major-unit text; text as stored or spreadsheet-safe).
-- Grain: one row per (merchant_id, currency).
WITH iso AS (
  SELECT code, exponent
  FROM {{iso4217}}
),
rows AS (
  SELECT s.*,
         coalesce(iso.exponent, 0) AS exponent_,
         [1, 10, 100, 1000, 10000][coalesce(iso.exponent, 0) + 1]::HUGEINT AS unit_
  FROM read_parquet({{data}}, hive_partitioning = false) s
  LEFT JOIN iso ON iso.code = s.currency
)
SELECT {{columns}}
FROM rows r
ORDER BY r.merchant_id, r.currency
