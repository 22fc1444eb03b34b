-- severity: error
-- Published rows are unique per (settlement_date, merchant_id, currency) and keys are never NULL.
SELECT settlement_date, merchant_id, currency, count(*) AS copies
FROM summary
GROUP BY settlement_date, merchant_id, currency
HAVING count(*) > 1 OR merchant_id IS NULL OR currency IS NULL OR settlement_date IS NULL;
