-- Per-currency totals of the published rows (every money and count column), with the
-- currency's ISO 4217 exponent, for the run summary and the run report.
-- Splices: {{totals}} rendered from the contract. Tables: summary, iso_currencies.
-- Grain: one row per currency.
SELECT s.currency, any_value(coalesce(iso.exponent, 0)) AS decimals, count(*) AS rows,
       count(*) FILTER (WHERE NOT books_complete) AS incomplete_rows,
       {{totals}}
FROM summary s
LEFT JOIN iso_currencies iso ON iso.code = s.currency
GROUP BY s.currency
ORDER BY s.currency;
