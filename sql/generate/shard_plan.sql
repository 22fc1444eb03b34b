-- Accounts per shard that are not the top merchant's, and the top merchant's account count.
-- Tables: gen_accounts. Grain: one row per group (grp -1 = top merchant).
SELECT grp, count(*)::BIGINT AS accounts
FROM gen_accounts
GROUP BY grp
ORDER BY grp;
