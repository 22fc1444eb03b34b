-- After assembly: the first published row whose money or count columns did not fit BIGINT (the
-- assembly computes them in HUGEINT and leaves NULL where the cast to BIGINT fails; none of them
-- is NULL otherwise). Splices: {{overflowed}} the list of such columns of a row, rendered from
-- the contract. Tables: summary. Grain: at most one row.
SELECT merchant_id, currency, columns
FROM (SELECT merchant_id, currency, {{overflowed}} AS columns FROM summary)
WHERE len(columns) > 0
ORDER BY merchant_id, currency
LIMIT 1;
