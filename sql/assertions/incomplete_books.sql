-- severity: warn
-- severity-if-policy: require_complete_books=error
-- Merchants whose books are incomplete (a shard of theirs is missing segments or lags).
SELECT merchant_id, currency, incomplete_reason
FROM summary
WHERE NOT books_complete
ORDER BY merchant_id, currency;
