-- The account directory must give every account exactly one home, with every key column set.
-- Tables: accounts. Grain: one row per problem account (at most 5), with what is wrong.
SELECT account_id,
       CASE
         WHEN account_id IS NULL THEN 'has a NULL account_id'
         WHEN count(*) > 1 THEN 'is listed more than once'
         WHEN any_value(merchant_id) IS NULL THEN 'has a NULL merchant_id'
         WHEN any_value(shard_id) IS NULL THEN 'has a NULL shard_id'
         WHEN any_value(currency) IS NULL THEN 'has a NULL currency'
       END AS problem
FROM accounts
GROUP BY account_id
HAVING account_id IS NULL OR count(*) > 1 OR count(merchant_id) < count(*)
    OR count(shard_id) < count(*) OR count(currency) < count(*)
ORDER BY account_id NULLS FIRST
LIMIT 5;
