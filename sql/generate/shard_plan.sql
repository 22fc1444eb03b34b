-- Accounts per entry group: grp -1 is the top merchant (on shard 00), grp k the other accounts
-- homed on shard k. Entries are spread over groups in proportion to these counts.
-- Tables: gen_accounts. Grain: one row per group that has accounts.
SELECT grp, count(*)::BIGINT AS accounts
FROM gen_accounts
GROUP BY grp
ORDER BY grp;
