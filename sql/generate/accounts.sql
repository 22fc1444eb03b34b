-- Synthetic account directory: merchant m has one account in currencies[m % C] and, for about a
-- quarter of merchants, a second in the next currency. The top merchant (m = 0) is homed on the
-- first shard; every other account on a shard picked by hash.
-- Params: $merchants, $shards, $seed, $currencies (comma-separated codes).
-- Grain: one row per account, with its index among the shard's other (non-top) accounts.
CREATE OR REPLACE TEMP TABLE gen_accounts AS
WITH codes AS (SELECT string_split($currencies, ',') AS list),
merchants AS (
  SELECT m, 'M' || lpad(m::VARCHAR, 6, '0') AS merchant_id
  FROM range($merchants) t(m)
),
accounts AS (
  SELECT m, merchant_id, list[(m % len(list)) + 1] AS currency FROM merchants, codes
  UNION ALL
  SELECT m, merchant_id, list[((m + 1) % len(list)) + 1]
  FROM merchants, codes
  WHERE len(list) > 1 AND hash($seed, m, 'second-account') % 4 = 0
),
homed AS (
  SELECT m, merchant_id, currency,
         'A' || lpad(m::VARCHAR, 6, '0') || '-' || currency AS account_id,
         CASE WHEN m = 0 THEN 0 ELSE hash($seed, m, currency, 'shard') % $shards END AS shard_no
  FROM accounts
)
SELECT *, lpad(shard_no::VARCHAR, 2, '0') AS shard_id,
       -- Entries pick an account by (grp, idx): grp -1 holds the top merchant's accounts.
       CASE WHEN m = 0 THEN -1 ELSE shard_no END AS grp,
       (row_number() OVER (PARTITION BY CASE WHEN m = 0 THEN -1 ELSE shard_no END ORDER BY account_id) - 1)::BIGINT AS idx
FROM homed;
