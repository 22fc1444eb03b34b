-- The account directory must give every account exactly one home.
-- Grain: one row per account_id listed more than once or with a NULL key.
SELECT account_id, count(*) AS listings
FROM accounts
GROUP BY account_id
HAVING count(*) > 1 OR account_id IS NULL OR any_value(merchant_id) IS NULL OR any_value(shard_id) IS NULL
LIMIT 5;
