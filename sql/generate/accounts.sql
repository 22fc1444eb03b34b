-- Synthetic account directory. Merchant m has one account in currencies[m % C] and, for about a
-- quarter of merchants, a second one in the next currency. With skew, the top merchant M000000 is
-- its own group (grp -1) on shard 00; every other account is homed on a shard picked by gen_draw.
-- Each account owns a window [customer_lo, customer_lo + customer_span) of customer numbers: the
-- top merchant's accounts split the top pool (numbers $other_customers ..), the others split the
-- shared pool (0 .. $other_customers), so distinct (merchant, currency, customer) tuples follow
-- the pool sizes.
-- Params: $merchants, $shards, $seed, $currencies (comma-separated codes), $skewed (BOOLEAN),
-- $top_customers, $other_customers. Macros: gen_draw.
-- Grain: one row per account; (grp, idx) is how an entry picks its account.
CREATE OR REPLACE TEMP TABLE gen_accounts AS
WITH codes AS (SELECT string_split($currencies, ',') AS list),
merchants AS (
  SELECT m, 'M' || lpad(m::VARCHAR, 6, '0') AS merchant_id
  FROM range($merchants::BIGINT) t(m)
),
accounts AS (
  SELECT m, merchant_id, list[(m % len(list)) + 1] AS currency FROM merchants, codes
  UNION ALL
  SELECT m, merchant_id, list[((m + 1) % len(list)) + 1]
  FROM merchants, codes
  WHERE len(list) > 1 AND gen_draw($seed, m, 0, 'second-account') % 4 = 0
),
homed AS (
  SELECT m, merchant_id, currency,
         'A' || lpad(m::VARCHAR, 6, '0') || '-' || currency AS account_id,
         (CASE WHEN m = 0 THEN 0 ELSE gen_draw($seed, m, currency, 'shard') % $shards::UBIGINT END)::BIGINT AS shard_no,
         $skewed::BOOLEAN AND m = 0 AS is_top
  FROM accounts
),
pooled AS (
  SELECT *,
         CASE WHEN is_top THEN -1 ELSE shard_no END AS grp,
         row_number() OVER (PARTITION BY is_top ORDER BY account_id) - 1 AS pool_idx,
         count(*) OVER (PARTITION BY is_top) AS pool_accounts,
         CASE WHEN is_top THEN $top_customers::BIGINT ELSE $other_customers::BIGINT END AS pool_size,
         CASE WHEN is_top THEN $other_customers::BIGINT ELSE 0 END AS pool_base
  FROM homed
)
SELECT m, merchant_id, currency, account_id, shard_no, lpad(shard_no::VARCHAR, 2, '0') AS shard_id, is_top, grp,
       (row_number() OVER (PARTITION BY grp ORDER BY account_id) - 1)::BIGINT AS idx,
       (pool_base + pool_idx * pool_size // pool_accounts)::UBIGINT AS customer_lo,
       greatest(1, (pool_idx + 1) * pool_size // pool_accounts - pool_idx * pool_size // pool_accounts)::UBIGINT AS customer_span
FROM pooled;
