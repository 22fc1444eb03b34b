-- Per-currency totals of the published rows, for the run summary.
-- Tables: summary. Grain: one row per currency.
SELECT currency, count(*) AS rows, sum(entry_count) AS entries, sum(gross_inflow) AS gross_inflow,
       sum(net_inflow) AS net_inflow, sum(available_delta) AS available_delta,
       sum(rejected_entries) AS rejected_entries, count(*) FILTER (WHERE NOT books_complete) AS incomplete_rows
FROM summary
GROUP BY currency
ORDER BY currency;
