-- One segment of one shard: entries with seq $first..$last. Every choice is a hash of (seed,
-- shard, seq, tag), so the output is the same for the same options. On the top merchant's shard,
-- entry seq is the top merchant's iff floor(seq * top / n) steps up: exactly `top` entries, spread
-- evenly. Customers: the top merchant draws from its own pool of $top_customers refs; other
-- merchants each from a small window of the shared pool of $other_customers refs.
-- Params: $seed, $shard_no, $shard_id, $first, $last, $shard_entries, $top_entries, $window,
-- $other_customers, $top_customers, $top_accounts, $shard_accounts, $date. Tables: gen_accounts.
-- Grain: one row per entry.
WITH seqs AS (
  SELECT seq,
         floor(seq * $top_entries / $shard_entries) > floor((seq - 1) * $top_entries / $shard_entries) AS is_top,
         hash($seed, $shard_no, seq, 'type') % 10000 AS type_roll
  FROM range($first, $last + 1) t(seq)
),
picked AS (
  SELECT s.*,
         CASE WHEN s.is_top THEN -1 ELSE $shard_no END AS grp,
         hash($seed, $shard_no, s.seq, 'account') % CASE WHEN s.is_top THEN $top_accounts ELSE $shard_accounts END AS idx,
         CASE
           WHEN type_roll < 6000 THEN 'charge' WHEN type_roll < 7500 THEN 'fee'
           WHEN type_roll < 8100 THEN 'refund' WHEN type_roll < 8600 THEN 'payout'
           WHEN type_roll < 8900 THEN 'hold' WHEN type_roll < 9100 THEN 'hold_release'
           WHEN type_roll < 9300 THEN 'chargeback' WHEN type_roll < 9500 THEN 'reserve'
           WHEN type_roll < 9650 THEN 'reserve_release' WHEN type_roll < 9775 THEN 'adjustment_credit'
           WHEN type_roll < 9900 THEN 'adjustment_debit' WHEN type_roll < 9950 THEN 'chargeback_reversal'
           ELSE 'payout_failed'
         END AS entry_type
  FROM seqs s
)
SELECT 'E-' || $shard_id || '-' || p.seq AS entry_id,
       $shard_id AS shard_id,
       p.seq::BIGINT AS seq,
       a.account_id,
       a.merchant_id,
       CASE WHEN p.entry_type IN ('charge', 'refund', 'chargeback', 'chargeback_reversal') THEN
         'C' || lpad((CASE WHEN p.is_top THEN $other_customers + hash($seed, $shard_no, p.seq, 'customer') % $top_customers
                           ELSE (a.m * $window + hash($seed, $shard_no, p.seq, 'customer') % $window) % $other_customers END)::VARCHAR, 9, '0')
       END AS customer_ref,
       p.entry_type,
       (CASE p.entry_type WHEN 'fee' THEN 10 + hash($seed, $shard_no, p.seq, 'amount') % 500
                          WHEN 'charge' THEN 100 + hash($seed, $shard_no, p.seq, 'amount') % 20000
                          ELSE 100 + hash($seed, $shard_no, p.seq, 'amount') % 10000 END)::BIGINT AS amount_minor,
       a.currency,
       $date::TIMESTAMPTZ + to_milliseconds((hash($seed, $shard_no, p.seq, 'time') % 86400000)::BIGINT) AS event_time,
       $date::DATE AS settlement_date
FROM picked p
JOIN gen_accounts a ON a.grp = p.grp AND a.idx = p.idx
ORDER BY p.seq
