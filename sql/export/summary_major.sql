-- A published version's rows with money in major units, exact: integer division and remainder
-- by 10^exponent of the currency (ISO 4217; JPY 0, USD 2, BHD 3; no exponent means 0), written
-- as text so no floating point ever touches an amount.
-- Splices: {{data}} quoted glob, {{iso4217}} quoted CSV path. Grain: one row per (merchant_id, currency).
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
  major_units(gross_inflow, exp_, unit_) AS gross_inflow,
  major_units(refunds, exp_, unit_) AS refunds,
  major_units(chargebacks_net, exp_, unit_) AS chargebacks_net,
  major_units(fees, exp_, unit_) AS fees,
  major_units(adjustments_net, exp_, unit_) AS adjustments_net,
  major_units(net_inflow, exp_, unit_) AS net_inflow,
  major_units(payouts_settled, exp_, unit_) AS payouts_settled,
  major_units(payouts_failed, exp_, unit_) AS payouts_failed,
  major_units(holds_delta, exp_, unit_) AS holds_delta,
  major_units(reserve_delta, exp_, unit_) AS reserve_delta,
  major_units(available_delta, exp_, unit_) AS available_delta,
  major_units(available_balance, exp_, unit_) AS available_balance,
  major_units(holds_balance, exp_, unit_) AS holds_balance,
  major_units(reserve_balance, exp_, unit_) AS reserve_balance
)
FROM rows
ORDER BY merchant_id, currency
