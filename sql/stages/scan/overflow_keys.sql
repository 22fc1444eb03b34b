-- After a scan task's sums failed to fit BIGINT: the first (merchant_id, currency, entry_type)
-- whose accepted amounts sum past it. Amounts are positive, so a key's total per entry type is at
-- least every partial sum of it that failed (a pre-aggregate group, the task's key total).
-- Tables: scan_source (view), accounts. Grain: at most one row.
SELECT a.merchant_id, a.currency, e.entry_type, sum(e.amount_minor)::VARCHAR AS total
FROM scan_source e
JOIN accounts a ON a.account_id = e.account_id
WHERE reject_reason(e.entry_type, coalesce(e.amount_minor > 0, false), e.currency, e.merchant_id,
                    e.account_id, e.shard_id, e.settlement_date,
                    e.customer_ref IS NULL OR e.customer_ref = '', e.known_duplicate,
                    a.account_id, a.merchant_id, a.shard_id, a.currency) IS NULL
GROUP BY ALL
HAVING sum(e.amount_minor) > 9223372036854775807
ORDER BY ALL
LIMIT 1;
