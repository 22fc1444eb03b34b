-- After a scan task's sums failed to fit BIGINT: the first (merchant_id, currency, entry_type)
-- whose accepted amounts sum past it. Amounts are positive, so a key's total per entry type is at
-- least every partial sum of it that failed (a pre-aggregate group, the task's key total).
-- Tables: classified_source (view). Grain: at most one row.
-- An accepted row's merchant_id and currency are its account's.
SELECT merchant_id, currency, entry_type, sum(amount_minor)::VARCHAR AS total
FROM classified_source
WHERE reject_reason IS NULL
GROUP BY ALL
HAVING sum(amount_minor) > 9223372036854775807
ORDER BY ALL
LIMIT 1;
