-- severity: error
-- Every (merchant_id, currency) of the opening version appears in the new version.
SELECT o.merchant_id, o.currency
FROM opening o
ANTI JOIN summary s ON s.merchant_id = o.merchant_id AND s.currency = o.currency
ORDER BY o.merchant_id, o.currency;
